import { escapeXml } from '../escape';
import { canonicalUrl } from '../../content/urls';
import type { Page, Site } from '../../content/site';

/** JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` escaped so it cannot end the script. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * schema.org data for a page: a BreadcrumbList below the home page, for articles an Article with
 * dateModified, and for the home page the WebSite (a trail of one item is no trail).
 */
export function structuredData(site: Site, page: Page, baseUrl: string, siteName = 'NHS login help centre'): Record<string, unknown> {
  if (page === site.home) {
    return {
      '@context': 'https://schema.org',
      '@graph': [{ '@type': 'WebSite', name: siteName, url: canonicalUrl(baseUrl, '/'), inLanguage: 'en-GB' }],
    };
  }
  const trail = [...site.ancestorsOf(page), page];
  const breadcrumbs = {
    '@type': 'BreadcrumbList',
    itemListElement: trail.map((item, i) => ({
      '@type': 'ListItem',
      position: i + 1,
      name: item === site.home ? 'Home' : item.title,
      item: canonicalUrl(baseUrl, item.url),
    })),
  };
  const graph: Record<string, unknown>[] = [breadcrumbs];
  if (page.kind === 'article') {
    graph.push({
      '@type': 'Article',
      headline: page.title,
      description: page.subtitle,
      dateModified: page.lastModified.toISOString(),
      mainEntityOfPage: canonicalUrl(baseUrl, page.url),
      inLanguage: 'en-GB',
    });
  }
  return { '@context': 'https://schema.org', '@graph': graph };
}

/** Indexable pages that routes serve rather than content: the reference-code index. */
export const ROUTE_PAGES_IN_SITEMAP = ['/cid'];

/**
 * A sitemaps.org sitemap of every hub and article and the reference-code index, with absolute
 * URLs and lastmod dates. The index changes when any page that owns a code does.
 */
export function sitemapXml(site: Site, baseUrl: string): string {
  const entry = (url: string, modified: Date): string =>
    `  <url>\n    <loc>${escapeXml(canonicalUrl(baseUrl, url))}</loc>\n    <lastmod>${modified.toISOString().slice(0, 10)}</lastmod>\n  </url>`;
  const owners = [...site.codes.values()].map((owner) => owner.page.lastModified.getTime());
  const codesModified = new Date(owners.length ? Math.max(...owners) : site.home.lastModified.getTime());
  const urls = [...site.pages]
    .sort((a, b) => (a === site.home ? -1 : b === site.home ? 1 : a.url.localeCompare(b.url)))
    .map((page) => entry(page.url, page.lastModified));
  for (const url of ROUTE_PAGES_IN_SITEMAP) urls.push(entry(url, codesModified));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

/** robots.txt: allow everything and name the sitemap, or (for staging) disallow everything. */
export function robotsTxt(baseUrl: string, disallowAll: boolean): string {
  if (disallowAll) return 'User-agent: *\nDisallow: /\n';
  return `User-agent: *\nAllow: /\n\nSitemap: ${canonicalUrl(baseUrl, '/sitemap.xml')}\n`;
}
