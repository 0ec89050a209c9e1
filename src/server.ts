import { createApp } from './app';
import { loadConfig } from './config';
import { ContentError } from './content/errors';
import { createLogger } from './logger';
import { buildRuntime } from './runtime';

/** The only file with side effects: load config and content, build the app, listen. */
function main(): void {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const { views, assets, bundle } = buildRuntime(config);
  const app = createApp({ config, views, assets, logger, current: () => bundle });
  const server = app.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port, baseUrl: config.baseUrl, pages: bundle.pages.size, codes: bundle.site.codes.size }, 'listening');
  });

  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'closing');
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

try {
  main();
} catch (error) {
  if (error instanceof ContentError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
}
