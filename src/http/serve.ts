import http from 'node:http';
import type { RequestListener } from 'node:http';
import type { ServerConfig } from '../config';
import type { Logger } from '../logger';
import type { Lifecycle } from './lifecycle';

/**
 * An HTTP server with limits for slow and greedy clients: the request headers and the whole
 * request must arrive in time (checked every second, so a slow client is closed close to the
 * limit rather than up to 30 s later), idle keep-alive connections are closed, and connections
 * beyond `maxConnections` are refused. While the lifecycle is draining, every response says
 * `Connection: close`, so keep-alive clients finish their request and go elsewhere.
 */
export function createServer(app: RequestListener, limits: ServerConfig, lifecycle: Lifecycle): http.Server {
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    app,
  );
  server.maxConnections = limits.maxConnections;
  // Checked when the response's head is written, not when the request arrived: a request whose
  // body was still coming in when draining began must be answered with Connection: close too.
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
    res.writeHead = (...args: unknown[]) => {
      if (lifecycle.draining && !res.headersSent) res.setHeader('Connection', 'close');
      return writeHead(...args);
    };
  });
  return server;
}

export interface ShutdownDependencies {
  server: http.Server;
  lifecycle: Lifecycle;
  limits: ServerConfig;
  logger: Logger;
  /** Stops the sender after the messages it holds, and closes the outbox. */
  closeContact: () => Promise<void>;
  exit: (code: number) => void;
}

/**
 * Graceful shutdown, in order: /readyz fails at once (the load balancer stops sending new
 * requests) while everything is still served for `shutdownDrainMs`; then the listener closes,
 * idle connections are closed, in-flight requests finish and get `Connection: close`; then the
 * sender stops after its current messages and the outbox closes; exit 0. If that takes more
 * than `shutdownTimeoutMs` after the drain, or a second signal comes, exit 1.
 */
export function createShutdown(deps: ShutdownDependencies): (signal: string, drainMs?: number) => void {
  const { server, lifecycle, limits, logger } = deps;
  let started = false;
  return (signal, drainMs = limits.shutdownDrainMs) => {
    if (started) {
      logger.error({ signal }, 'second signal during shutdown: stopping now');
      deps.exit(1);
      return;
    }
    started = true;
    lifecycle.startDraining();
    logger.info({ signal, drainMs }, 'shutting down: draining');
    setTimeout(() => {
      logger.info('shutting down: closing connections');
      const force = setTimeout(() => {
        logger.error({ timeoutMs: limits.shutdownTimeoutMs }, 'shutdown took too long: stopping now');
        deps.exit(1);
      }, limits.shutdownTimeoutMs);
      force.unref();
      // Connections that go idle after their last response close themselves (Connection: close);
      // this catches any that were idle already or go idle without a response.
      const sweep = setInterval(() => server.closeIdleConnections(), 250);
      server.close(() => {
        clearInterval(sweep);
        deps.closeContact().then(
          () => {
            logger.info('stopped');
            deps.exit(0);
          },
          (error: unknown) => {
            logger.error({ err: { message: (error as Error)?.message } }, 'could not close the outbox cleanly');
            deps.exit(1);
          },
        );
      });
      server.closeIdleConnections();
    }, drainMs).unref();
  };
}
