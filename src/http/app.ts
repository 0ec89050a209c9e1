import express from 'express';
import type nunjucks from 'nunjucks';
import type { Assets } from '../render/assets';
import { ASSET_PREFIX, nhsukAssetsDir } from '../render/assets';
import type { Config } from '../config';
import type { ContactDependencies } from '../contact/setup';
import { unavailableContact } from '../contact/setup';
import type { RenderedSite } from '../render/rendered-site';
import type { InsightRecorder } from '../insights/events';
import type { FeedbackDependencies } from '../insights/setup';
import { NO_INSIGHTS } from '../insights/events';
import type { Logger } from '../logger';
import { errorHandler, notFound } from './middleware/errors';
import type { Lifecycle } from './lifecycle';
import { createLifecycle } from './lifecycle';
import { allowMethods, redirectToCanonical, rejectBadRequests, takeTurns, warnUntrustedProxy } from './middleware/requests';
import { returnLink } from './middleware/return-link';
import { securityHeaders } from './middleware/security';
import { CACHE } from './cache';
import { sendPrepared } from './send';
import { contact } from './routes/contact';
import { feedback } from './routes/feedback';
import { health, meta, noindex } from './routes/meta';
import { pages } from './routes/pages';
import { redirects } from './routes/redirects';
import { referenceCodes } from './routes/reference-codes';
import { search } from './routes/search';

export interface AppDependencies {
  config: Config;
  views: nunjucks.Environment;
  assets: Assets;
  logger: Logger;
  /** The content and pages being served; a function so that development mode can swap them. */
  current: () => RenderedSite;
  /** The contact form's outbox, tokens and limits. Without them (pages-only tests and tools) the form shows but cannot send. */
  contact?: ContactDependencies;
  /** Serving or draining; the server's shutdown sets it. */
  lifecycle?: Lifecycle;
  /** Counts searches that found nothing and codes looked up; nothing is counted without it. */
  insights?: InsightRecorder;
  /** Where "Was this page helpful?" answers are stored. Without it the form shows but cannot send. */
  feedback?: FeedbackDependencies;
}

const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

function logRequests(logger: Logger): express.RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      // The path only: query strings can hold what people typed into search or forms.
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const entry = { method: req.method, path: req.path.slice(0, 200), status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      // Load balancers ask every few seconds: their checks are for debugging, not the everyday log.
      if (HEALTH_PATHS.has(req.path) && res.statusCode < 500) logger.debug(entry, 'request');
      else logger.info(entry, 'request');
    });
    next();
  };
}

/** Builds the Express app: middleware in order, routes, then 404 and the error handler. */
export function createApp({
  config,
  views,
  assets,
  logger,
  current,
  contact: contactDeps = unavailableContact(),
  lifecycle = createLifecycle(),
  insights = NO_INSIGHTS,
  feedback: feedbackDeps,
}: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false);
  app.set('query parser', 'simple');
  views.express(app);
  app.set('view engine', 'njk');

  app.use(logRequests(logger));
  // Health first: cheap, and answered however many page requests are waiting behind takeTurns.
  app.use(health({ current, outbox: contactDeps.outbox, lifecycle, timeoutMs: config.server.readyTimeoutMs, logger }));
  app.use(warnUntrustedProxy(config.trustProxy, (message) => logger.warn(message)));
  app.use(takeTurns());
  app.use(securityHeaders({ https: config.baseUrl.startsWith('https:') }));
  if (config.robotsDisallowAll) app.use(noindex());
  app.use(rejectBadRequests());
  app.use(allowMethods(['/contact', '/feedback']));

  app.use(meta(current));
  app.use((req, res, next) => {
    const asset = req.path.startsWith(ASSET_PREFIX) ? (assets.get(req.path) ?? current().images.get(req.path)) : undefined;
    return asset ? sendPrepared(req, res, asset, CACHE.immutable) : next();
  });
  // Pages load nhsuk-frontend's icons from /static/ with a content hash; this serves pages cached from before.
  app.use('/assets', express.static(nhsukAssetsDir, { dotfiles: 'deny', index: false, redirect: false, maxAge: '1d', fallthrough: true }));

  app.use(redirects(current));
  app.use(redirectToCanonical((path) => current().pages.has(path)));
  app.use(returnLink(current));
  app.use(pages(current));
  app.use(referenceCodes(current, insights));
  app.get('/search', search(current, insights));
  app.use(contact(current, contactDeps, { siteOrigin: config.baseUrl, storeTimeoutMs: config.contact.databaseTimeoutMs, logger }));
  app.use(feedback(current, config.baseUrl, feedbackDeps, logger));

  app.use(notFound(current));
  app.use(errorHandler(logger));
  return app;
}
