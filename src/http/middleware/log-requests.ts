import type { RequestHandler } from 'express';
import type { Logger } from '../../logger';

const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

/** One log line per request: method, path (never the query), status and time taken. */
export function logRequests(logger: Logger): RequestHandler {
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
