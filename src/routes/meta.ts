import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { SiteBundle } from '../load-site';
import { sendPrepared } from '../prepared';

export const META_CACHE = 'public, max-age=3600';

/** Staging: every response, errors included, asks search engines not to index it. */
export function noindex(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    next();
  };
}

/** Health check, robots.txt and the sitemap. */
export function meta(current: () => SiteBundle | undefined): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const bundle = current();
    res.setHeader('Cache-Control', 'no-store');
    if (!bundle) return res.status(503).json({ status: 'starting' });
    return res.json({ status: 'ok', pages: bundle.pages.size, codes: bundle.site.codes.size });
  });
  for (const path of ['/robots.txt', '/sitemap.xml']) {
    router.get(path, (req, res, next) => {
      const document = current()?.documents.get(path);
      return document ? sendPrepared(req, res, document, META_CACHE) : next();
    });
  }
  return router;
}
