import { Router } from 'express';
import type { Response } from 'express';
import type { Site } from '../../content/site';
import { ownerOf } from '../../content/site';
import type { InsightRecorder } from '../../insights/events';
import type { RenderedSite } from '../../render/rendered-site';
import createHttpError from '../middleware/http-error';
import { renderNotFound } from '../middleware/errors';
import { CACHE } from '../cache';
import { sendPrepared, sendRedirect } from '../send';

/** Where a code's section is: `<article URL>#<heading id>`, or undefined. */
export function codeTarget(site: Site, input: unknown): string | undefined {
  const owner = ownerOf(site, input);
  return owner ? `${owner.page.url}#${owner.section.id}` : undefined;
}

function redirectOrNotFound(site: Site, res: Response, typed: string): void {
  const target = codeTarget(site, typed);
  if (!target) return renderNotFound(res, typed.trim().slice(0, 100));
  res.setHeader('Cache-Control', CACHE.redirect);
  return sendRedirect(res, 302, target);
}

/** `/cid/:code` and `/cid?code=`: the deep links support staff share. */
export function referenceCodes(current: () => RenderedSite, _insights: InsightRecorder): Router {
  const router = Router();
  router.get('/cid.json', (req, res) => sendPrepared(req, res, current().documents.get('/cid.json')!, CACHE.page));
  router.get('/cid', (req, res, next) => {
    const { code } = req.query;
    if (code === undefined) return sendPrepared(req, res, current().documents.get('/cid')!, CACHE.page);
    if (typeof code !== 'string') return next(createHttpError(400, 'code must be a single value'));
    return redirectOrNotFound(current().site, res, code);
  });
  router.get('/cid/:code', (req, res) => redirectOrNotFound(current().site, res, req.params.code));
  return router;
}
