import type { RequestHandler } from 'express';
import type { SiteBundle } from '../load-site';
import { sendPrepared } from '../prepared';

export const HTML_CACHE = 'public, max-age=300, stale-while-revalidate=86400';

/** Hub and article pages, rendered once and served from memory by URL. */
export function pages(current: () => SiteBundle): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const page = current().pages.get(req.path);
    if (!page) return next();
    return sendPrepared(req, res, page, HTML_CACHE);
  };
}
