import type { Request } from 'express';

/**
 * Whether a POST came from a page of this site. Browsers since 2023 send `Sec-Fetch-Site`, which
 * decides. Older ones send only `Origin`, which must be the site's own origin (BASE_URL, or the
 * Host it was asked for) or `null`: the site's `Referrer-Policy: no-referrer` makes a browser send
 * `Origin: null` on a form post from its own page. A request with neither header is not from a
 * browser page, so it cannot be a cross-site forgery; the rate limit covers scripts.
 */
export function isSameSite(headers: { secFetchSite?: string; origin?: string; host?: string; protocol: string }, baseUrl: string): boolean {
  const { secFetchSite, origin } = headers;
  if (secFetchSite !== undefined) return secFetchSite === 'same-origin' || secFetchSite === 'same-site';
  if (origin === undefined || origin === 'null' || origin === baseUrl) return true;
  return headers.host !== undefined && origin === `${headers.protocol}://${headers.host}`;
}

/** Whether this request, a form POST, came from a page of this site (see isSameSite). */
export function fromThisSite(req: Request, baseUrl: string): boolean {
  return isSameSite(
    { secFetchSite: req.get('sec-fetch-site'), origin: req.get('origin'), host: req.get('host'), protocol: req.protocol },
    baseUrl,
  );
}
