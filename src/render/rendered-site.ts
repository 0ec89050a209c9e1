import fs from 'node:fs';
import path from 'node:path';
import type nunjucks from 'nunjucks';
import { canonicalUrl } from '../config';
import { readContentFiles } from '../content/files';
import { createMarkdown } from '../content/markdown';
import type { Site } from '../content/site';
import { buildSite } from '../content/site';
import { componentRenderer } from './views';
import type { PreparedBody } from './prepared';
import { prepareBody } from './prepared';
import type { SiteContext } from './view-models/page-view';
import { pageView } from './view-models/page-view';
import { codeEntries } from './view-models/code-index';
import { robotsTxt, sitemapXml } from './view-models/seo';
import type { SearchIndex } from '../search/search-index';
import { buildSearchIndex, sectionDocuments } from '../search/search-index';
import { loadSynonyms } from '../search/synonyms';

/** What the routes serve: the content model and everything rendered and indexed from it. */
export interface RenderedSite {
  site: Site;
  /** Rendered hub and article pages by URL. */
  pages: Map<string, PreparedBody>;
  /** Other documents rendered once: the reference-code index and its JSON. */
  documents: Map<string, PreparedBody>;
  search: SearchIndex;
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
  const renderMarkdown = createMarkdown(componentRenderer(views));
  return buildSite(readContentFiles(contentDir), { renderMarkdown, layouts: listLayouts(viewsDir) });
}

/** Renders every hub and article once, ready to serve from memory. */
export function renderPages(site: Site, views: nunjucks.Environment, context: SiteContext): Map<string, PreparedBody> {
  const pages = new Map<string, PreparedBody>();
  const renderLink = (code: string): string =>
    views.render('partials/reference-link.njk', { code, shareUrl: canonicalUrl(context.baseUrl, `/cid/${code}`) }).trim();
  for (const page of site.pages) {
    const template = page === site.home ? 'pages/home.njk' : page.kind === 'hub' ? 'layouts/hub.njk' : page.layout;
    const html = views.render(template, {
      ...pageView(site, page, context, renderLink),
      ogType: page.kind === 'article' ? 'article' : 'website',
    });
    pages.set(page.url, prepareBody(html, 'text/html; charset=utf-8'));
  }
  return pages;
}

/** The reference-code index page and its JSON, rendered once. */
export function renderDocuments(site: Site, views: nunjucks.Environment, context: SiteContext): Map<string, PreparedBody> {
  const codes = codeEntries(site, context.baseUrl);
  const documents = new Map<string, PreparedBody>();
  const indexHtml = views.render('pages/cid-index.njk', {
    pageTitle: 'Reference codes',
    description: 'Every NHS login reference code this help centre explains, with a link to the section that explains it.',
    canonical: canonicalUrl(context.baseUrl, '/cid'),
    breadcrumbs: [{ text: 'Home', href: '/' }],
    codes,
  });
  documents.set('/cid', prepareBody(indexHtml, 'text/html; charset=utf-8'));
  documents.set('/cid.json', prepareBody(`${JSON.stringify(codes, null, 2)}\n`, 'application/json; charset=utf-8'));
  documents.set('/sitemap.xml', prepareBody(sitemapXml(site, context.baseUrl), 'application/xml; charset=utf-8'));
  documents.set('/robots.txt', prepareBody(robotsTxt(context.baseUrl, Boolean(context.robotsDisallowAll)), 'text/plain; charset=utf-8'));
  return documents;
}

export function renderSite(contentDir: string, viewsDir: string, views: nunjucks.Environment, context: SiteContext): RenderedSite {
  const site = loadSite(contentDir, viewsDir, views);
  return {
    site,
    pages: renderPages(site, views, context),
    documents: renderDocuments(site, views, context),
    search: buildSearchIndex(sectionDocuments(site), { synonyms: loadSynonyms(contentDir) }),
  };
}
