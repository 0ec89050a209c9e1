import type { RequestHandler } from 'express';
import type { RenderedSite } from '../../render/rendered-site';
import { CACHE } from '../cache';
import { sendPrepared } from '../send';

/** Hub and article pages, rendered once and served from memory by URL. */
export function pages(current: () => RenderedSite): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const page = current().pages.get(req.path);
    if (!page) return next();
    return sendPrepared(req, res, page, CACHE.page);
  };
}
