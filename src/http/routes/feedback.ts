import express, { Router } from 'express';
import type { Response } from 'express';
import type { Site } from '../../content/site';
import { isSectionOf, readFeedback } from '../../insights/feedback';
import { fromThisSite } from '../same-site';
import type { FeedbackDependencies } from '../../insights/setup';
import type { Logger } from '../../logger';
import type { RenderedSite } from '../../render/rendered-site';
import { CACHE } from '../cache';
import createHttpError from '../middleware/http-error';

/** Enough for 500 characters of any script, percent-encoded, with the other fields. */
export const FEEDBACK_BODY_LIMIT = '8kb';

/** Where the thank-you page sends the patient back to, and the code to prefill on the contact form. */
export function thanksView(site: Site, query: Record<string, unknown>): Record<string, unknown> {
  const page = typeof query.page === 'string' ? site.byUrl.get(query.page) : undefined;
  const section = page && typeof query.section === 'string' && isSectionOf(page, query.section) ? query.section : '';
  const code = section ? [...site.codes.values()].find((owner) => owner.page === page && owner.section.id === section)?.code : undefined;
  return {
    pageTitle: 'Thank you for your feedback',
    robotsNoindex: true,
    helpful: query.helpful === 'no' ? 'no' : 'yes',
    backHref: page ? `${page.url}${section ? `#${section}` : ''}` : '/',
    backText: page ? page.title : 'the help centre home page',
    contactHref: code ? `/contact?error=${code}` : '/contact',
  };
}

/** 503: nothing was stored, so say so rather than thank them. */
function renderNotStored(res: Response, site: Site, body: unknown): void {
  const page = body && typeof body === 'object' ? (body as Record<string, unknown>).page : undefined;
  const back = typeof page === 'string' ? site.byUrl.get(page) : undefined;
  res.status(503).render('pages/feedback-not-stored.njk', {
    pageTitle: 'Sorry, we could not save your feedback',
    titlePrefix: 'Error: ',
    robotsNoindex: true,
    backHref: back?.url,
    backText: back?.title,
  });
}

function thanksUrl(page: string, helpful: string, section: string): string {
  const query = new URLSearchParams({ page, helpful, ...(section ? { section } : {}) });
  return `/feedback/thanks?${query.toString()}`;
}

/**
 * "Was this page helpful?": `POST /feedback` from a page of this site, stored before the 303 to
 * the thank-you page. Nothing about the visitor is kept, and no cookie is set.
 */
export function feedback(current: () => RenderedSite, baseUrl: string, deps: FeedbackDependencies | undefined, logger: Logger): Router {
  const router = Router();
  const now = deps?.now ?? Date.now;

  router.post('/feedback', (req, res, next) => {
    res.setHeader('Cache-Control', CACHE.none);
    // Before the body is read: a form from another site is refused whatever it holds.
    if (!fromThisSite(req, baseUrl)) return next(createHttpError(403, 'feedback from another site'));
    return next();
  });

  router.post(
    '/feedback',
    express.urlencoded({ extended: false, limit: FEEDBACK_BODY_LIMIT, parameterLimit: 10 }),
    async (req, res, next) => {
      if (!deps) return renderNotStored(res, current().site, req.body);
      let wait: number;
      try {
        wait = await deps.limiter.check(req.ip ?? req.socket.remoteAddress ?? 'unknown');
      } catch (error) {
        logger.error({ err: { message: (error as Error)?.message } }, 'could not check the feedback rate limit');
        return renderNotStored(res, current().site, req.body);
      }
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait));
        return next(createHttpError(429, 'too much feedback'));
      }
      const body: unknown = req.body;
      const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
      const result = readFeedback(current().site, body);
      // The honeypot: people never see the field, so whatever filled it is not a person. Answer as if accepted.
      if (fields.website !== undefined && fields.website !== '') {
        const page = typeof fields.page === 'string' && current().site.byUrl.has(fields.page) ? fields.page : '/';
        return res.redirect(303, thanksUrl(page, fields.helpful === 'no' ? 'no' : 'yes', ''));
      }
      if ('problem' in result) return next(createHttpError(400, result.problem));
      const { page, section, helpful, comment } = result.answer;
      try {
        await deps.store.addVote({ page: page.url, section, helpful, ...(comment ? { comment } : {}), createdAt: now() });
      } catch (error) {
        logger.error({ err: { message: (error as Error)?.message } }, 'could not store feedback');
        return renderNotStored(res, current().site, req.body);
      }
      return res.redirect(303, thanksUrl(page.url, helpful, section));
    },
  );

  router.get('/feedback/thanks', (req, res) => {
    res.setHeader('Cache-Control', CACHE.none);
    res.render('pages/feedback-thanks.njk', thanksView(current().site, req.query));
  });

  return router;
}
