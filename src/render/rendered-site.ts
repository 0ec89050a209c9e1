import fs from 'node:fs';
import path from 'node:path';
import type nunjucks from 'nunjucks';
import { canonicalUrl } from '../content/urls';
import { readContentFiles, readDataFile, readImageFiles } from '../content/files';
import { RETIRED_CODES_FILE } from '../content/retired-codes';
import { createMarkdown } from '../content/markdown';
import { readSnippets } from '../content/snippets';
import type { Page, Site } from '../content/site';
import { buildSite } from '../content/site';
import { componentRenderer } from './views';
import type { PreparedBody } from './prepared';
import { prepareBody } from './prepared';
import type { SiteContext } from './view-models/page-view';
import { pageView } from './view-models/page-view';
import { codeEntries } from './view-models/code-index';
import { robotsTxt, sitemapXml } from './view-models/seo';
import { relatedProblems } from './view-models/related';
import type { ReturnLink } from './view-models/return-link';
import { findReturnLink } from './view-models/return-link';
import { ContentError } from '../content/errors';
import type { SearchIndex } from '../search/search-index';
import { buildSearchIndex, sectionDocuments } from '../search/search-index';
import { loadSynonyms } from '../search/synonyms';

/** What the routes serve: the content model and everything rendered and indexed from it. */
export interface RenderedSite {
  site: Site;
  /** Rendered hub and article pages by URL. */
  pages: Map<string, PreparedBody>;
  /** Other documents rendered once: the reference-code index and its JSON, and retired codes' pages. */
  documents: Map<string, PreparedBody>;
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
}

/** The layouts content may name: every `views/layouts/*.njk` except the base layout. */
export function listLayouts(viewsDir: string): Set<string> {
  const dir = path.join(viewsDir, 'layouts');
  return new Set(
    fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.njk') && name !== 'base.njk')
      .map((name) => `layouts/${name}`),
  );
}

/** Reads, validates and indexes the content folder. Throws ContentError naming every problem. */
export function loadSite(contentDir: string, viewsDir: string, views: nunjucks.Environment): Site {
  const renderMarkdown = createMarkdown(componentRenderer(views), { snippets: readSnippets(contentDir) });
  return buildSite(readContentFiles(contentDir), {
    renderMarkdown,
    layouts: listLayouts(viewsDir),
    images: readImageFiles(contentDir),
    retiredCodes: readDataFile(contentDir, RETIRED_CODES_FILE),
  });
}

/** One hub or article page, optionally for a patient who came from a service. */
export function renderPage(site: Site, page: Page, views: nunjucks.Environment, context: SiteContext, returnTo?: ReturnLink): string {
  const renderLink = (code: string): string =>
    views.render('partials/reference-link.njk', { code, shareUrl: canonicalUrl(context.baseUrl, `/cid/${code}`) }).trim();
  const template = page === site.home ? 'pages/home.njk' : page.kind === 'hub' ? 'layouts/hub.njk' : page.layout;
  return views.render(template, {
    ...pageView(site, page, context, renderLink, returnTo),
    ogType: page.kind === 'article' ? 'article' : 'website',
  });
}

/** Renders every hub and article once, ready to serve from memory. Fails on a `related` URL that names no page. */
export function renderPages(site: Site, views: nunjucks.Environment, context: SiteContext): Map<string, PreparedBody> {
  const problems = relatedProblems(site);
  if (problems.length > 0) throw new ContentError(problems);
  const pages = new Map<string, PreparedBody>();
  for (const page of site.pages) pages.set(page.url, prepareBody(renderPage(site, page, views, context), 'text/html; charset=utf-8'));
  return pages;
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

/** The reference-code index page and its JSON, rendered once. */
export function renderDocuments(site: Site, views: nunjucks.Environment, context: SiteContext): Map<string, PreparedBody> {
  const codes = codeEntries(site, context.baseUrl);
  const documents = new Map<string, PreparedBody>();
  documents.set('/cid', prepareBody(renderCodeIndex(site, views, context), 'text/html; charset=utf-8'));
  documents.set('/cid.json', prepareBody(`${JSON.stringify(codes, null, 2)}\n`, 'application/json; charset=utf-8'));
  documents.set('/sitemap.xml', prepareBody(sitemapXml(site, context.baseUrl), 'application/xml; charset=utf-8'));
  for (const [path, body] of renderRetiredCodes(site, views, context)) documents.set(path, body);
  documents.set('/robots.txt', prepareBody(robotsTxt(context.baseUrl, Boolean(context.robotsDisallowAll)), 'text/plain; charset=utf-8'));
  return documents;
}

/**
 * The page for each retired code, at `/cid/<CODE>`: it says the code is no longer used and where to
 * get help (the page its `see` names, else the home page). Served with 200 and noindex, the same as
 * a static host would serve it.
 */
export function renderRetiredCodes(site: Site, views: nunjucks.Environment, context: SiteContext): Map<string, PreparedBody> {
  const bodies = new Map<string, PreparedBody>();
  for (const entry of site.retired.values()) {
    const see = entry.see ?? '/';
    const page = site.byUrl.get(see.replace(/#.*$/, '')) ?? site.home;
    const html = views.render('pages/retired-code.njk', {
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
    bodies.set(retiredCodePath(entry.code), prepareBody(html, 'text/html; charset=utf-8'));
  }
  return bodies;
}

/** Where the rendered page of a retired code is kept among the documents. */
export function retiredCodePath(code: string): string {
  return `/cid/${code}`;
}

/** Every image under content/_images, prepared to serve at its versioned URL. */
export function prepareImages(site: Site): Map<string, PreparedBody> {
  return new Map([...site.images.values()].map((image) => [image.url, prepareBody(image.bytes, image.type)]));
}

export function renderSite(contentDir: string, viewsDir: string, views: nunjucks.Environment, context: SiteContext): RenderedSite {
  const site = loadSite(contentDir, viewsDir, views);
  return {
    site,
    pages: renderPages(site, views, context),
    documents: renderDocuments(site, views, context),
    images: prepareImages(site),
    search: buildSearchIndex(sectionDocuments(site), { synonyms: loadSynonyms(contentDir) }),
    withReturn: returnVariants(site, views, context),
    returnLinkFor: (from) => findReturnLink(context.returnLinks, from),
  };
}
