import type { RequestHandler } from 'express';
import { redirectKey } from '../../content/schema';
import type { RenderedSite } from '../../render/rendered-site';
import { CACHE } from '../cache';

/**
 * Old addresses of pages (front matter `redirect_from`): a 301 to where the page is now. The query
 * string is not carried over, so a cache that leaves it out of its key cannot be pointed elsewhere.
 */
export function redirects(current: () => RenderedSite): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const page = current().site.redirects.get(redirectKey(req.path));
    if (!page) return next();
    res.setHeader('Cache-Control', CACHE.meta);
    return res.redirect(301, page.url);
  };
}
