import type { RequestHandler } from 'express';
import type { RenderedSite } from '../../render/rendered-site';
import type { ReturnLink } from '../../render/view-models/return-link';
import { FROM_PARAM } from '../../render/view-models/return-link';
import { CACHE } from '../cache';
import { sendPrepared } from '../send';

/**
 * Hub and article pages, rendered once and served from memory by URL. `?from=<service id>` of a
 * known service serves the page with "Go back to <service>" (rendered once per service); any
 * other `from` redirects to the page without it, so the query cannot make new pages.
 */
export function pages(current: () => RenderedSite): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const rendered = current();
    const page = rendered.pages.get(req.path);
    if (!page) return next();
    if (req.query[FROM_PARAM] === undefined) return sendPrepared(req, res, page, CACHE.page);
    const returnTo = res.locals.returnTo as ReturnLink | undefined;
    const variant = returnTo && rendered.withReturn(req.path, returnTo);
    if (variant) return sendPrepared(req, res, variant, CACHE.page);
    res.setHeader('Cache-Control', CACHE.meta);
    return res.redirect(301, req.path);
  };
}
