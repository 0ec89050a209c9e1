import fs from 'node:fs';
import path from 'node:path';
import type nunjucks from 'nunjucks';
import type { Assets } from './assets';
import { readContentFiles } from './content/files';
import { createMarkdown } from './content/markdown';
import type { Site } from './content/site';
import { buildSite } from './content/site';
import { componentRenderer } from './nunjucks';
import type { Prepared } from './prepared';
import { prepare } from './prepared';
import type { SiteContext } from './view-models/page-view';
import { pageView } from './view-models/page-view';

/** What the routes serve: the content model and every page rendered from it. */
export interface SiteBundle {
  site: Site;
  /** Rendered hub and article pages by URL. */
  pages: Map<string, Prepared>;
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
export function renderPages(site: Site, views: nunjucks.Environment, context: SiteContext): Map<string, Prepared> {
  const pages = new Map<string, Prepared>();
  for (const page of site.pages) {
    const template = page === site.home ? 'pages/home.njk' : page.kind === 'hub' ? 'layouts/hub.njk' : page.layout;
    const html = views.render(template, { ...pageView(site, page, context), ogType: page.kind === 'article' ? 'article' : 'website' });
    pages.set(page.url, prepare(html, 'text/html; charset=utf-8'));
  }
  return pages;
}

export function buildBundle(contentDir: string, viewsDir: string, views: nunjucks.Environment, context: SiteContext): SiteBundle {
  const site = loadSite(contentDir, viewsDir, views);
  return { site, pages: renderPages(site, views, context) };
}
