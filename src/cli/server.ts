import { createApp } from '../http/app';
import { createLifecycle } from '../http/lifecycle';
import { createServer, createShutdown } from '../http/serve';
import { ConfigError, loadConfig } from '../config';
import { openContact } from '../contact/setup';
import { requireServices } from '../contact/services';
import { describeFailure } from '../content/errors';
import { openInsights } from '../insights/setup';
import { createLiveSite } from '../render/live-site';
import type { RenderedSite } from '../render/rendered-site';
import { renderSiteAsync, warmUp } from '../render/rendered-site';
import { createLogger } from '../logger';
import { releaseStartUpGarbage, startServer } from '../render/startup';

/** The only file with side effects: load config and content, open the outbox and insight store, build the app, listen. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, config.logFormat);
  const { views, assets, rendered: initial, services, context } = await startServer(config);
  const contact = await openContact(config, requireServices(config.contentDir, services), logger);
  const insights = await openInsights(config, logger);
  let current = (): RenderedSite => initial;
  if (config.watch) {
    const live = createLiveSite({
      build: (options) => renderSiteAsync(config.contentDir, config.viewsDir, views, context, options),
      views,
      context,
      logger,
      initial,
    });
    live.watch([config.contentDir, config.viewsDir]);
    current = () => live.current();
    logger.info({ watching: [config.contentDir, config.viewsDir] }, 'development mode: content and views reload on change');
  }
  const rendered = current();
  const lifecycle = createLifecycle();
  const app = createApp({
    config,
    views,
    assets,
    logger,
    current: () => current(),
    contact,
    lifecycle,
    insights: insights.recorder,
    feedback: insights.feedback,
  });
  const server = createServer(app, config.server, lifecycle);
  const collectedMs = performance.now();
  if (releaseStartUpGarbage()) logger.debug({ ms: Math.round(performance.now() - collectedMs) }, 'start-up garbage collected');
  server.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info(
      { port, baseUrl: config.baseUrl, pages: rendered.pages.size, codes: rendered.site.codes.size, outbox: contact.outbox.kind },
      'listening',
    );
    contact.sender.start();
    insights.startRetention();
    setImmediate(() => warmUp(current()));
  });

  const shutdown = createShutdown({
    server,
    lifecycle,
    limits: config.server,
    logger,
    closeContact: () => Promise.allSettled([contact.close(), insights.close()]).then(() => undefined),
    exit: (code) => process.exit(code),
  });
  // SIGTERM comes from the platform, behind a load balancer: drain. SIGINT is a person at a terminal.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT', 0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : describeFailure(error, 'Could not start')}\n`);
  process.exit(1);
});
