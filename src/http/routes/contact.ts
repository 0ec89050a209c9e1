import { fromThisSite } from '../same-site';
import { CACHE } from '../cache';
import { renderDynamic, sendDynamic } from '../send';
import { shellsFor } from '../shells';
import express, { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { parseCookies } from '../../contact/csrf';
import type { FieldError, FormValues } from '../../contact/form';
import { contactFormView } from '../../contact/form-view';
import { normaliseMessageReference } from '../../contact/reference';
import type { ContactDependencies } from '../../contact/setup';
import type { SubmitOutcome } from '../../contact/submit';
import { referenceFor, submitContact } from '../../contact/submit';
import type { Site } from '../../content/site';
import type { RenderedSite } from '../../render/rendered-site';
import {
  CONTACT_VIEW,
  contactPageLocals,
  contactShells,
  contactShellVariant,
  fillContactShell,
} from '../../render/view-models/contact-page';
import type { Logger } from '../../logger';

export { referenceFor };

export const BODY_LIMIT = '16kb';
const NOT_STORED = 'Sorry, we could not send your message because of a problem with our service. Try again in a few minutes.';

/** The form token cookie the browser already has, or a new one set on this response. */
function cookieFor(req: Request, res: Response, deps: ContactDependencies): string {
  const existing = parseCookies(req.headers.cookie).get(deps.tokens.cookieName);
  if (deps.tokens.isCookieValue(existing)) return existing;
  const value = deps.tokens.newCookieValue();
  res.append('Set-Cookie', deps.tokens.setCookie(value));
  return value;
}

/**
 * The form shown again with its errors (400) or after the outbox failed (503), rendered whole:
 * these are rare, so they keep the full Nunjucks render rather than a shell per error.
 */
function renderFormAgain(
  req: Request,
  res: Response,
  deps: ContactDependencies,
  site: Site,
  values: FormValues,
  errors: FieldError[],
  failure?: { status: number; text: string },
): void {
  const form = contactFormView({
    values,
    errors,
    notice: failure?.text,
    services: deps.services,
    reference: referenceFor(site, values.code),
    csrfToken: deps.tokens.tokenFor(cookieFor(req, res, deps)),
  });
  renderDynamic(req, res, CONTACT_VIEW, contactPageLocals(form), CACHE.none, failure?.status ?? 400);
}

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', CACHE.none);
  next();
};

export interface ContactRouteOptions {
  /** The site's origin (BASE_URL): the only Origin a form may be posted from. */
  siteOrigin: string;
  /** How long storing a message may take before the patient is told it was not sent. */
  storeTimeoutMs: number;
  logger: Logger;
}

/**
 * The contact form. A valid message is in the outbox before the patient is sent to the
 * confirmation page; the sender forwards it to the ticket system afterwards. The checks and the
 * enqueue are `submitContact`; this only turns its outcome into a page.
 */
export function contact(current: () => RenderedSite, deps: ContactDependencies, options: ContactRouteOptions): Router {
  const router = Router();
  router.use('/contact', noStore);

  // The form as first shown: only its token and reference are made per request.
  const withShell = shellsFor(contactShells(deps.services));
  router.get('/contact', (req, res) => {
    const site = current();
    const reference = referenceFor(site.site, req.query.error);
    const csrfToken = deps.tokens.tokenFor(cookieFor(req, res, deps));
    withShell(req, res, site, contactShellVariant(reference), (shell) =>
      sendDynamic(req, res, fillContactShell(shell, reference, csrfToken), CACHE.none, 200),
    );
  });

  const answer: { [K in SubmitOutcome['kind']]: (req: Request, res: Response, outcome: Extract<SubmitOutcome, { kind: K }>) => void } = {
    forbidden: (_req, res) =>
      res.status(403).render('pages/contact-forbidden.njk', { pageTitle: 'Sorry, your message could not be sent', robotsNoindex: true }),
    'too-many': (_req, res, { retryAfterSeconds }) => {
      res.setHeader('Retry-After', String(retryAfterSeconds));
      res.status(429).render('pages/contact-too-many.njk', {
        pageTitle: 'You have sent us several messages',
        minutes: Math.ceil(retryAfterSeconds / 60),
        robotsNoindex: true,
      });
    },
    invalid: (req, res, { values, errors }) => renderFormAgain(req, res, deps, current().site, values, errors),
    'not-stored': (req, res, { values }) => renderFormAgain(req, res, deps, current().site, values, [], { status: 503, text: NOT_STORED }),
    accepted: (_req, res, { reference }) => res.redirect(303, `/contact/sent?ref=${reference}`),
    'already-used': (_req, res, { reference }) =>
      res.status(409).render('pages/contact-already-sent.njk', {
        pageTitle: 'You have already sent a message with this form',
        reference,
        robotsNoindex: true,
      }),
  };

  router.post('/contact', express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 20 }), async (req, res) => {
    const outcome = await submitContact(
      deps,
      {
        body: req.body as unknown,
        cookie: req.headers.cookie,
        fromThisSite: fromThisSite(req, options.siteOrigin),
        client: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        site: current().site,
      },
      options,
    );
    (answer[outcome.kind] as (req: Request, res: Response, outcome: SubmitOutcome) => void)(req, res, outcome);
  });

  router.get('/contact/sent', (req, res, next) => {
    const reference = normaliseMessageReference(req.query.ref);
    if (!reference) return next();
    return res.render('pages/contact-sent.njk', { pageTitle: 'Message sent', reference, robotsNoindex: true });
  });

  return router;
}
