import { createApp } from '../http/app';
import { loadConfig } from '../config';
import { openContact } from '../contact/setup';
import { requireServices } from '../contact/services';
import { ContentError } from '../content/errors';
import { createLiveSite } from '../render/live-site';
import type { RenderedSite } from '../render/rendered-site';
import { renderSiteAsync } from '../render/rendered-site';
import { createLogger } from '../logger';
import { startUp } from '../render/startup';

/** The only file with side effects: load config and content, open the outbox, build the app, listen. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const { views, assets, rendered: initial, services, context } = startUp(config);
  const contact = await openContact(config, requireServices(config.contentDir, services), logger);
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
  const app = createApp({ config, views, assets, logger, current: () => current(), contact });
  const server = app.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info(
      { port, baseUrl: config.baseUrl, pages: rendered.pages.size, codes: rendered.site.codes.size, outbox: contact.outbox.kind },
      'listening',
    );
    contact.sender.start();
  });

  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'closing');
    setTimeout(() => process.exit(0), 10_000).unref();
    server.close(() => {
      void contact.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ContentError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
