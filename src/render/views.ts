import fs from 'node:fs';
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

/** A template compiled to JavaScript elsewhere (see compileViews): its file, the text compiled and the code. */
export interface CompiledView {
  path: string;
  text: string;
  code: string;
}

/** What a template's code gives when run: its root and block functions, as Nunjucks makes them. */
type TemplateProps = Record<string, unknown>;

/**
 * Our views first, then nhsuk-frontend's. A template compiled elsewhere from the very text the
 * file holds now is run from its code rather than compiled again; any other is compiled as usual.
 */
class ViewsLoader extends nunjucks.FileSystemLoader {
  private readonly compiled = new Map<string, CompiledView>();
  constructor(viewsDir: string, compiled: CompiledViews | undefined) {
    super([viewsDir, nhsukDist]);
    const keep = (views: readonly CompiledView[]): void => views.forEach((view) => this.compiled.set(view.path, view));
    if (Array.isArray(compiled)) keep(compiled);
    else void (compiled as Promise<readonly CompiledView[]> | undefined)?.then(keep);
  }
  override getSource(name: string): nunjucks.LoaderSource {
    const source = super.getSource(name);
    const view = source ? this.compiled.get(source.path) : undefined;
    if (!view || view.text !== source.src) return source;
    // Nunjucks keeps each template it makes: the code is needed once.
    this.compiled.delete(view.path);
    // What Nunjucks does with the code it compiles (Template._compile): run it for the template's functions.
    let props: TemplateProps;
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- code Nunjucks compiled from our own views
      props = (new Function(view.code) as () => TemplateProps)();
    } catch {
      return source; // compiled from the file instead, as Nunjucks does when there is no code
    }
    return { ...source, src: { type: 'code', obj: props } as unknown as string };
  }
}

/** Templates compiled elsewhere: by the build (readCompiledViews), or on another thread, used as they arrive. */
export type CompiledViews = readonly CompiledView[] | Promise<readonly CompiledView[]>;

export interface ViewsOptions {
  watch?: boolean;
  /** Templates compiled elsewhere (see compileViews). */
  compiled?: CompiledViews;
}

/**
 * Our views first, then nhsuk-frontend's; autoescape on. Compiled templates are cached even in
 * development mode (recompiling every template for every page made a rebuild several times
 * slower): development mode calls forgetCompiledViews when a view changes.
 */
export function createViews(viewsDir: string, options: ViewsOptions = {}): nunjucks.Environment {
  const views = new nunjucks.Environment(new ViewsLoader(viewsDir, options.compiled), { autoescape: true, throwOnUndefined: false });
  views.addFilter('trim', linearTrim(views.getFilter('trim')));
  return views;
}

/** Template names written as text in a template: those it extends, includes and imports. */
function namedTemplates(text: string, views: EnvironmentInternals): string[] {
  const { parser, nodes } = nunjucks as unknown as NunjucksInternals;
  const root = parser.parse(text, views.extensionsList, views.opts);
  const names: string[] = [];
  for (const type of [nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport]) {
    for (const node of root.findAll(type))
      if (node.template instanceof nodes.Literal && typeof node.template.value === 'string') names.push(node.template.value);
  }
  return names;
}

/** The parts of Nunjucks compileViews uses that its types leave out. */
interface NunjucksInternals {
  parser: { parse(text: string, extensions: unknown, opts: unknown): NunjucksNode };
  nodes: Record<'Extends' | 'Include' | 'Import' | 'FromImport' | 'Literal', abstract new (...args: never[]) => NunjucksNode>;
  compiler: { compile(text: string, asyncFilters: unknown, extensions: unknown, name: string, opts: unknown): string };
}
interface NunjucksNode {
  template?: NunjucksNode;
  value?: unknown;
  findAll(type: abstract new (...args: never[]) => NunjucksNode): NunjucksNode[];
}
type EnvironmentInternals = nunjucks.Environment & {
  extensionsList: unknown;
  asyncFilters: unknown;
  opts: unknown;
  loaders: nunjucks.FileSystemLoader[];
  resolveTemplate(loader: nunjucks.FileSystemLoader, parentName: string, name: string): string;
};

/**
 * The templates named and every template they name, and so on (a name made at render time is
 * left out), compiled to JavaScript as createViews' environment compiles it: for a
 * start-up worker to do while the server builds the site, so that the server's first pages
 * need not compile them. A template that does not compile is left out, for the server to report.
 */
export function compileViews(viewsDir: string, names: readonly string[]): CompiledView[] {
  const views = createViews(viewsDir) as EnvironmentInternals;
  const loader = views.loaders[0]!;
  const { compiler } = nunjucks as unknown as NunjucksInternals;
  const queue = [...names];
  const compiled = new Map<string, CompiledView>();
  for (let i = 0; i < queue.length; i += 1) {
    try {
      const source = loader.getSource(queue[i]!);
      if (!source || compiled.has(source.path)) continue;
      const code = compiler.compile(source.src, views.asyncFilters, views.extensionsList, source.path, views.opts);
      compiled.set(source.path, { path: source.path, text: source.src, code });
      for (const name of namedTemplates(source.src, views)) queue.push(views.resolveTemplate(loader, source.path, name));
    } catch {
      // Reported by the server when it renders the template.
    }
  }
  return [...compiled.values()];
}

const MACROS: Record<ComponentName, string> = {
  insetText: 'inset-text',
  warningCallout: 'warning-callout',
  details: 'details',
};

/** The macro file of the nhsuk-frontend component that renders content blocks of this kind. */
const macroFile = (name: ComponentName): string => `nhsuk/components/${MACROS[name]}/macro.njk`;

/** The Nunjucks that compiles views here: code another one compiled is not run (see readCompiledViews). */
const NUNJUCKS_VERSION = (JSON.parse(fs.readFileSync(require.resolve('nunjucks/package.json'), 'utf8')) as { version: string }).version;

/** Where `npm run build` writes every view compiled (see buildCompiledViews): beside the compiled code. */
export const COMPILED_VIEWS_FILE = path.join(__dirname, '..', 'views.json');

/**
 * Every template under viewsDir and the component macros content blocks use, with each template
 * they name, compiled: what `npm run build` writes, so that start-up and the first pages need not
 * compile any template.
 */
export function buildCompiledViews(viewsDir: string): CompiledView[] {
  const names = fs
    .readdirSync(viewsDir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.njk'))
    .map((name) => name.split(path.sep).join('/'))
    .sort();
  return compileViews(viewsDir, [...names, ...(Object.keys(MACROS) as ComponentName[]).map(macroFile)]);
}

/**
 * The views the build compiled (see buildCompiledViews), or none when there is no such file, or
 * another version of Nunjucks compiled them. Only
 * a view whose file still holds the text it was compiled from is run from its code (ViewsLoader),
 * so a view edited since the build is compiled as usual.
 */
export function readCompiledViews(file = COMPILED_VIEWS_FILE): CompiledView[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const isView = (view: unknown): view is CompiledView =>
    typeof view === 'object' &&
    view !== null &&
    ['path', 'text', 'code'].every((key) => typeof (view as Record<string, unknown>)[key] === 'string');
  const { nunjucks: version, views } = (parsed ?? {}) as { nunjucks?: unknown; views?: unknown };
  // Code compiled by another Nunjucks may not run with this one's runtime.
  return version === NUNJUCKS_VERSION && Array.isArray(views) ? views.filter(isView) : [];
}

/** What `npm run build` writes to COMPILED_VIEWS_FILE: the views, and the Nunjucks that compiled them. */
export function compiledViewsFile(views: readonly CompiledView[]): string {
  return JSON.stringify({ nunjucks: NUNJUCKS_VERSION, views });
}

/** Renders an nhsuk-frontend component macro by name, for content blocks. Each call template is compiled once. */
export function componentRenderer(views: nunjucks.Environment): RenderComponent {
  const compiled = new Map<ComponentName, nunjucks.Template>();
  return (name, params) => {
    let template = compiled.get(name);
    if (!template) {
      template = new nunjucks.Template(`{% from "${macroFile(name)}" import ${name} %}{{ ${name}(params) }}`, views);
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
