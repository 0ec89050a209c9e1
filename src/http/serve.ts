import http from 'node:http';
import type { RequestListener } from 'node:http';
import type { ServerConfig } from '../config';
import type { Logger } from '../logger';
import type { Lifecycle } from './lifecycle';
import { fastPathOf } from './fast-path';
import { answerFromSocket } from './front';

/**
 * An HTTP server with limits for slow and greedy clients: the request headers and the whole
 * request must arrive in time (checked every second, so a slow client is closed close to the
 * limit rather than up to 30 s later), idle keep-alive connections are closed, and connections
 * beyond `maxConnections` are refused. While the lifecycle is draining, every response says
 * `Connection: close`, so keep-alive clients finish their request and go elsewhere. An app with a
 * fast path (see createApp) has it answer from the socket, before node:http (see answerFromSocket),
 * unless `front` is false (and reads each connection into a buffer of its own unless `ownBuffer`
 * is false: see OWN_BUFFER_FIELDS).
 */
export function createServer(
  app: RequestListener,
  limits: ServerConfig,
  lifecycle: Lifecycle,
  { front = true, ownBuffer = true }: { front?: boolean; ownBuffer?: boolean } = {},
): http.Server {
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
      ServerResponse: drainingAware(lifecycle),
    },
    app,
  );
  server.maxConnections = limits.maxConnections;
  const fastPath = front ? fastPathOf(app) : undefined;
  if (fastPath) answerFromSocket(server, fastPath, lifecycle, { ownBuffer });
  return server;
}

/**
 * Responses that say `Connection: close` while the lifecycle is draining. Checked when the
 * response's head is written, not when the request arrived: a request whose body was still coming
 * in when draining began must be answered with Connection: close too. Every way of sending
 * (`res.end` alone, `writeHead` with headers) goes through writeHead. It is set on each response
 * rather than on the prototype because Express replaces the prototype of the responses it handles.
 */
function drainingAware(lifecycle: Lifecycle): typeof http.ServerResponse {
  // Called with each response as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const writeHead = http.ServerResponse.prototype.writeHead as (this: http.ServerResponse, ...args: unknown[]) => http.ServerResponse;
  function writeHeadWhileDraining(this: http.ServerResponse, status: number, reason?: unknown, headers?: unknown): http.ServerResponse {
    if (lifecycle.draining && !this.headersSent) {
      // Headers given as a list (the fast path's) get it last, where setHeader would have put it.
      if (Array.isArray(reason)) reason = closing(reason as string[]);
      else if (Array.isArray(headers)) headers = closing(headers as string[]);
      else this.setHeader('Connection', 'close');
    }
    return writeHead.call(this, status, reason, headers);
  }
  const closing = (headers: string[]): string[] =>
    headers.some((value, i) => i % 2 === 0 && value.toLowerCase() === 'connection') ? headers : [...headers, 'Connection', 'close'];
  class DrainingAwareResponse extends http.ServerResponse {
    constructor(req: http.IncomingMessage) {
      super(req);
      (this as { writeHead: unknown }).writeHead = writeHeadWhileDraining;
    }
  }
  return DrainingAwareResponse as typeof http.ServerResponse;
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
