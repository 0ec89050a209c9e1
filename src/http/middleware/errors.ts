import { CACHE } from '../cache';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../../logger';
import type { RenderedSite } from '../../render/rendered-site';
import { renderDynamic, sendDynamic, sendPrepared } from '../send';

import { NOT_FOUND_TEMPLATE, notFoundLocals } from '../../render/view-models/not-found';

/** Renders the 404 page for this request, compressed: for a reference code that names no section. */
export function renderNotFound(res: Response, code?: string): void {
  renderDynamic(res.req, res, NOT_FOUND_TEMPLATE, notFoundLocals(code), CACHE.none, 404);
}

/**
 * The last route: "Page not found". The page is the same for every request, so it is rendered
 * with the site and sent prepared; without a site, or for a patient who came from a service
 * (whose page offers the way back), it is rendered each time.
 */
export function notFound(current?: () => RenderedSite): RequestHandler {
  return (req, res) => {
    const prepared = res.locals.returnTo ? undefined : current?.().notFound;
    if (prepared) sendPrepared(req, res, prepared, CACHE.none, 404);
    else renderNotFound(res);
  };
}

const MESSAGES: Record<number, { heading: string; paragraphs: string[] }> = {
  400: {
    heading: 'Sorry, we could not understand that request',
    paragraphs: ['Check the web address or the words you typed, then try again.'],
  },
  403: {
    heading: 'Sorry, your form could not be sent',
    paragraphs: ['This can happen if the page was open for a long time. Go back, reload the page and try again.'],
  },
  404: { heading: 'Page not found', paragraphs: ['If you typed the web address, check it is correct.'] },
  405: { heading: 'Sorry, you cannot do that here', paragraphs: ['This address only shows a page. Go back and try again.'] },
  413: { heading: 'Sorry, that was too much to send', paragraphs: ['Make your message shorter and try again.'] },
  414: { heading: 'Sorry, that web address is too long', paragraphs: ['Check the web address and try again.'] },
  415: { heading: 'Sorry, we could not understand that request', paragraphs: ['Go back and try again.'] },
  429: { heading: 'Sorry, you have sent too many messages', paragraphs: ['Wait 10 minutes, then try again.'] },
  500: { heading: 'Sorry, there is a problem with the service', paragraphs: ['Try again later.'] },
};

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/** The last handler: a 4xx page for bad requests, a 500 page with no internal detail for the rest. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const status = statusOf(error);
    if (status >= 500) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const shown = status >= 500 ? 500 : status;
    const message = MESSAGES[shown] ?? MESSAGES[400]!;
    res.status(shown).setHeader('Cache-Control', CACHE.none);
    res.render('pages/error.njk', { pageTitle: message.heading, ...message, robotsNoindex: true }, (renderError, html) => {
      if (renderError) {
        logger.error({ err: renderError }, 'error page failed to render');
        res.type('text/plain').send(message.heading);
      } else {
        sendDynamic(req, res, html, CACHE.none, shown);
      }
    });
  };
}
