import { CACHE } from '../cache';
import { renderDynamic } from '../send';
import express, { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { parseCookies } from '../../contact/csrf';
import { enqueueMessage } from '../../contact/enqueue';
import type { FieldError, FormValues } from '../../contact/form';
import { isHoneypotFilled, readFormValues, validateContact } from '../../contact/form';
import { EMPTY_VALUES, contactFormView } from '../../contact/form-view';
import { newMessageReference, normaliseMessageReference } from '../../contact/reference';
import type { ContactDependencies } from '../../contact/setup';
import type { Site } from '../../content/site';
import { normaliseCode } from '../../content/reference-codes';
import type { RenderedSite } from '../../render/rendered-site';
import type { Logger } from '../../logger';

/** The reference a visitor came with: a known code with its section heading, or a well-formed code as typed. */
export function referenceFor(site: Site, input: unknown): { code: string; heading?: string } | undefined {
  if (typeof input !== 'string') return undefined;
  const code = normaliseCode(input);
  if (!code) return undefined;
  const owner = site.codes.get(code);
  return { code, heading: owner?.section.text };
}

export const BODY_LIMIT = '16kb';
const TITLE = 'Contact NHS login support';
const NOT_STORED = 'Sorry, we could not send your message because of a problem with our service. Try again in a few minutes.';

function clientOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** The form token cookie the browser already has, or a new one set on this response. */
function cookieFor(req: Request, res: Response, deps: ContactDependencies): string {
  const existing = parseCookies(req.headers.cookie).get(deps.tokens.cookieName);
  if (deps.tokens.isCookieValue(existing)) return existing;
  const value = deps.tokens.newCookieValue();
  res.append('Set-Cookie', deps.tokens.setCookie(value));
  return value;
}

function renderForm(
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
  const hasError = errors.length > 0 || failure !== undefined;
  const locals = {
    pageTitle: TITLE,
    titlePrefix: hasError ? 'Error: ' : undefined,
    description: 'Send a message to the NHS login support team about a problem with NHS login.',
    form,
  };
  renderDynamic(req, res, 'pages/contact.njk', locals, CACHE.none, failure?.status ?? (hasError ? 400 : 200));
}

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', CACHE.none);
  next();
};

/**
 * The contact form. A valid message is in the outbox before the patient is sent to the
 * confirmation page; the sender forwards it to the ticket system afterwards.
 */
export function contact(current: () => RenderedSite, deps: ContactDependencies | undefined, logger: Logger): Router {
  const router = Router();
  const services = deps?.services ?? [];
  router.use('/contact', noStore);

  router.get('/contact', (req, res) => {
    if (!deps) {
      res.render('pages/contact.njk', {
        pageTitle: TITLE,
        form: contactFormView({ values: EMPTY_VALUES, errors: [], services, csrfToken: '' }),
      });
      return;
    }
    const code = referenceFor(current().site, req.query.error)?.code ?? '';
    renderForm(req, res, deps, current().site, { ...EMPTY_VALUES, code }, []);
  });

  router.post('/contact', express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 20 }), async (req, res) => {
    if (!deps) {
      const form = contactFormView({ values: readFormValues(req.body), errors: [], notice: NOT_STORED, services, csrfToken: '' });
      return res.status(503).render('pages/contact.njk', { pageTitle: TITLE, titlePrefix: 'Error: ', form });
    }
    const cookie = parseCookies(req.headers.cookie).get(deps.tokens.cookieName);
    const body: unknown = req.body;
    const token = body && typeof body === 'object' ? (body as Record<string, unknown>)._csrf : undefined;
    if (!deps.tokens.verify(cookie, token)) {
      res.status(403).render('pages/contact-forbidden.njk', { pageTitle: 'Sorry, your message could not be sent', robotsNoindex: true });
      return undefined;
    }
    const client = clientOf(req);
    const wait = deps.limiter.retryAfter(client);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      res.status(429).render('pages/contact-too-many.njk', {
        pageTitle: 'You have sent us several messages',
        minutes: Math.ceil(wait / 60),
        robotsNoindex: true,
      });
      return undefined;
    }
    if (isHoneypotFilled(body)) {
      deps.limiter.record(client);
      return res.redirect(303, `/contact/sent?ref=${newMessageReference()}`);
    }

    const values = readFormValues(body);
    const { details, errors } = validateContact(values, deps.services);
    if (!details) return renderForm(req, res, deps, current().site, values, errors);

    const referenceCode = referenceFor(current().site, values.code);
    let stored: { id: string; reference: string };
    try {
      stored = await enqueueMessage(deps.outbox, { ...details, ...(referenceCode ? { referenceCode } : {}) });
    } catch (error) {
      // Nothing was stored: say so, and keep everything they typed so they can send it again.
      logger.error({ err: { message: (error as Error)?.message } }, 'could not store a message');
      return renderForm(req, res, deps, current().site, values, [], { status: 503, text: NOT_STORED });
    }
    const { id, reference } = stored;
    deps.limiter.record(client);
    deps.notify();
    logger.info({ messageId: id }, 'message queued');
    return res.redirect(303, `/contact/sent?ref=${reference}`);
  });

  router.get('/contact/sent', (req, res, next) => {
    const reference = normaliseMessageReference(req.query.ref);
    if (!reference) return next();
    return res.render('pages/contact-sent.njk', { pageTitle: 'Message sent', reference, robotsNoindex: true });
  });

  return router;
}
