import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { RenderedSite } from '../../render/rendered-site';
import { CACHE } from '../cache';
import { sendPrepared } from '../send';

/** Staging: every response, errors included, asks search engines not to index it. */
export function noindex(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    next();
  };
}

/** Health check, robots.txt and the sitemap. */
export function meta(current: () => RenderedSite | undefined): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const rendered = current();
    res.setHeader('Cache-Control', CACHE.none);
    if (!rendered) return res.status(503).json({ status: 'starting' });
    return res.json({ status: 'ok', pages: rendered.pages.size, codes: rendered.site.codes.size });
  });
  for (const path of ['/robots.txt', '/sitemap.xml']) {
    router.get(path, (req, res, next) => {
      const document = current()?.documents.get(path);
      return document ? sendPrepared(req, res, document, CACHE.meta) : next();
    });
  }
  return router;
}
