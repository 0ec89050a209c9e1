import path from 'node:path';
import nunjucks from 'nunjucks';
import type { ComponentName, RenderComponent } from '../content/markdown';

/** Where nhsuk-frontend keeps its templates, resolved from the package rather than the working directory. */
export const nhsukDist = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');

/**
 * Nunjucks' `trim` in linear time. The built-in uses `/^\s*|\s*$/g`, which tries `\s*$` from every
 * position of a run of spaces, so it is quadratic in the run's length; nhsuk-frontend macros
 * pass every `html` param (whole indented blocks of markup) through it. Strings and safe strings
 * are trimmed of the same characters (`String.prototype.trim` and `\s` agree) and a safe string
 * stays safe, as the built-in's `copySafeness` does; any other value goes to the built-in.
 */
export function linearTrim(builtIn: (value: unknown) => unknown): (value: unknown) => unknown {
  const { SafeString } = nunjucks.runtime;
  return (value) => {
    if (typeof value === 'string') return value.trim();
    if (value instanceof SafeString) return new SafeString(value.val.trim());
    return builtIn(value);
  };
}

/**
 * Our views first, then nhsuk-frontend's; autoescape on. Compiled templates are cached even in
 * development mode (recompiling every template for every page made a rebuild several times
 * slower): development mode calls forgetCompiledViews when a view changes.
 */
export function createViews(viewsDir: string, _options: { watch?: boolean } = {}): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([viewsDir, nhsukDist]);
  const views = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  views.addFilter('trim', linearTrim(views.getFilter('trim')));
  return views;
}

const MACROS: Record<ComponentName, string> = {
  insetText: 'inset-text',
  warningCallout: 'warning-callout',
  details: 'details',
};

/** Renders an nhsuk-frontend component macro by name, for content blocks. Each call template is compiled once. */
export function componentRenderer(views: nunjucks.Environment): RenderComponent {
  const compiled = new Map<ComponentName, nunjucks.Template>();
  return (name, params) => {
    let template = compiled.get(name);
    if (!template) {
      template = new nunjucks.Template(
        `{% from "nhsuk/components/${MACROS[name]}/macro.njk" import ${name} %}{{ ${name}(params) }}`,
        views,
      );
      compiled.set(name, template);
    }
    return template.render({ params });
  };
}

/** Drops every compiled template, so the next render reads the view files again. */
export function forgetCompiledViews(views: nunjucks.Environment): void {
  (views as nunjucks.Environment & { invalidateCache(): void }).invalidateCache();
}

/** The development-mode error banner every page shows now, or '' when there is none. */
export function currentBanner(views: nunjucks.Environment): string {
  try {
    return String(views.getGlobal('devError') ?? '');
  } catch {
    return ''; // never set: no problem has been shown yet
  }
}
