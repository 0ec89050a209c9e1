import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
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
import { acceptedEncodings, dynamicEncoding, locationHeader, notModifiedEtag } from './send';
import type { RecentPages } from './recent-pages';
import type { MadeSearch, SearchShells } from './routes/search';
import { cleanQuery, makeSearch, searchKey, searchVariant } from './routes/search';

/** What the fast path reads of a request: a node:http request has it, and so does one read from the socket. */
export interface FastRequest {
  readonly method?: string;
  readonly url?: string;
  /** Of these, the fast path reads Accept-Encoding, If-None-Match and X-Forwarded-For. */
  readonly headers: IncomingHttpHeaders;
  /**
   * Answer only with what is made already: no search is run for it. Set for a request on a
   * connection a search page was made for in this turn of the event loop (see mayMake), so that
   * a client sending many searches at once waits its turns through Express (takeTurns) instead of
   * holding the event loop for all of them.
   */
  readonly quick?: boolean;
}

/**
 * A response the fast path has made: its status, every header in the order Express would send
 * it, and the body (none for HEAD, 304 and redirects). `path` is what the request log names.
 */
export interface FastAnswer {
  readonly status: number;
  readonly headers: readonly string[];
  readonly body?: Buffer;
  readonly path: string;
  /** A search page was made for this request (see FastRequest.quick). */
  readonly made?: boolean;
}

/** Connections a search page was made for in this turn of the event loop (see mayMake). */
const madeThisTurn = new Set<object>();

/**
 * Whether the fast path may make a search page for a request on this connection now: once per
 * connection in each turn of the event loop, so that a client sending many searches at once
 * (pipelined in one chunk) gets one made here and waits its turns through Express for the rest.
 * Pass the others as `quick`. The socket front and answerFirst share the count.
 */
export function mayMake(connection: object): boolean {
  return !madeThisTurn.has(connection);
}

/** Counts a search page made for a request on this connection, until the next turn of the event loop. */
export function noteMade(connection: object): void {
  if (madeThisTurn.size === 0) setImmediate(() => madeThisTurn.clear());
  madeThisTurn.add(connection);
}

/** The answer to a request, or undefined having done nothing, for Express to answer. */
export type FastPath = (req: FastRequest) => FastAnswer | undefined;

export interface FastPathDependencies {
  current: () => RenderedSite;
  assets: Assets;
  insights: InsightRecorder;
  logger: Logger;
  /** The headers every response carries (security, noindex), in the order Express sets them: see headersSetBy. */
  commonHeaders: readonly (readonly [string, string])[];
  /** Warns once about an untrusted proxy, as Express's middleware does. */
  checkProxy: (headers: IncomingHttpHeaders) => void;
  /** The search pages made most recently, which the search route makes and keeps, and so does the fast path. */
  recentSearches: RecentPages<MadeSearch>;
  /**
   * The search route's shells: once one is rendered for a site (by the route, the first time),
   * the fast path fills it for a query not made yet. Without them it only sends pages made.
   */
  searchShells?: SearchShells;
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

/**
 * A search as the search form sends it: `q` alone, encoded as browsers encode form fields. Any
 * other parameter (`page`, `from`) or character goes to Express.
 */
const FORM_SEARCH = /^\/search\?q=[A-Za-z0-9*._+%-]{0,600}$/;

const META_PATHS = new Set(['/robots.txt', '/sitemap.xml']);
/** Where Express has routes of its own (in any case, as Express matches): a path under none of them that is no page is not found. */
const ROUTED = /^\/(static|cid|cid\.json|search|contact|feedback|healthz|readyz|assets|robots\.txt|sitemap\.xml)(\/|$)/i;
const CODE_PREFIX = '/cid/';

/**
 * The commonest requests answered before Express: GET and HEAD of a hub or article page, the code
 * index and its JSON, robots.txt and the sitemap, a versioned asset or image, `/cid/CODE` for a
 * known code, the prepared 404 page for a plain path that is nothing else, and a search as the
 * search form sends it: its page made already, or made now as the search route makes it once the
 * route has rendered the page's shell for the site (not for a `quick` request). Each but the last
 * is a lookup or two and a header block made once per body and encoding (or code): exactly the
 * headers, bytes and counts Express would give, as the tests compare. Everything else is left to
 * Express unchanged: other methods, other queries (`?from=` makes a variant page), paths that
 * would be tidied or redirected, paths under Express's own routes, unknown and retired codes, a
 * search for a code or before the first, clients that accept no encoding. These requests skip
 * the takeTurns queue: most cost a few microseconds, and a search page made here costs what the
 * route would (the search and gzip), one per connection in a turn of the event loop. The answer is sent by answerFirst (in
 * front of Express) or by the socket front (see front.ts).
 */
export function createFastPath({
  current,
  assets,
  insights,
  logger,
  commonHeaders,
  checkProxy,
  recentSearches,
  searchShells,
}: FastPathDependencies): FastPath {
  const common = commonHeaders.flat();
  const searchHeaders = new WeakMap<Buffer, string[]>();
  const headerBlocks = new Map<CachePolicy, WeakMap<Representation, string[]>>();
  const redirectBlocks = new WeakMap<Site, Map<string, string[]>>();

  const prepared = (req: FastRequest, path: string, body: PreparedBody, policy: CachePolicy, status = 200): FastAnswer | undefined => {
    const accepted = acceptedEncodings(req.headers['accept-encoding']);
    // The rare client that takes no encoding gets the body unpacked, by Express.
    if (accepted.length === 0) return undefined;
    const chosen = body.representation(accepted)!;
    const notModified = status === 200 ? notModifiedEtag(body, chosen, req.headers['if-none-match']) : undefined;
    if (notModified) {
      const headers = [...common, 'Content-Type', body.type, 'Cache-Control', policy, 'Vary', 'Accept-Encoding', 'ETag', notModified];
      return { status: 304, headers, path };
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
    return { status, headers, body: req.method === 'HEAD' ? undefined : chosen.form.bytes, path };
  };

  const codeRedirect = (path: string, site: Site, typed: string): FastAnswer | undefined => {
    const code = normaliseCode(typed);
    if (!code) return undefined;
    let blocks = redirectBlocks.get(site);
    if (!blocks) redirectBlocks.set(site, (blocks = new Map<string, string[]>()));
    let headers = blocks.get(code);
    if (!headers) {
      const target = codeTarget(site, code);
      // Unknown and retired codes: Express counts them and shows their page.
      if (!target) return undefined;
      headers = [...common, 'Cache-Control', CACHE.redirect, 'Location', locationHeader(target), 'Content-Length', '0'];
      blocks.set(code, headers);
    }
    insights.record({ kind: 'code-lookup', code: typed });
    return { status: 302, headers, path };
  };

  /**
   * A search page, with its encoding, headers and counts as the search route sends them: made
   * before, or made now as the route makes it (and kept among the recent ones) once the route has
   * rendered its shell for this site.
   */
  const searched = (req: FastRequest, url: string, rendered: RenderedSite): FastAnswer | undefined => {
    const accepted = acceptedEncodings(req.headers['accept-encoding']);
    if (accepted.length === 0) return undefined;
    // The query parser Express uses ('simple'), so that the query is the one the route reads.
    const { q } = parseQuery(url.slice(url.indexOf('?') + 1));
    if (typeof q !== 'string') return undefined;
    const query = cleanQuery(q);
    const key = searchKey(query, undefined, 1);
    let made = recentSearches.get(rendered, key);
    const making = !made;
    if (!made) {
      if (req.quick) return undefined;
      const shell = searchShells?.known(rendered, searchVariant(query));
      // No shell yet: Express renders it, and makes and counts the page.
      if (!shell) return undefined;
      const answer = rendered.search.answer(query, 1);
      // A code redirects to its section: Express sends that, and counts it.
      if (answer.kind === 'code') return undefined;
      made = makeSearch(answer, query, 1, shell);
      recentSearches.set(rendered, key, made);
    }
    for (const event of made.counted) insights.record(event);
    const encoding = dynamicEncoding(accepted)!;
    const body = made.page.form(encoding);
    let headers = searchHeaders.get(body);
    if (!headers) {
      headers = [
        ...common,
        ...['Content-Type', 'text/html; charset=utf-8', 'Cache-Control', CACHE.none, 'Vary', 'Accept-Encoding'],
        ...['Content-Encoding', encoding, 'Content-Length', String(body.length)],
      ];
      searchHeaders.set(body, headers);
    }
    return { status: 200, headers, body: req.method === 'HEAD' ? undefined : body, path: '/search', ...(making && { made: true }) };
  };

  const isPage = (path: string): boolean => current().pages.has(path);

  const answer: FastPath = (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    const path = req.url;
    if (path === undefined) return undefined;
    if (FORM_SEARCH.test(path)) {
      checkProxy(req.headers);
      return searched(req, path, current());
    }
    if (!PLAIN_PATH.test(path) || EXPRESS_FIRST.test(path)) return undefined;
    checkProxy(req.headers);
    const rendered = current();
    // In the order of Express's routes: meta, static files, redirects, tidying, pages, codes.
    if (META_PATHS.has(path)) {
      const document = rendered.documents.get(path);
      return document ? prepared(req, path, document, CACHE.meta) : undefined;
    }
    if (path.startsWith(ASSET_PREFIX)) {
      const asset = assets.get(path) ?? rendered.images.get(path);
      return asset ? prepared(req, path, asset, CACHE.immutable) : undefined;
    }
    if (isPlainCanonical(path)) {
      if (rendered.site.redirects.has(path)) return undefined;
    } else {
      if (rendered.site.redirects.has(redirectKey(path))) return undefined;
      if (canonicalPath(path, isPage) !== undefined) return undefined;
    }
    const page = rendered.pages.get(path);
    if (page) return prepared(req, path, page, CACHE.page);
    if (path === '/cid' || path === '/cid.json') {
      const document = rendered.documents.get(path);
      return document ? prepared(req, path, document, CACHE.page) : undefined;
    }
    if (path.startsWith(CODE_PREFIX) && path.indexOf('/', CODE_PREFIX.length) < 0) {
      return codeRedirect(path, rendered.site, path.slice(CODE_PREFIX.length));
    }
    // Nothing else but Express's own routes: the "Page not found" page, prepared once.
    if (isPlainCanonical(path) && !path.includes('/.') && !ROUTED.test(path))
      return prepared(req, path, rendered.notFound, CACHE.none, 404);
    return undefined;
  };

  return (req) => {
    try {
      return answer(req);
    } catch (error) {
      // A page that cannot be made, say: Express tries again, and answers a failure with its error page (and logs it).
      logger.warn({ err: error, method: req.method, path: req.url?.slice(0, 200) }, 'fast path failed: Express answers instead');
      return undefined;
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

/** A fast path and the log its requests go to. */
export interface LoggedFastPath {
  answer: FastPath;
  logger: Logger;
}

/** The fast path each app was made with, for a server to answer from the socket (see front.ts). */
const fastPaths = new WeakMap<object, LoggedFastPath>();

export function fastPathOf(app: unknown): LoggedFastPath | undefined {
  return typeof app === 'function' || (typeof app === 'object' && app !== null) ? fastPaths.get(app) : undefined;
}

/**
 * Puts the fast path in front of an Express app. The app is `(req, res, next) => app.handle(req,
 * res, next)`, so wrapping `handle` runs it before anything Express does per request (swapping the
 * request's prototypes, the final handler, the router), however the app is served. A mounted app
 * (called with `next`) is left to Express.
 */
export function answerFirst(app: Express, fastPath: FastPath, logger: Logger): void {
  type Handle = (req: IncomingMessage, res: ServerResponse, next?: unknown) => void;
  const handled = app as unknown as { handle: Handle };
  const handle = handled.handle;
  handled.handle = function (this: unknown, req, res, next) {
    if (next !== undefined) return handle.call(this, req, res, next);
    const logging = logger.isLevelEnabled('info');
    // Timed from here: a search page made by the fast path takes part of a millisecond or more.
    const start = logging ? process.hrtime.bigint() : 0n;
    // node:http reads pipelined requests in one go: after a search page made for this connection, the next waits its turn in Express.
    const answer = fastPath(mayMake(req.socket) ? req : { method: req.method, url: req.url, headers: req.headers, quick: true });
    if (!answer) return handle.call(this, req, res, next);
    if (answer.made) noteMade(req.socket);
    if (logging) logWhenFinished(logger, req, res, () => answer.path, start);
    res.writeHead(answer.status, answer.headers as string[]);
    res.end(answer.body);
  };
  fastPaths.set(app, { answer: fastPath, logger });
}
