import express from 'express';
import type nunjucks from 'nunjucks';
import type { Assets } from '../render/assets';
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
import { allowMethods, redirectToCanonical, rejectBadRequests, takeTurns, untrustedProxyCheck } from './middleware/requests';
import { answerFirst, createFastPath, headersSetBy } from './fast-path';
import { returnLink } from './middleware/return-link';
import { securityHeaders } from './middleware/security';
import { contact } from './routes/contact';
import { feedback } from './routes/feedback';
import { health, meta } from './routes/meta';
import { staticFiles } from './routes/static-files';
import { logRequests } from './middleware/log-requests';
import { noindex } from './middleware/noindex';
import { pages } from './routes/pages';
import { redirects } from './routes/redirects';
import { referenceCodes } from './routes/reference-codes';
import type { MadeSearch } from './routes/search';
import { search, searchShells } from './routes/search';
import { RecentPages } from './recent-pages';

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
  /** Answer prepared pages, files and code redirects before Express (see createFastPath); on unless false. */
  fastPath?: boolean;
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
  fastPath = true,
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
  const checkProxy = untrustedProxyCheck(config.trustProxy, (message) => logger.warn(message));
  app.use((req, _res, next) => {
    checkProxy(req.headers);
    next();
  });
  app.use(takeTurns());
  const common = [securityHeaders({ https: config.baseUrl.startsWith('https:') }), ...(config.robotsDisallowAll ? [noindex()] : [])];
  app.use(common);
  app.use(rejectBadRequests());
  app.use(allowMethods(['/contact', '/feedback']));

  app.use(meta(current));
  app.use(staticFiles(assets, current));

  app.use(redirects(current));
  app.use(redirectToCanonical((path) => current().pages.has(path)));
  app.use(returnLink(current));
  app.use(pages(current));
  app.use(referenceCodes(current, insights));
  const recentSearches = new RecentPages<MadeSearch>();
  const shells = searchShells();
  app.get('/search', search(current, insights, recentSearches, shells));
  app.use(contact(current, contactDeps, { siteOrigin: config.baseUrl, storeTimeoutMs: config.contact.databaseTimeoutMs, logger }));
  app.use(feedback(current, config.baseUrl, feedbackDeps, logger));

  app.use(notFound(current));
  app.use(errorHandler(logger));

  if (fastPath) {
    const commonHeaders = common.flatMap(headersSetBy);
    answerFirst(
      app,
      createFastPath({ current, assets, insights, logger, commonHeaders, checkProxy, recentSearches, searchShells: shells }),
      logger,
    );
  }
  return app;
}
