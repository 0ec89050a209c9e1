import { Router } from 'express';
import type { Request, Response } from 'express';
import type { Site } from '../../content/site';
import { ownerOf } from '../../content/site';
import { sectionUrl } from '../../content/urls';
import { normaliseCode } from '../../content/reference-codes';
import { retiredCodePath } from '../../render/rendered-site';
import type { InsightRecorder } from '../../insights/events';
import type { RenderedSite } from '../../render/rendered-site';
import createHttpError from '../middleware/http-error';
import { renderNotFound } from '../middleware/errors';
import { CACHE } from '../cache';
import { sendPrepared, sendRedirect } from '../send';
import type { ReturnLink } from '../../render/view-models/return-link';
import { withFrom } from '../../render/view-models/return-link';

/** Where a code's section is: `<article URL>#<heading id>`, or undefined. */
export function codeTarget(site: Site, input: unknown): string | undefined {
  const owner = ownerOf(site, input);
  return owner ? sectionUrl(owner.page.url, owner.section.id) : undefined;
}

/** Redirects to the code's section, keeping a known `?from=` so the page still offers the way back. */
function redirectOrNotFound(rendered: RenderedSite, req: Request, res: Response, typed: string, insights: InsightRecorder): void {
  const target = codeTarget(rendered.site, typed);
  if (!target) {
    insights.record({ kind: 'unknown-code', code: typed, via: 'cid' });
    // A retired code: a page saying it is no longer used and where to get help, not a 404.
    const code = normaliseCode(typed);
    const retired = code ? rendered.documents.get(retiredCodePath(code)) : undefined;
    if (retired) return sendPrepared(req, res, retired, CACHE.page);
    return renderNotFound(res, typed.trim().slice(0, 100));
  }
  insights.record({ kind: 'code-lookup', code: typed });
  res.setHeader('Cache-Control', CACHE.redirect);
  return sendRedirect(res, 302, withFrom(target, res.locals.returnTo as ReturnLink | undefined));
}

/** `/cid/:code` and `/cid?code=`: the deep links support staff share. */
export function referenceCodes(current: () => RenderedSite, insights: InsightRecorder): Router {
  const router = Router();
  router.get('/cid.json', (req, res) => sendPrepared(req, res, current().documents.get('/cid.json')!, CACHE.page));
  router.get('/cid', (req, res, next) => {
    const { code } = req.query;
    if (code === undefined) {
      const returnTo = res.locals.returnTo as ReturnLink | undefined;
      const variant = returnTo && current().withReturn('/cid', returnTo);
      return sendPrepared(req, res, variant ?? current().documents.get('/cid')!, CACHE.page);
    }
    if (typeof code !== 'string') return next(createHttpError(400, 'code must be a single value'));
    return redirectOrNotFound(current(), req, res, code, insights);
  });
  router.get('/cid/:code', (req, res) => redirectOrNotFound(current(), req, res, req.params.code, insights));
  return router;
}
