import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, RequestHandler } from 'express';
import { redirectKey } from '../content/schema';
import { normaliseCode } from '../content/reference-codes';
import type { Site } from '../content/site';
import type { InsightRecorder } from '../insights/events';
import type { Logger } from '../logger';
import type { Assets } from '../render/assets';
import { ASSET_PREFIX } from '../render/assets';
import type { PreparedBody, Representation } from '../render/prepared';
import type { RenderedSite } from '../render/rendered-site';
import type { CachePolicy } from './cache';
import { CACHE } from './cache';
import { logWhenFinished } from './middleware/log-requests';
import { canonicalPath } from './middleware/requests';
import { codeTarget } from './routes/reference-codes';
import { acceptedEncodings, locationHeader, notModifiedEtag } from './send';

/** Answers a request and returns true, or returns false having done nothing, for Express to answer. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface FastPathDependencies {
  current: () => RenderedSite;
  assets: Assets;
  insights: InsightRecorder;
  logger: Logger;
  /** The headers every response carries (security, noindex), in the order Express sets them: see headersSetBy. */
  commonHeaders: readonly (readonly [string, string])[];
  /** Warns once about an untrusted proxy, as Express's middleware does. */
  checkProxy: (headers: IncomingMessage['headers']) => void;
}

/**
 * A path that can only name a file, page, document or code exactly: no query, no percent-encoding,
 * no backslash, nothing a browser or a route could read in another way. Anything else goes to Express.
 */
const PLAIN_PATH = /^\/[A-Za-z0-9._~/-]{0,500}$/;

/** Paths Express answers before any page or file: health checks and nhsuk-frontend's `/assets` folder. */
const EXPRESS_FIRST = /^\/(healthz|readyz|assets)(\/|$)/;

/** Lower case, no empty segment, no trailing slash or `/index`: see isPlainCanonical. */
const PLAIN_CANONICAL = /^\/(?:[a-z0-9._~-]+(?:\/[a-z0-9._~-]+)*)?$/;

/**
 * Whether a path is already its own redirect key and canonical path, which every page's URL is:
 * then neither needs computing. Anything else may still be canonical; it just needs checking.
 */
export function isPlainCanonical(path: string): boolean {
  return PLAIN_CANONICAL.test(path) && !path.endsWith('/index');
}

const META_PATHS = new Set(['/robots.txt', '/sitemap.xml']);
const CODE_PREFIX = '/cid/';

/**
 * The commonest requests answered before Express: GET and HEAD of a hub or article page, the code
 * index and its JSON, robots.txt and the sitemap, a versioned asset or image, and `/cid/CODE` for
 * a known code. Each is one Map lookup and one write of a header block made once per body and
 * encoding (or code): exactly the headers and bytes Express would send, as the tests compare.
 * Everything else falls through to Express unchanged: other methods, any query (`?from=` makes a
 * variant page), paths that would be tidied or redirected, unknown codes, retired codes, the 404
 * page, clients that accept no encoding. These requests skip the takeTurns queue: they cost a few
 * microseconds, which is what that queue keeps health checks and pages waiting behind.
 */
export function createFastPath({ current, assets, insights, logger, commonHeaders, checkProxy }: FastPathDependencies): FastPath {
  const common = commonHeaders.flat();
  const headerBlocks = new Map<CachePolicy, WeakMap<Representation, string[]>>();
  const redirectBlocks = new WeakMap<Site, Map<string, string[]>>();

  const prepared = (req: IncomingMessage, res: ServerResponse, path: string, body: PreparedBody, policy: CachePolicy): boolean => {
    const accepted = acceptedEncodings(req.headers['accept-encoding']);
    // The rare client that takes no encoding gets the body unpacked, by Express.
    if (accepted.length === 0) return false;
    const chosen = body.representation(accepted)!;
    const notModified = notModifiedEtag(body, chosen, req.headers['if-none-match']);
    if (notModified) {
      log(req, res, path);
      res.writeHead(304, [...common, 'Content-Type', body.type, 'Cache-Control', policy, 'Vary', 'Accept-Encoding', 'ETag', notModified]);
      res.end();
      return true;
    }
    let blocks = headerBlocks.get(policy);
    if (!blocks) headerBlocks.set(policy, (blocks = new WeakMap<Representation, string[]>()));
    let headers = blocks.get(chosen.form);
    if (!headers) {
      headers = [
        ...common,
        ...['Content-Type', body.type, 'Cache-Control', policy, 'Vary', 'Accept-Encoding', 'ETag', chosen.form.etag],
        ...['Content-Encoding', chosen.encoding, 'Content-Length', String(chosen.form.bytes.length)],
      ];
      blocks.set(chosen.form, headers);
    }
    log(req, res, path);
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else res.end(chosen.form.bytes);
    return true;
  };

  const codeRedirect = (req: IncomingMessage, res: ServerResponse, path: string, site: Site, typed: string): boolean => {
    const code = normaliseCode(typed);
    if (!code) return false;
    let blocks = redirectBlocks.get(site);
    if (!blocks) redirectBlocks.set(site, (blocks = new Map<string, string[]>()));
    let headers = blocks.get(code);
    if (!headers) {
      const target = codeTarget(site, code);
      // Unknown and retired codes: Express counts them and shows their page.
      if (!target) return false;
      headers = [...common, 'Cache-Control', CACHE.redirect, 'Location', locationHeader(target), 'Content-Length', '0'];
      blocks.set(code, headers);
    }
    insights.record({ kind: 'code-lookup', code: typed });
    log(req, res, path);
    res.writeHead(302, headers);
    res.end();
    return true;
  };

  const isPage = (path: string): boolean => current().pages.has(path);

  const log = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (logger.isLevelEnabled('info')) logWhenFinished(logger, req, res, () => path);
  };

  const answer: FastPath = (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = req.url;
    if (path === undefined || !PLAIN_PATH.test(path) || EXPRESS_FIRST.test(path)) return false;
    checkProxy(req.headers);
    const rendered = current();
    // In the order of Express's routes: meta, static files, redirects, tidying, pages, codes.
    if (META_PATHS.has(path)) {
      const document = rendered.documents.get(path);
      return document ? prepared(req, res, path, document, CACHE.meta) : false;
    }
    if (path.startsWith(ASSET_PREFIX)) {
      const asset = assets.get(path) ?? rendered.images.get(path);
      return asset ? prepared(req, res, path, asset, CACHE.immutable) : false;
    }
    if (isPlainCanonical(path)) {
      if (rendered.site.redirects.has(path)) return false;
    } else {
      if (rendered.site.redirects.has(redirectKey(path))) return false;
      if (canonicalPath(path, isPage) !== undefined) return false;
    }
    const page = rendered.pages.get(path);
    if (page) return prepared(req, res, path, page, CACHE.page);
    if (path === '/cid' || path === '/cid.json') {
      const document = rendered.documents.get(path);
      return document ? prepared(req, res, path, document, CACHE.page) : false;
    }
    if (path.startsWith(CODE_PREFIX) && path.indexOf('/', CODE_PREFIX.length) < 0) {
      return codeRedirect(req, res, path, rendered.site, path.slice(CODE_PREFIX.length));
    }
    return false;
  };

  return (req, res) => {
    try {
      return answer(req, res);
    } catch (error) {
      // A page that cannot be made, say: Express tries again, and answers a failure with its error page (and logs it).
      logger.warn({ err: error, method: req.method, path: req.url?.slice(0, 200) }, 'fast path failed: Express answers instead');
      if (!res.headersSent) return false;
      res.destroy();
      return true;
    }
  };
}

/**
 * The headers a middleware sets on every response, in order, found by running it once on a
 * stand-in response: for the security headers, whose values do not depend on the request.
 */
export function headersSetBy(middleware: RequestHandler): [string, string][] {
  const headers = new Map<string, [string, string]>();
  const res = {
    setHeader(name: string, value: unknown) {
      if (typeof value !== 'string') throw new Error(`The fast path copies only headers with one string value, not ${name}`);
      headers.set(name.toLowerCase(), [name, value]);
      return res;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
  };
  let called = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as never, res as never, () => (called = true));
  if (!called) throw new Error('A middleware whose headers the fast path copies must pass every request on at once');
  return [...headers.values()];
}

/**
 * Puts the fast path in front of an Express app. The app is `(req, res, next) => app.handle(req,
 * res, next)`, so wrapping `handle` runs it before anything Express does per request (swapping the
 * request's prototypes, the final handler, the router), however the app is served. A mounted app
 * (called with `next`) is left to Express.
 */
export function answerFirst(app: Express, fastPath: FastPath): void {
  type Handle = (req: IncomingMessage, res: ServerResponse, next?: unknown) => void;
  const handled = app as unknown as { handle: Handle };
  const handle = handled.handle;
  handled.handle = function (this: unknown, req, res, next) {
    if (next === undefined && fastPath(req, res)) return;
    handle.call(this, req, res, next);
  };
}
