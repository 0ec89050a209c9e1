import type { IncomingHttpHeaders } from 'node:http';
import { CACHE } from '../cache';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import createHttpError from './http-error';

const MAX_URL_LENGTH = 2048;

/**
 * Turns away requests no page can answer before any route sees them: overlong URLs (414),
 * malformed percent-encoding or control characters in the path, array-style query keys (400).
 */
export function rejectBadRequests(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.originalUrl.length > MAX_URL_LENGTH) return next(createHttpError(414, 'URL too long'));
    let decoded: string;
    try {
      decoded = decodeURIComponent(req.path);
    } catch {
      return next(createHttpError(400, 'Malformed URL'));
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(decoded)) return next(createHttpError(400, 'Malformed URL'));
    // No page takes array parameters, so `?code[]=a` is a mistake or a probe.
    if (Object.keys(req.query).some((key) => /[[\]]/.test(key))) return next(createHttpError(400, 'Array parameters are not accepted'));
    return next();
  };
}

/** Only GET and HEAD on anything but the paths that take forms. */
export function allowMethods(formPaths: string[]): RequestHandler {
  const forms = new Set(formPaths);
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (req.method === 'POST' && forms.has(req.path)) return next();
    res.setHeader('Allow', forms.has(req.path) ? 'GET, HEAD, POST' : 'GET, HEAD');
    return next(createHttpError(405, 'Method not allowed'));
  };
}

/**
 * The canonical form of a site path: one leading slash, no trailing slash, and for pages,
 * no trailing `/index` and lower case. Returns undefined when the path is already canonical.
 */
export function canonicalPath(path: string, isPage: (path: string) => boolean): string | undefined {
  // Leading backslashes too: browsers read `/\\evil.example` as another site.
  let candidate = `/${path.replace(/^[/\\]+/, '').replace(/\/+$/, '')}`;
  const lowered = candidate.toLowerCase().replace(/\/index$/, '') || '/';
  if (lowered !== candidate && isPage(lowered)) candidate = lowered;
  return candidate === path ? undefined : candidate;
}

/**
 * 301 to the canonical URL, keeping the query string (search needs it). A redirect that carries
 * a query is never cached: a CDN that leaves the query out of its key would otherwise store
 * `/manage/?anything` → `/manage?anything` as the answer for `/manage/`, for everyone.
 */
export function redirectToCanonical(isPage: (path: string) => boolean): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const target = canonicalPath(req.path, isPage);
    if (target === undefined) return next();
    const query = req.originalUrl.indexOf('?');
    res.setHeader('Cache-Control', query >= 0 ? CACHE.none : CACHE.meta);
    return res.redirect(301, target + (query >= 0 ? req.originalUrl.slice(query) : ''));
  };
}

/**
 * Takes the requests behind it one at a time, each in its own turn of the event loop. Without
 * this, a burst of expensive requests read in one turn runs back to back, and a health check or
 * a new connection waits for all of them; with it, the server reads new requests (and answers
 * the cheap routes before this) between each one. Beyond `maxQueued` waiting, the answer is 503.
 */
export function takeTurns(options: { maxQueued: number } = { maxQueued: 10_000 }): RequestHandler {
  const queue: (() => void)[] = [];
  let scheduled = false;
  const runNext = (): void => {
    const next = queue.shift();
    scheduled = queue.length > 0;
    if (scheduled) setImmediate(runNext);
    next?.();
  };
  return (_req, res, next) => {
    if (queue.length >= options.maxQueued) {
      res.setHeader('Retry-After', '1');
      return next(createHttpError(503, 'Server busy'));
    }
    queue.push(() => {
      // A client that gave up while waiting costs nothing more.
      if (res.destroyed || res.writableEnded) return;
      next();
    });
    if (!scheduled) {
      scheduled = true;
      setImmediate(runNext);
    }
    return undefined;
  };
}

/**
 * Says once, in the log, when requests come through a proxy that TRUST_PROXY does not trust: the
 * contact form's rate limit then sees the proxy's address and puts every patient in one bucket.
 */
export function warnUntrustedProxy(trustProxy: number, warn: (message: string) => void): RequestHandler {
  const check = untrustedProxyCheck(trustProxy, warn);
  return (req, _res, next) => {
    check(req.headers);
    next();
  };
}

/** The check warnUntrustedProxy makes, for anything that answers requests before Express: it warns once, whoever calls it. */
export function untrustedProxyCheck(trustProxy: number, warn: (message: string) => void): (headers: IncomingHttpHeaders) => void {
  let warned = trustProxy > 0;
  return (headers) => {
    if (!warned && headers['x-forwarded-for'] !== undefined) {
      warned = true;
      warn(
        'requests carry X-Forwarded-For but TRUST_PROXY is 0: every client looks like the proxy (set TRUST_PROXY to the number of proxies)',
      );
    }
  };
}
