/**
 * Every Cache-Control policy the site sends, in one place. Routes name a policy; none writes
 * a header value of its own.
 */
export const CACHE = {
  /** Hub and article pages, the code index and its JSON: short-lived, served stale while a CDN revalidates. */
  page: 'public, max-age=300, stale-while-revalidate=86400',
  /** `/cid/CODE` and code searches: the target can move when content changes. */
  redirect: 'public, max-age=300',
  /** robots.txt, the sitemap and path-tidying 301s without a query (with one they are `none`). */
  meta: 'public, max-age=3600',
  /** Files whose URL carries a hash of their content. */
  immutable: 'public, max-age=31536000, immutable',
  /** Anything that depends on the request: search results, errors, forms, health. */
  none: 'no-store',
} as const;

export type CachePolicy = (typeof CACHE)[keyof typeof CACHE];
