import { escapeXml } from '../escape';
import { canonicalUrl } from '../../content/urls';
import type { Page, Site } from '../../content/site';

/** JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` escaped so it cannot end the script. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** schema.org data for a page: a BreadcrumbList, and for articles an Article with dateModified. */
export function structuredData(site: Site, page: Page, baseUrl: string): Record<string, unknown> {
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

/** A sitemaps.org sitemap of every hub and article, with absolute URLs and lastmod dates. */
export function sitemapXml(site: Site, baseUrl: string): string {
  const urls = [...site.pages]
    .sort((a, b) => (a === site.home ? -1 : b === site.home ? 1 : a.url.localeCompare(b.url)))
    .map(
      (page) =>
        `  <url>\n    <loc>${escapeXml(canonicalUrl(baseUrl, page.url))}</loc>\n    <lastmod>${page.lastModified.toISOString().slice(0, 10)}</lastmod>\n  </url>`,
    );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

/** robots.txt: allow everything and name the sitemap, or (for staging) disallow everything. */
export function robotsTxt(baseUrl: string, disallowAll: boolean): string {
  if (disallowAll) return 'User-agent: *\nDisallow: /\n';
  return `User-agent: *\nAllow: /\n\nSitemap: ${canonicalUrl(baseUrl, '/sitemap.xml')}\n`;
}
