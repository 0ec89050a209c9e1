import { Router } from 'express';
import type { SiteBundle } from '../load-site';

/** Health check for load balancers and the container. */
export function meta(current: () => SiteBundle | undefined): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const bundle = current();
    res.setHeader('Cache-Control', 'no-store');
    if (!bundle) return res.status(503).json({ status: 'starting' });
    return res.json({ status: 'ok', pages: bundle.pages.size, codes: bundle.site.codes.size });
  });
  return router;
}
