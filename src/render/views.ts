import path from 'node:path';
import nunjucks from 'nunjucks';
import type { ComponentName, RenderComponent } from '../content/markdown';

/** Where nhsuk-frontend keeps its templates, resolved from the package rather than the working directory. */
export const nhsukDist = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');

/** Our views first, then nhsuk-frontend's; autoescape on. */
export function createViews(viewsDir: string, options: { watch?: boolean } = {}): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([viewsDir, nhsukDist], { noCache: Boolean(options.watch) });
  return new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
}

const MACROS: Record<ComponentName, string> = {
  insetText: 'inset-text',
  warningCallout: 'warning-callout',
  details: 'details',
};

/** Renders an nhsuk-frontend component macro by name, for content blocks. */
export function componentRenderer(views: nunjucks.Environment): RenderComponent {
  return (name, params) =>
    views.renderString(`{% from "nhsuk/components/${MACROS[name]}/macro.njk" import ${name} %}{{ ${name}(params) }}`, { params });
}
