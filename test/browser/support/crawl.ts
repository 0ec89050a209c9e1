import type { Page } from 'playwright-core';

/** A path no page will ever have, to see the 404 page. */
export const NOT_FOUND_PATH = '/this-page-does-not-exist';

/** Pages to visit even if nothing links to them yet. */
export const SEED_PATHS = ['/', '/cid', '/contact', '/search', '/search?q=password', NOT_FOUND_PATH];

export interface Link {
  /** As written in the page. */
  href: string;
  /** Resolved against the page. */
  url: string;
  text: string;
}

export interface CrawledUrl {
  /** Absolute, without a fragment. */
  url: string;
  /** Status of the last response, after following the site's redirects. */
  status: number;
  /** Each Location followed, resolved. */
  redirects: string[];
  /** Where a browser ends up, including a fragment a redirect added. */
  finalUrl: string;
  contentType: string;
  title: string;
  /** Every id in the served HTML (and a[name]), for #fragment checks. */
  ids: string[];
  links: Link[];
  /** Stylesheets, scripts, icons, images and the manifest the page loads. */
  resources: string[];
  /** Pages that link here (or "seed"/"sitemap"). */
  referrers: string[];
}

export interface Crawl {
  baseUrl: string;
  sitemap: { status: number; urls: string[] };
  urls: Record<string, CrawledUrl>;
}

export function isInternal(url: string, baseUrl: string): boolean {
  const parsed = new URL(url);
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === new URL(baseUrl).origin;
}

export function withoutFragment(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.href;
}

interface Parsed {
  title: string;
  ids: string[];
  links: { href: string; text: string }[];
  resources: string[];
}

/** Parses served HTML with the browser's own parser (no scripts run, nothing is fetched). */
function parseHtml(parser: Page, html: string): Promise<Parsed> {
  return parser.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'text/html');
    const ids = [...doc.querySelectorAll('[id]')].map((el) => el.id);
    const names = [...doc.querySelectorAll('a[name]')].map((el) => el.getAttribute('name') ?? '');
    const links = [...doc.querySelectorAll('a[href], area[href]')].map((el) => ({
      href: el.getAttribute('href') ?? '',
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
    }));
    const resources = [
      ...[...doc.querySelectorAll('link[href]')]
        .filter((el) => !/\b(canonical|alternate|preconnect|dns-prefetch)\b/.test(el.getAttribute('rel') ?? ''))
        .map((el) => el.getAttribute('href') ?? ''),
      ...[...doc.querySelectorAll('script[src], img[src]')].map((el) => el.getAttribute('src') ?? ''),
    ];
    return { title: doc.title, ids: [...ids, ...names], links, resources };
  }, html);
}

const MAX_URLS = 1000;
const MAX_REDIRECTS = 5;

async function fetchFollowing(url: string, baseUrl: string): Promise<{ response: Response; redirects: string[]; finalUrl: string }> {
  const redirects: string[] = [];
  let current = url;
  let fragment = new URL(url).hash;
  for (;;) {
    const response = await fetch(current, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location && redirects.length < MAX_REDIRECTS) {
      const next = new URL(location, current);
      if (next.hash) fragment = next.hash;
      redirects.push(next.href);
      await response.arrayBuffer();
      if (!isInternal(next.href, baseUrl)) return { response, redirects, finalUrl: next.href };
      current = withoutFragment(next.href);
      continue;
    }
    const final = new URL(current);
    final.hash = fragment;
    return { response, redirects, finalUrl: final.href };
  }
}

/**
 * Visits every URL of the site reachable from the seeds and the sitemap by following links
 * (a and area), records what each answered and, for HTML, its ids, links and resources.
 * Only records; the tests decide what is wrong.
 */
export async function crawlSite(baseUrl: string, parser: Page): Promise<Crawl> {
  const urls: Record<string, CrawledUrl> = {};
  const queue: { url: string; from: string }[] = SEED_PATHS.map((seed) => ({ url: new URL(seed, baseUrl).href, from: 'seed' }));

  const sitemapResponse = await fetch(new URL('/sitemap.xml', baseUrl));
  const sitemapText = await sitemapResponse.text();
  const sitemapUrls =
    sitemapResponse.status === 200
      ? [...sitemapText.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))
      : [];
  for (const url of sitemapUrls) queue.push({ url, from: 'sitemap' });

  while (queue.length > 0) {
    const { url: raw, from } = queue.shift()!;
    if (!isInternal(raw, baseUrl)) continue;
    const url = withoutFragment(raw);
    const known = urls[url];
    if (known) {
      if (!known.referrers.includes(from)) known.referrers.push(from);
      continue;
    }
    if (Object.keys(urls).length >= MAX_URLS) throw new Error(`Crawl stopped at ${MAX_URLS} URLs: is a page generating links?`);

    const { response, redirects, finalUrl } = await fetchFollowing(url, baseUrl);
    const contentType = response.headers.get('content-type') ?? '';
    const entry: CrawledUrl = {
      url,
      status: response.status,
      redirects,
      finalUrl,
      contentType,
      title: '',
      ids: [],
      links: [],
      resources: [],
      referrers: [from],
    };
    urls[url] = entry;
    const isHtml = contentType.startsWith('text/html');
    const body = isHtml ? await response.text() : (await response.arrayBuffer(), '');
    // Redirects are recorded on their own URL; the page they land on is crawled as itself.
    if (redirects.length > 0) {
      if (isInternal(finalUrl, baseUrl)) queue.push({ url: finalUrl, from: url });
      continue;
    }
    if (!isHtml) continue;
    const parsed = await parseHtml(parser, body);
    entry.title = parsed.title;
    entry.ids = parsed.ids;
    entry.links = parsed.links.map((link) => ({ ...link, url: new URL(link.href, url).href }));
    entry.resources = parsed.resources.map((href) => new URL(href, url).href);
    for (const link of entry.links) queue.push({ url: link.url, from: url });
  }
  return { baseUrl, sitemap: { status: sitemapResponse.status, urls: sitemapUrls }, urls };
}

/** The query parameter names of a URL, sorted: /search?q=a&page=2 → "page,q". */
function queryNames(url: URL): string {
  return [...new Set(url.searchParams.keys())].sort().join(',');
}

/**
 * The pages to audit in a browser: every HTML page the crawl reached, once per path and set of
 * query parameter names (so /contact?error=CID1001 and /contact?error=CID2001 share one audit,
 * while /search and /search?q= are audited apart). Every URL is still link-checked.
 */
export function pagesToAudit(crawl: Crawl): CrawledUrl[] {
  const byKey = new Map<string, CrawledUrl>();
  for (const entry of Object.values(crawl.urls)) {
    if (entry.redirects.length > 0 || !entry.contentType.startsWith('text/html')) continue;
    const url = new URL(entry.url);
    const key = `${url.pathname}?${queryNames(url)}`;
    if (!byKey.has(key)) byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) => a.url.localeCompare(b.url));
}

/** The path and query of a crawled URL, for test names. */
export function sitePath(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}
