import { performance } from 'node:perf_hooks';
import type nunjucks from 'nunjucks';
import { canonicalUrl } from '../content/urls';
import { HUB_LAYOUT } from '../content/schema';
import { ContentFileReuse, readContentFiles } from '../content/files';
import type { SourceFile } from '../content/files';
import type { RetiredCode } from '../content/retired-codes';
import type { LoadedFile, Page, Site } from '../content/site';
import type { ParsedFiles } from './parse-options';
import { buildOptions, listLayouts } from './parse-options';
import { buildSite } from '../content/site';
import { currentBanner } from './views';
import type { PreparedBody } from './prepared';
import { LazyBodies } from './lazy-bodies';
import { prepareBody } from './prepared';
import type { SiteContext } from './view-models/page-view';
import { pageView } from './view-models/page-view';
import { codeEntries } from './view-models/code-index';
import { robotsTxt, sitemapXml } from './view-models/seo';
import { relatedProblems } from '../content/related';
import type { ReturnLink } from './view-models/return-link';
import { findReturnLink } from './view-models/return-link';
import { ContentError } from '../content/errors';
import type { SearchIndex } from '../search/search-index';
import { buildSearchIndex, sectionDocuments } from '../search/search-index';
import { loadSynonyms } from '../search/synonyms';

import { NOT_FOUND_TEMPLATE, notFoundLocals } from './view-models/not-found';

/** What the routes serve: the content model and everything rendered and indexed from it. */
export interface RenderedSite {
  site: Site;
  /** Hub and article pages by URL, each rendered when first asked for. */
  pages: ReadonlyMap<string, PreparedBody>;
  /** Other documents rendered once: the reference-code index and its JSON, and retired codes' pages. */
  documents: ReadonlyMap<string, PreparedBody>;
  /** Content images by their versioned URL (`/static/images/name.<hash>.png`). */
  images: Map<string, PreparedBody>;
  search: SearchIndex;
  /**
   * A page or the code index as it is for a patient who came from a service (`?from=<id>`), with
   * "Go back to <service>". Rendered the first time it is asked for, then kept: there is at most
   * one per page and known service, so queries cannot grow it. Undefined for any other path.
   */
  withReturn(path: string, returnTo: ReturnLink): PreparedBody | undefined;
  /** The service `?from=` names, if it is one a patient can be sent back to. */
  returnLinkFor(from: unknown): ReturnLink | undefined;
  /** The "Page not found" page, the same for every unknown URL. */
  notFound: PreparedBody;
}

/** What development mode keeps from one build for the next: unchanged files are not read, parsed or rendered again. */
export interface ContentReuse {
  files: ContentFileReuse;
  loaded: WeakMap<SourceFile, LoadedFile>;
}

export function contentReuse(): ContentReuse {
  return { files: new ContentFileReuse(), loaded: new WeakMap() };
}

export interface LoadOptions {
  /** What earlier builds read and rendered (development mode). */
  reuse?: ContentReuse;
  /** Keep each section's prose, for the reading-age checks. */
  prose?: boolean;
  /**
   * The files, already read and parsed (by parseContent at start-up): the site is built with the
   * options they were parsed with, which decide `prose` and `keepHtml` instead.
   */
  parsed?: ParsedFiles;
  /** Keep each page's HTML (the default), rather than render it again from its file when first needed. */
  keepHtml?: boolean;
}

/** Reads, validates and indexes the content folder. Throws ContentError naming every problem. */
export function loadSite(contentDir: string, viewsDir: string, views: nunjucks.Environment, options: LoadOptions = {}): Site {
  const { parsed } = options;
  if (parsed) return buildSite(parsed.files, { ...parsed.options, cache: parsed.loaded });
  const files = readContentFiles(contentDir, options.reuse?.files);
  const keep = { prose: options.prose, html: options.keepHtml };
  return buildSite(files, { ...buildOptions(contentDir, viewsDir, views, keep), cache: options.reuse?.loaded });
}

/** Codes each page owns, computed once for the whole site rather than once per page. */
function ownersByPage(site: Site): Map<Page, string[]> {
  const owned = new Map<Page, string[]>();
  for (const owner of site.codes.values()) owned.set(owner.page, [...(owned.get(owner.page) ?? []), owner.code]);
  return owned;
}

/**
 * Everything a page's HTML is made from, but its markdown HTML: its own fields, its children's
 * cards, its ancestors' names and the codes it owns. Equal inputs and the same markdown HTML
 * give the same page.
 */
function pageInputs(site: Site, page: Page, owned: string[] | undefined): string {
  const { html: _html, headings: _headings, sections: _sections, links: _links, ...fields } = page;
  return JSON.stringify({
    fields: { ...fields, children: page.kind === 'hub' ? page.children.map((c) => [c.url, c.title, c.subtitle]) : undefined },
    home: page === site.home,
    ancestors: site.ancestorsOf(page).map((hub) => [hub.url, hub.title, hub.shortTitle]),
    headings: page.headings,
    owned,
  });
}

const HOME_TEMPLATE = 'pages/home.njk';
const REFERENCE_LINK_TEMPLATE = 'partials/reference-link.njk';

/** The templates the site's pages and its 404 page are rendered with: what warm-up and the first pages asked for need. */
export function pageTemplates(viewsDir: string): string[] {
  return [NOT_FOUND_TEMPLATE, HOME_TEMPLATE, HUB_LAYOUT, ...listLayouts(viewsDir), REFERENCE_LINK_TEMPLATE];
}

/** One hub or article page, optionally for a patient who came from a service. */
export function renderPage(site: Site, page: Page, views: nunjucks.Environment, context: SiteContext, returnTo?: ReturnLink): string {
  const renderLink = (code: string): string =>
    views.render(REFERENCE_LINK_TEMPLATE, { code, shareUrl: canonicalUrl(context.baseUrl, `/cid/${code}`) }).trim();
  const template = page === site.home ? HOME_TEMPLATE : page.kind === 'hub' ? HUB_LAYOUT : page.layout;
  return views.render(template, {
    ...pageView(site, page, context, renderLink, returnTo),
    ogType: page.kind === 'article' ? 'article' : 'website',
  });
}

/** A `related` URL that names no page stops the build, like any other content error. */
function checkRelated(site: Site): void {
  const problems = relatedProblems(site);
  if (problems.length > 0) throw new ContentError(problems);
}

/** The reference-code index page, optionally for a patient who came from a service. */
export function renderCodeIndex(site: Site, views: nunjucks.Environment, context: SiteContext, returnTo?: ReturnLink): string {
  return views.render('pages/cid-index.njk', {
    pageTitle: 'Reference codes',
    description: 'Every NHS login reference code this help centre explains, with a link to the section that explains it.',
    canonical: canonicalUrl(context.baseUrl, '/cid'),
    breadcrumbs: [{ text: 'Home', href: '/' }],
    codes: codeEntries(site, context.baseUrl),
    returnTo,
  });
}

/**
 * `withReturn` for a site: variants are rendered on first request and kept, keyed by path and
 * service id. Only paths of pages (and /cid) and services in `context.returnLinks` get one.
 */
export function returnVariants(site: Site, views: nunjucks.Environment, context: SiteContext): RenderedSite['withReturn'] {
  const cache = new Map<string, PreparedBody>();
  return (path, returnTo) => {
    if (context.returnLinks?.get(returnTo.id) !== returnTo) return undefined;
    const page = site.byUrl.get(path);
    if (!page && path !== '/cid') return undefined;
    const key = `${returnTo.id} ${path}`;
    let prepared = cache.get(key);
    if (!prepared) {
      const html = page ? renderPage(site, page, views, context, returnTo) : renderCodeIndex(site, views, context, returnTo);
      prepared = prepareBody(html, 'text/html; charset=utf-8');
      cache.set(key, prepared);
    }
    return prepared;
  };
}

/** The reference-code index page and its JSON, the sitemap, robots.txt and retired codes' pages, each made when first asked for. */
export function renderDocuments(site: Site, views: nunjucks.Environment, context: SiteContext): LazyBodies {
  const html = (render: () => string) => (): PreparedBody => prepareBody(render(), 'text/html; charset=utf-8');
  const makers = new Map<string, () => PreparedBody>([
    ['/cid', html(() => renderCodeIndex(site, views, context))],
    ['/cid.json', () => prepareBody(`${JSON.stringify(codeEntries(site, context.baseUrl), null, 2)}\n`, 'application/json; charset=utf-8')],
    ['/sitemap.xml', () => prepareBody(sitemapXml(site, context.baseUrl), 'application/xml; charset=utf-8')],
    ['/robots.txt', () => prepareBody(robotsTxt(context.baseUrl, Boolean(context.robotsDisallowAll)), 'text/plain; charset=utf-8')],
  ]);
  for (const entry of site.retired.values())
    makers.set(
      retiredCodePath(entry.code),
      html(() => renderRetiredCode(site, entry, views, context)),
    );
  return new LazyBodies(makers);
}

/**
 * The page for a retired code, at `/cid/<CODE>`: it says the code is no longer used and where to
 * get help (the page its `see` names, else the home page). Served with 200 and noindex, the same as
 * a static host would serve it.
 */
function renderRetiredCode(site: Site, entry: RetiredCode, views: nunjucks.Environment, context: SiteContext): string {
  const see = entry.see ?? '/';
  const page = site.byUrl.get(see.replace(/#.*$/, '')) ?? site.home;
  return views.render('pages/retired-code.njk', {
    pageTitle: `Reference ${entry.code} is no longer used`,
    canonical: canonicalUrl(context.baseUrl, `/cid/${entry.code}`),
    robotsNoindex: true,
    breadcrumbs: [
      { text: 'Home', href: '/' },
      { text: 'Reference codes', href: '/cid' },
    ],
    code: entry.code,
    note: entry.note,
    help: { href: see, text: page === site.home && see === '/' ? 'the help centre home page' : page.title },
  });
}

/** Where the rendered page of a retired code is kept among the documents. */
export function retiredCodePath(code: string): string {
  return `/cid/${code}`;
}

/** Every image under content/_images, prepared to serve at its versioned URL. */
export function prepareImages(site: Site): Map<string, PreparedBody> {
  return new Map([...site.images.values()].map((image) => [image.url, prepareBody(image.bytes, image.type)]));
}

/** The "Page not found" page, rendered once. */
export function renderNotFoundPage(views: nunjucks.Environment): PreparedBody {
  return prepareBody(views.render(NOT_FOUND_TEMPLATE, notFoundLocals()), 'text/html; charset=utf-8');
}

/** A page body rendered in development mode, with what it was rendered from. */
interface KeptPage {
  key: string;
  body: PreparedBody;
}

/** What a rendered site keeps so that the next build can reuse what did not change. */
interface Reuse {
  content: ContentReuse;
  /** Page bodies rendered so far, by URL: shared by each build and the next, never a chain of builds. */
  pages: Map<string, KeptPage>;
}
const reuseOf = new WeakMap<RenderedSite, Reuse>();

export interface RenderOptions {
  /** The site rendered last: pages whose inputs did not change are taken from it. */
  previous?: RenderedSite;
  /** Keep what the next build needs to reuse this one's work (development mode): costs memory. */
  reusable?: boolean;
  /** Render every page and all markdown again, reusing nothing (the views changed). */
  all?: boolean;
  /** The content files, already read and parsed. */
  parsed?: ParsedFiles;
}

/**
 * Each page's body, rendered the first time it is asked for. With `kept` (development mode), a
 * body rendered by an earlier build from the same inputs, markdown HTML and banner is used again.
 */
export function pageBodies(site: Site, views: nunjucks.Environment, context: SiteContext, kept?: Map<string, KeptPage>): LazyBodies {
  let owned: Map<Page, string[]> | undefined;
  const makers = new Map<string, () => PreparedBody>();
  for (const page of site.pages) {
    const render = (): PreparedBody => prepareBody(renderPage(site, page, views, context), 'text/html; charset=utf-8');
    if (!kept) {
      makers.set(page.url, render);
      continue;
    }
    makers.set(page.url, () => {
      owned ??= ownersByPage(site);
      const key = `${pageInputs(site, page, owned.get(page))}\n${currentBanner(views)}\n${site.htmlOf(page)}`;
      const before = kept.get(page.url);
      if (before?.key === key) return before.body;
      const body = render();
      kept.set(page.url, { key, body });
      return body;
    });
  }
  if (kept) for (const url of kept.keys()) if (!makers.has(url)) kept.delete(url);
  return new LazyBodies(makers);
}

/** What an earlier build left for this one to reuse: none when there is no previous build, or `all` is asked for. */
function reuseFor(options: RenderOptions): Reuse | undefined {
  return options.previous && !options.all ? reuseOf.get(options.previous) : undefined;
}

/**
 * Whether a build keeps each page's HTML and what the next build needs: development mode does,
 * to tell which pages an edit changed. Content parsed before the build (see parseContent) must
 * be parsed keeping HTML or not as this says.
 */
export function keepsHtml(options: RenderOptions): boolean {
  return Boolean(reuseFor(options) || options.reusable);
}

/**
 * Reads, validates and indexes the site. Pages are rendered when first asked for (see
 * LazyBodies). Given the previous rendered site, only edited files are read, parsed and rendered,
 * a page is rendered again only if its inputs changed, and the search index indexes again only
 * the sections whose text changed. Yields between the costly steps.
 */
function* renderSteps(
  contentDir: string,
  viewsDir: string,
  views: nunjucks.Environment,
  context: SiteContext,
  options: RenderOptions,
): Generator<void, RenderedSite> {
  const previous = options.previous;
  const old = reuseFor(options);
  const keep = keepsHtml(options);
  const content = old?.content ?? (keep ? contentReuse() : undefined);
  const site = loadSite(contentDir, viewsDir, views, { reuse: content, parsed: options.parsed, keepHtml: keep });
  checkRelated(site);
  yield;
  const kept = keep ? (old?.pages ?? new Map<string, KeptPage>()) : undefined;
  const pages = pageBodies(site, views, context, kept);
  const sections = sectionDocuments(site);
  // In development mode the last index is updated: only sections whose text changed are indexed again.
  const search = buildSearchIndex(sections, {
    synonyms: loadSynonyms(contentDir),
    previous: old ? previous!.search : undefined,
    reusable: keep,
    prebuilt: options.parsed?.search,
  });
  yield;
  let notFound = old ? previous!.notFound : undefined;
  const rendered: RenderedSite = {
    site,
    pages,
    documents: renderDocuments(site, views, context),
    images: prepareImages(site),
    search,
    withReturn: returnVariants(site, views, context),
    returnLinkFor: (from) => findReturnLink(context.returnLinks, from),
    // Rendered when first needed, like the pages: compiling the layouts is a large part of it.
    get notFound() {
      return (notFound ??= renderNotFoundPage(views));
    },
  };
  if (keep) reuseOf.set(rendered, { content: content!, pages: kept! });
  return rendered;
}

/**
 * Renders the home page and the "Page not found" page, compiling the layouts every page uses, so
 * that the first patient does not wait for that. For after the server is listening.
 */
export function warmUp(rendered: RenderedSite): void {
  void rendered.notFound;
  rendered.pages.get(rendered.site.home.url);
}

/** Renders the site in one go (see renderSteps): start-up, tests and the export. */
export function renderSite(
  contentDir: string,
  viewsDir: string,
  views: nunjucks.Environment,
  context: SiteContext,
  options: RenderOptions = {},
): RenderedSite {
  const steps = renderSteps(contentDir, viewsDir, views, context, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Renders the site (see renderSteps), giving the event loop a turn every `sliceMs` of work, so
 * that requests are answered while development mode re-renders many pages.
 */
export async function renderSiteAsync(
  contentDir: string,
  viewsDir: string,
  views: nunjucks.Environment,
  context: SiteContext,
  options: RenderOptions = {},
  sliceMs = 20,
): Promise<RenderedSite> {
  const steps = renderSteps(contentDir, viewsDir, views, context, options);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart > sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}
