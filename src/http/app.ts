import express from 'express';
import type nunjucks from 'nunjucks';
import type { Assets } from '../render/assets';
import { ASSET_PREFIX, nhsukAssetsDir } from '../render/assets';
import type { Config } from '../config';
import type { ContactDependencies } from '../contact/setup';
import type { RenderedSite } from '../render/rendered-site';
import type { InsightRecorder } from '../insights/events';
import { NO_INSIGHTS } from '../insights/events';
import type { Logger } from '../logger';
import { errorHandler, notFound } from './middleware/errors';
import { allowMethods, redirectToCanonical, rejectBadRequests } from './middleware/requests';
import { securityHeaders } from './middleware/security';
import { CACHE } from './cache';
import { sendPrepared } from './send';
import { contact } from './routes/contact';
import { meta, noindex } from './routes/meta';
import { pages } from './routes/pages';
import { referenceCodes } from './routes/reference-codes';
import { search } from './routes/search';

export interface AppDependencies {
  config: Config;
  views: nunjucks.Environment;
  assets: Assets;
  logger: Logger;
  /** The content and pages being served; a function so that development mode can swap them. */
  current: () => RenderedSite;
  /** The contact form's outbox, tokens and limits. Without them the form shows but cannot send. */
  contact?: ContactDependencies;
  /** Counts searches that found nothing and codes looked up; nothing is counted without it. */
  insights?: InsightRecorder;
}

function logRequests(logger: Logger): express.RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      // The path only: query strings can hold what people typed into search or forms.
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.info({ method: req.method, path: req.path.slice(0, 200), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
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
  contact: contactDeps,
  insights = NO_INSIGHTS,
}: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false);
  app.set('query parser', 'simple');
  views.express(app);
  app.set('view engine', 'njk');

  app.use(logRequests(logger));
  app.use(securityHeaders({ https: config.baseUrl.startsWith('https:') }));
  if (config.robotsDisallowAll) app.use(noindex());
  app.use(rejectBadRequests());
  app.use(allowMethods(['/contact']));

  app.use(meta(current));
  app.use((req, res, next) => {
    const asset = req.path.startsWith(ASSET_PREFIX) ? assets.get(req.path) : undefined;
    return asset ? sendPrepared(req, res, asset, CACHE.immutable) : next();
  });
  app.use('/assets', express.static(nhsukAssetsDir, { dotfiles: 'deny', index: false, redirect: false, maxAge: '1d', fallthrough: true }));

  app.use(redirectToCanonical((path) => current().pages.has(path)));
  app.use(pages(current));
  app.use(referenceCodes(current, insights));
  app.get('/search', search(current, insights));
  app.use(contact(current, contactDeps, logger));

  app.use(notFound(current));
  app.use(errorHandler(logger));
  return app;
}
