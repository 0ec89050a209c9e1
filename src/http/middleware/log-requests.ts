import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../../logger';

const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

/** One log line per request: method, path (never the query), status and time taken. */
export function logRequests(logger: Logger): RequestHandler {
  return (req, res, next) => {
    logWhenFinished(logger, req, res, () => req.path);
    next();
  };
}

/**
 * Logs one request (see logRequests) when its response has been sent; `pathOf` gives its path
 * without the query, `start` when its handling began (now, by default).
 */
export function logWhenFinished(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  pathOf: () => string,
  start = process.hrtime.bigint(),
): void {
  res.on('finish', () => logRequest(logger, req.method, pathOf(), res.statusCode, start));
}

/** The log line for one request whose response has been sent, timed from `start` (process.hrtime.bigint()). */
export function logRequest(logger: Logger, method: string | undefined, path: string, status: number, start: bigint): void {
  // The path only: query strings can hold what people typed into search or forms.
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const entry = { method, path: path.slice(0, 200), status, ms: Math.round(ms * 10) / 10 };
  // Load balancers ask every few seconds: their checks are for debugging, not the everyday log.
  if (HEALTH_PATHS.has(path) && status < 500) logger.debug(entry, 'request');
  else logger.info(entry, 'request');
}
