import type { CrawledUrl } from './support/crawl';
import { NOT_FOUND_PATH, SEED_PATHS, sitePath, withoutFragment } from './support/crawl';
import { siteCrawl, siteUrl } from './support/suite';

/**
 * Every internal link on every page the crawl reached resolves: the URL answers 200 (after the
 * site's own redirects, as /cid/<code> links do) and its #fragment names an element on the page
 * it lands on. Links off the site are not followed: the test machine has no internet.
 */

const crawl = siteCrawl();
const entries = Object.values(crawl.urls);
const htmlPages = entries.filter((entry) => entry.redirects.length === 0 && entry.links.length > 0);

/** Fragments every browser handles without an element: the top of the page. */
const TOP_FRAGMENTS = new Set(['', 'top']);

/** What is wrong with following a link to `url` from page `from`, or undefined if it works. */
function problemWith(url: string, from?: CrawledUrl): string | undefined {
  if (from && withoutFragment(url) === from.url) {
    // A link within the page (the skip link, "Back to top"), whatever the page's own status.
    const fragment = decodeURIComponent(new URL(url).hash.slice(1));
    return TOP_FRAGMENTS.has(fragment) || from.ids.includes(fragment) ? undefined : `has no element with id "${fragment}" on this page`;
  }
  const target = crawl.urls[withoutFragment(url)];
  if (!target) return 'was not crawled';
  if (target.status !== 200)
    return `answers ${target.status}${target.redirects.length ? ` (after redirects to ${target.redirects.join(' → ')})` : ''}`;
  // A redirect that names a fragment wins over the link's own, as in a browser.
  const finalFragment = new URL(target.finalUrl).hash || new URL(url).hash;
  const fragment = decodeURIComponent(finalFragment.slice(1));
  if (TOP_FRAGMENTS.has(fragment)) return undefined;
  const landing = crawl.urls[withoutFragment(target.finalUrl)];
  if (!landing) return `lands on ${target.finalUrl}, which was not crawled`;
  if (!landing.ids.includes(fragment)) return `has no element with id "${fragment}" on ${sitePath(landing.url)}`;
  return undefined;
}

test('the crawl reached the pages a patient starts from', () => {
  const statuses = Object.fromEntries(SEED_PATHS.map((path) => [path, crawl.urls[siteUrl(path)]?.status]));
  expect(statuses).toEqual(Object.fromEntries(SEED_PATHS.map((path) => [path, path === NOT_FOUND_PATH ? 404 : 200])));
  expect(htmlPages.length).toBeGreaterThan(10);
});

test('the link checker catches a missing page and a missing fragment', () => {
  const page = crawl.urls[siteUrl('/')]!;
  expect(problemWith(new URL('#no-such-id', page.url).href)).toBe('has no element with id "no-such-id" on /');
  expect(problemWith(new URL('#no-such-id', page.url).href, page)).toBe('has no element with id "no-such-id" on this page');
  expect(problemWith(new URL('#maincontent', page.url).href, page)).toBeUndefined();
  expect(problemWith(siteUrl(NOT_FOUND_PATH))).toBe('answers 404');
});

test.each(htmlPages.map((entry) => [sitePath(entry.url), entry] as const))(
  'every internal link on %s resolves',
  (_name, entry: CrawledUrl) => {
    const problems = entry.links
      .filter((link) => new URL(link.url).origin === new URL(crawl.baseUrl).origin)
      .map((link) => {
        const problem = problemWith(link.url, entry);
        return problem && `"${link.href}" (${link.text || 'no text'}) ${problem}`;
      })
      .filter(Boolean);
    expect(problems).toEqual([]);
  },
);

test('every stylesheet, script, icon and manifest a page loads answers 200', async () => {
  const resources = [...new Set(entries.flatMap((entry) => entry.resources))].filter(
    (url) => new URL(url).origin === new URL(crawl.baseUrl).origin,
  );
  expect(resources.length).toBeGreaterThan(0);
  const failures: string[] = [];
  for (const url of resources) {
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.status !== 200) failures.push(`${response.status} ${sitePath(url)}`);
  }
  expect(failures).toEqual([]);
});

const sitemapTest = crawl.sitemap.status === 200 ? test : test.skip;
sitemapTest('every URL in /sitemap.xml is on this site and answers 200', () => {
  expect(crawl.sitemap.urls.length).toBeGreaterThan(0);
  const problems = crawl.sitemap.urls.map((url) => {
    if (!url.startsWith(`${crawl.baseUrl}/`)) return `${url} is not under ${crawl.baseUrl}`;
    const entry = crawl.urls[withoutFragment(url)];
    return entry?.status === 200 && entry.redirects.length === 0
      ? undefined
      : `${url} answers ${entry?.status}${entry?.redirects.length ? ' (a redirect)' : ''}`;
  });
  expect(problems.filter(Boolean)).toEqual([]);
});

sitemapTest('every page the links reach is in /sitemap.xml', () => {
  const listed = new Set(crawl.sitemap.urls.map((url) => new URL(url).pathname));
  // Content pages: what the sitemap is for. Search results, 404 and query variants are not.
  const linked = htmlPages
    .filter((entry) => entry.status === 200 && !new URL(entry.url).search)
    .map((entry) => new URL(entry.url).pathname)
    .filter((path) => !['/search', '/contact', '/cid'].includes(path));
  expect(linked.filter((path) => !listed.has(path))).toEqual([]);
});
