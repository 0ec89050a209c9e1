import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import type express from 'express';
import pino from 'pino';
import { createApp } from '../../src/http/app';
import { canonicalPath } from '../../src/http/middleware/requests';
import { createLifecycle } from '../../src/http/lifecycle';
import type { Lifecycle } from '../../src/http/lifecycle';
import { createServer } from '../../src/http/serve';
import type { InsightEvent } from '../../src/insights/events';
import { redirectKey } from '../../src/content/schema';
import type { PreparedBody } from '../../src/render/prepared';
import { compressionSettled } from '../../src/render/prepared';
import type { RenderedSite } from '../../src/render/rendered-site';
import { startUp } from '../../src/render/startup';
import { testConfig } from '../helpers/app';
import { fastPathOf, isPlainCanonical } from '../../src/http/fast-path';
import net from 'node:net';

// Builds a fixture site; the machine running the suite may be busy.
jest.setTimeout(30_000);

/** A site with renamed pages, a retired code, images and a service to come back to. */
const moved = path.join(__dirname, '..', 'fixtures', 'moved');

interface Served {
  app: express.Express;
  server: http.Server;
  lifecycle: Lifecycle;
  logged: Record<string, unknown>[];
  insights: InsightEvent[];
  warnings: string[];
  /** How many requests reached Express's router. */
  routed: () => number;
}

const config = testConfig({ contentDir: moved, logLevel: 'info' });
const startup = startUp(config);

/** The app over the moved fixture, with or without its fast path, on its own server. */
async function serve(fastPath: boolean, current = (): RenderedSite => startup.rendered, appConfig = config): Promise<Served> {
  const logged: Record<string, unknown>[] = [];
  const warnings: string[] = [];
  const lines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const entry = JSON.parse(chunk.toString()) as Record<string, unknown>;
      if (entry.msg === 'request') logged.push(entry);
      else if (Number(entry.level) >= 40) warnings.push(String(entry.msg));
      done();
    },
  });
  const insights: InsightEvent[] = [];
  const lifecycle = createLifecycle();
  const app = createApp({
    config: appConfig,
    views: startup.views,
    assets: startup.assets,
    logger: pino({ level: 'info' }, lines),
    current,
    lifecycle,
    insights: { record: (event) => insights.push(event) },
    fastPath,
  });
  const router = (app as unknown as { router: { handle: (...args: unknown[]) => unknown } }).router;
  const handle = jest.spyOn(router, 'handle');
  const server = createServer(app, appConfig.server, lifecycle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { app, server, lifecycle, logged, insights, warnings, routed: () => handle.mock.calls.length };
}

interface Answer {
  status: number;
  /** Every header as sent, in order, but the date. */
  headers: string[];
  body: Buffer;
}

/** One request on its own connection; the answer exactly as sent. */
function send(served: Served, url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  const { port } = served.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: url, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const pairs: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i]!.toLowerCase() !== 'date') pairs.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        }
        resolve({ status: res.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

let fast: Served;
let express_: Served;

const asset = (): string => startup.assets.url('site.css');
const image = (): string => [...startup.rendered.images.keys()][0]!;

beforeAll(async () => {
  fast = await serve(true);
  express_ = await serve(false);
  // Settle every body's best forms first, so that both apps send the same forms.
  // The 404 page is one body too, whichever unknown path asks for it.
  for (const url of [
    '/',
    '/guides',
    '/guides/mobile-phone',
    '/cid',
    '/cid.json',
    '/robots.txt',
    '/sitemap.xml',
    asset(),
    image(),
    '/no-such-page',
  ]) {
    await send(express_, url, { 'Accept-Encoding': 'gzip, br' });
  }
  await compressionSettled();
});

afterAll(async () => {
  for (const served of [fast, express_]) {
    served.server.closeAllConnections();
    await new Promise((resolve) => served.server.close(resolve));
  }
});

const ALL = 'gzip, deflate, br';

type Case = [name: string, url: string, headers: Record<string, string>, method?: string];
/** Every case with its method, so that jest passes each test four arguments and no `done`. */
const withMethods = (cases: Case[]): [string, string, Record<string, string>, string][] =>
  cases.map(([name, url, headers, method]) => [name, url, headers, method ?? 'GET']);

/** Requests the fast path answers itself. */
const answered: Case[] = [
  ['an article, brotli', '/guides/mobile-phone', { 'Accept-Encoding': ALL }],
  ['an article, gzip', '/guides/mobile-phone', { 'Accept-Encoding': 'gzip' }],
  ['an article, any encoding', '/guides/mobile-phone', { 'Accept-Encoding': '*' }],
  ['an article, HEAD', '/guides/mobile-phone', { 'Accept-Encoding': ALL }, 'HEAD'],
  ['a hub', '/guides', { 'Accept-Encoding': ALL }],
  ['the home page', '/', { 'Accept-Encoding': 'br' }],
  ['the code index', '/cid', { 'Accept-Encoding': ALL }],
  ['the code index as JSON', '/cid.json', { 'Accept-Encoding': 'gzip' }],
  ['robots.txt', '/robots.txt', { 'Accept-Encoding': ALL }],
  ['the sitemap', '/sitemap.xml', { 'Accept-Encoding': ALL }],
  ['a code', '/cid/CID1002', {}],
  ['a code in lower case', '/cid/cid1002', { 'Accept-Encoding': ALL }],
  ['a code by number, HEAD', '/cid/1003', {}, 'HEAD'],
  ['an unknown page', '/no-such-page', { 'Accept-Encoding': ALL }],
  ['an unknown page in a hub', '/guides/no-such-page', { 'Accept-Encoding': 'gzip' }],
  ['an unknown page, HEAD', '/no.such~page', { 'Accept-Encoding': ALL }, 'HEAD'],
  ['an unknown page with If-None-Match', '/no-such-page', { 'Accept-Encoding': ALL, 'If-None-Match': '*' }],
];

/** Requests left to Express, each for a reason. */
const passedOn: Case[] = [
  ['no encoding accepted', '/guides/mobile-phone', { 'Accept-Encoding': 'identity' }],
  ['no Accept-Encoding', '/guides/mobile-phone', {}],
  ['a query', '/guides/mobile-phone?utm_source=x', { 'Accept-Encoding': ALL }],
  ['?from= a known service', '/guides/mobile-phone?from=nhs-app', { 'Accept-Encoding': ALL }],
  ['?from= anything else', '/guides/mobile-phone?from=elsewhere', { 'Accept-Encoding': ALL }],
  ['a trailing slash', '/guides/mobile-phone/', { 'Accept-Encoding': ALL }],
  ['capitals', '/Guides/Mobile-Phone', { 'Accept-Encoding': ALL }],
  ['a trailing /index', '/guides/index', { 'Accept-Encoding': ALL }],
  ['a double slash', '//guides', { 'Accept-Encoding': ALL }],
  ['percent-encoding', '/guides/mobile%2Dphone', { 'Accept-Encoding': ALL }],
  ['encoded dots', '/static/%2e%2e/package.json', { 'Accept-Encoding': ALL }],
  ['dot segments', '/guides/../guides', { 'Accept-Encoding': ALL }],
  ['an old address', '/guides/phone-problems', { 'Accept-Encoding': ALL }],
  ['a retired code', '/cid/CID1234', { 'Accept-Encoding': ALL }],
  ['an unknown code', '/cid/CID9999', { 'Accept-Encoding': ALL }],
  ['a code by query', '/cid?code=1002', {}],
  ['a code and more', '/cid/CID1002/more', { 'Accept-Encoding': ALL }],
  ['an unknown asset', '/static/site.0000000000.css', { 'Accept-Encoding': ALL }],
  ['the contact form', '/contact', { 'Accept-Encoding': ALL }],
  ['a health check', '/healthz', {}],
  ['nhsuk-frontend assets', '/assets/manifest.json', { 'Accept-Encoding': ALL }],
  ['a path under the contact form', '/contact/nothing', { 'Accept-Encoding': ALL }],
  ['a path under feedback', '/feedback/nothing', { 'Accept-Encoding': ALL }],
  ['a path under the assets', '/static/nothing', { 'Accept-Encoding': ALL }],
  ['a route in capitals', '/SEARCH', { 'Accept-Encoding': ALL }],
  ['a dot segment', '/guides/..', { 'Accept-Encoding': ALL }],
  ['POST', '/guides/mobile-phone', { 'Accept-Encoding': ALL }, 'POST'],
  ['OPTIONS', '/guides/mobile-phone', {}, 'OPTIONS'],
];

describe('the fast path', () => {
  it.each(
    withMethods([
      ...answered,
      ['a versioned asset', '', { 'Accept-Encoding': ALL }],
      ['a content image', '', { 'Accept-Encoding': 'gzip' }],
    ]),
  )('answers %s itself with the headers and bytes Express sends', async (name, url, headers, method) => {
    const target = name === 'a versioned asset' ? asset() : name === 'a content image' ? image() : url;
    const before = fast.routed();
    const ours = await send(fast, target, headers, method);
    expect(fast.routed()).toBe(before);
    const theirs = await send(express_, target, headers, method);
    expect(ours).toEqual(theirs);
    expect(name.startsWith('an unknown page') ? [404] : [200, 302, 304]).toContain(ours.status);
  });

  it.each(withMethods(passedOn))('leaves %s to Express', async (_name, url, headers, method) => {
    // A body first made for such a request (a ?from= variant) gets its best forms soon after; if
    // they came between the two requests compared, one would be gzip and the other brotli.
    await send(express_, url, headers, method);
    await compressionSettled();
    const before = fast.routed();
    const ours = await send(fast, url, headers, method);
    expect(fast.routed()).toBe(before + 1);
    const theirs = await send(express_, url, headers, method);
    expect(ours.status).toBe(theirs.status);
    // Pages made for the request may differ in their bytes (a form's token), not in their headers.
    const shape = (answer: Answer): string[] => answer.headers.map((h) => h.replace(/^(ETag|Content-Length|Set-Cookie): .*/i, '$1'));
    expect(shape(ours)).toEqual(shape(theirs));
  });

  it.each<[string, string, string, InsightEvent[]]>([
    ['a word', '/search?q=phone', ALL, []],
    ['words typed with spaces and capitals', '/search?q=Security+Codes', 'gzip', []],
    ['a percent-encoded query', '/search?q=mobile%20phone%21', 'br', []],
    ['a query that finds nothing', '/search?q=zzzqqq', ALL, [{ kind: 'search-no-results', query: 'zzzqqq' }]],
    ['an unknown code', '/search?q=CID9999', ALL, [{ kind: 'unknown-code', code: 'CID9999', via: 'search' }]],
    ['no query', '/search?q=', ALL, []],
  ])(
    'answers a search for %s itself once Express has made its page, and counts it as Express does',
    async (_name, url, encodings, counted) => {
      for (const served of [fast, express_]) {
        await send(served, url, { 'Accept-Encoding': encodings });
        served.insights.length = 0;
      }
      const before = fast.routed();
      const ours = await send(fast, url, { 'Accept-Encoding': encodings });
      expect(fast.routed()).toBe(before);
      const theirs = await send(express_, url, { 'Accept-Encoding': encodings });
      expect(ours).toEqual(theirs);
      expect(ours.status).toBe(200);
      expect(fast.insights).toEqual(counted);
      expect(express_.insights).toEqual(counted);
      const head = await send(fast, url, { 'Accept-Encoding': encodings }, 'HEAD');
      expect(fast.routed()).toBe(before);
      expect(head.headers).toEqual(theirs.headers);
    },
  );

  it('leaves the first search to Express, which renders the search page for the fast path to fill', async () => {
    const first = await serve(true);
    try {
      const before = first.routed();
      await send(first, '/search?q=phone', { 'Accept-Encoding': ALL });
      expect(first.routed()).toBe(before + 1);
      const theirs = await send(express_, '/search?q=security', { 'Accept-Encoding': ALL });
      expect(await send(first, '/search?q=security', { 'Accept-Encoding': ALL })).toEqual(theirs);
      expect(first.routed()).toBe(before + 1);
    } finally {
      first.server.closeAllConnections();
      await new Promise((resolve) => first.server.close(resolve));
    }
  });

  it('makes a search page only for a request that may wait for it: not a quick one', async () => {
    await send(fast, '/search?q=primer', { 'Accept-Encoding': ALL });
    const { answer } = fastPathOf(fast.app)!;
    const request = { method: 'GET', url: '/search?q=quick+test', headers: { 'accept-encoding': 'gzip' } };
    expect(answer({ ...request, quick: true })).toBeUndefined();
    expect(answer(request)?.status).toBe(200);
    // Made now, so a quick request has it too.
    expect(answer({ ...request, quick: true })?.status).toBe(200);
  });

  it('makes one search page per chunk read: a second search sent with the first waits its turn in Express', async () => {
    await send(fast, '/search?q=primer', { 'Accept-Encoding': ALL });
    const before = fast.routed();
    const { port } = fast.server.address() as AddressInfo;
    const head = (q: string): string => `GET /search?q=${q} HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n\r\n`;
    // Both requests in one write, on a connection kept open; read until both answers are whole.
    const statuses = await new Promise<string[]>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(head('pipelined+one') + head('pipelined+two')));
      let unread = Buffer.alloc(0);
      const lines: string[] = [];
      socket.on('data', (chunk: Buffer) => {
        unread = Buffer.concat([unread, chunk]);
        for (let end = unread.indexOf('\r\n\r\n'); end >= 0; end = unread.indexOf('\r\n\r\n')) {
          const answerHead = unread.subarray(0, end).toString('latin1');
          const length = Number(/\r\ncontent-length: (\d+)/i.exec(answerHead)?.[1] ?? 0);
          if (unread.length < end + 4 + length) return;
          lines.push(answerHead.split('\r\n')[0]!);
          unread = unread.subarray(end + 4 + length);
        }
        if (lines.length === 2) {
          socket.destroy();
          resolve(lines);
        }
      });
      socket.on('error', reject);
    });
    expect(statuses).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
    expect(fast.routed()).toBe(before + 1);
  });

  it('makes a page for HEAD as Express does: the same headers and counts, no body', async () => {
    await send(fast, '/search?q=primer', { 'Accept-Encoding': ALL });
    fast.insights.length = 0;
    express_.insights.length = 0;
    const before = fast.routed();
    const ours = await send(fast, '/search?q=qqqheadxxx', { 'Accept-Encoding': ALL }, 'HEAD');
    const theirs = await send(express_, '/search?q=qqqheadxxx', { 'Accept-Encoding': ALL }, 'HEAD');
    expect(fast.routed()).toBe(before);
    expect(ours).toEqual(theirs);
    expect(ours.body.length).toBe(0);
    expect(fast.insights).toEqual(express_.insights);
    expect(fast.insights).toEqual([{ kind: 'search-no-results', query: 'qqqheadxxx' }]);
  });

  it.each<[string, string, string, InsightEvent[]]>([
    ['a word never searched for before', '/search?q=security+settings', ALL, []],
    ['words that find nothing', '/search?q=qqqzzzxxx+vvv', 'gzip', [{ kind: 'search-no-results', query: 'qqqzzzxxx vvv' }]],
    ['an unknown code', '/search?q=CID9998', 'br', [{ kind: 'unknown-code', code: 'CID9998', via: 'search' }]],
  ])(
    'makes a search for %s itself once the route has rendered the page, with the bytes and counts Express makes',
    async (_name, url, encodings, counted) => {
      // The route renders the search page's shells the first time: with a query, and without.
      for (const first of ['/search?q=primer', '/search?q=']) await send(fast, first, { 'Accept-Encoding': ALL });
      fast.insights.length = 0;
      express_.insights.length = 0;
      const before = fast.routed();
      const ours = await send(fast, url, { 'Accept-Encoding': encodings });
      expect(fast.routed()).toBe(before);
      expect(fast.insights).toEqual(counted);
      const theirs = await send(express_, url, { 'Accept-Encoding': encodings });
      expect(ours).toEqual(theirs);
      expect(ours.status).toBe(200);
      expect(express_.insights).toEqual(counted);
      // Kept among the recent pages: asked again, the same bytes, counted again.
      const again = await send(fast, url, { 'Accept-Encoding': encodings });
      expect(again).toEqual(ours);
      expect(fast.routed()).toBe(before);
      expect(fast.insights).toEqual([...counted, ...counted]);
    },
  );

  it.each([
    ['a code', '/search?q=CID1002'],
    ['a second page', '/search?q=phone&page=2'],
    ['a service to go back to', '/search?q=phone&from=nhs-app'],
    ['two queries', '/search?q=phone&q=codes'],
  ])('leaves a search for %s to Express, however often it is asked', async (_name, url) => {
    await send(fast, url, { 'Accept-Encoding': ALL });
    const before = fast.routed();
    const ours = await send(fast, url, { 'Accept-Encoding': ALL });
    expect(fast.routed()).toBe(before + 1);
    expect(ours.status).toBe((await send(express_, url, { 'Accept-Encoding': ALL })).status);
  });

  it('answers If-None-Match with 304 and the same headers as Express, for every form of ETag that matches', async () => {
    const page = await send(fast, '/guides/mobile-phone', { 'Accept-Encoding': ALL });
    const etag = page.headers.find((h) => h.startsWith('ETag: '))!.slice('ETag: '.length);
    expect(etag).toMatch(/-br"$/);
    const gzip = await send(fast, '/guides/mobile-phone', { 'Accept-Encoding': 'gzip' });
    const gzipEtag = gzip.headers.find((h) => h.startsWith('ETag: '))!.slice('ETag: '.length);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*', `${etag.slice(0, -4)}-br-fast"`]) {
      const before = fast.routed();
      const ours = await send(fast, '/guides/mobile-phone', { 'Accept-Encoding': ALL, 'If-None-Match': ifNoneMatch });
      expect(fast.routed()).toBe(before);
      const theirs = await send(express_, '/guides/mobile-phone', { 'Accept-Encoding': ALL, 'If-None-Match': ifNoneMatch });
      expect(ours).toEqual(theirs);
      expect(ours.status).toBe(ifNoneMatch.includes('-fast') ? 200 : 304);
      expect(ours.body).toHaveLength(ifNoneMatch.includes('-fast') ? page.body.length : 0);
    }
    // Another encoding's ETag names other bytes: the page, not 304.
    const other = await send(fast, '/guides/mobile-phone', { 'Accept-Encoding': ALL, 'If-None-Match': gzipEtag });
    expect(other).toEqual(page);
  });

  it('counts a code looked up, and logs each request as Express does', async () => {
    fast.insights.length = 0;
    express_.insights.length = 0;
    fast.logged.length = 0;
    express_.logged.length = 0;
    for (const served of [fast, express_]) {
      await send(served, '/cid/cid1002');
      await send(served, '/guides', { 'Accept-Encoding': ALL });
      await send(served, '/guides', { 'Accept-Encoding': ALL }, 'HEAD');
    }
    expect(fast.insights).toEqual([{ kind: 'code-lookup', code: 'cid1002' }]);
    expect(fast.insights).toEqual(express_.insights);
    const fields = (entry: Record<string, unknown>): unknown => ({
      ...entry,
      time: undefined,
      pid: undefined,
      hostname: undefined,
      ms: typeof entry.ms,
    });
    expect(fast.logged.map(fields)).toEqual(express_.logged.map(fields));
    expect(fast.logged.map((entry) => [entry.level, entry.method, entry.path, entry.status])).toEqual([
      [30, 'GET', '/cid/cid1002', 302],
      [30, 'GET', '/guides', 200],
      [30, 'HEAD', '/guides', 200],
    ]);
  });

  it('warns once about an untrusted proxy, as Express does', async () => {
    expect(fast.warnings.filter((w) => w.includes('X-Forwarded-For'))).toEqual([]);
    await send(fast, '/guides', { 'Accept-Encoding': ALL, 'X-Forwarded-For': '203.0.113.9' });
    await send(fast, '/guides', { 'Accept-Encoding': ALL, 'X-Forwarded-For': '203.0.113.9' });
    expect(fast.warnings.filter((w) => w.includes('X-Forwarded-For'))).toHaveLength(1);
  });

  it('says Connection: close while draining, with the same headers as Express', async () => {
    // The last test on these servers: draining does not end.
    fast.lifecycle.startDraining();
    express_.lifecycle.startDraining();
    for (const url of ['/guides/mobile-phone', '/cid/CID1002', '/no-such-page']) {
      const ours = await send(fast, url, { 'Accept-Encoding': ALL });
      const theirs = await send(express_, url, { 'Accept-Encoding': ALL });
      expect(ours).toEqual(theirs);
      expect(ours.headers).toContain('Connection: close');
    }
    const notModified = await send(fast, '/guides/mobile-phone', { 'Accept-Encoding': ALL, 'If-None-Match': '*' });
    expect(notModified).toEqual(await send(express_, '/guides/mobile-phone', { 'Accept-Encoding': ALL, 'If-None-Match': '*' }));
    expect(notModified.status).toBe(304);
    expect(notModified.headers).toContain('Connection: close');
  });
});

describe('a page that fails', () => {
  /** The site, but one page cannot be had (as when pages are made on first request and that fails). */
  class Failing extends Map<string, PreparedBody> {
    override get(key: string): PreparedBody | undefined {
      if (key === '/guides/security-codes') throw new Error('cannot render');
      return super.get(key);
    }
  }
  const failing: RenderedSite = { ...startup.rendered, pages: new Failing(startup.rendered.pages) };

  it('is answered by Express with its error page, as without the fast path', async () => {
    const ours = await serve(true, () => failing);
    const theirs = await serve(false, () => failing);
    try {
      const answer = await send(ours, '/guides/security-codes', { 'Accept-Encoding': 'gzip' });
      expect(answer.status).toBe(500);
      expect(answer).toEqual(await send(theirs, '/guides/security-codes', { 'Accept-Encoding': 'gzip' }));
      expect(ours.warnings).toEqual(['fast path failed: Express answers instead', 'request failed']);
      expect(theirs.warnings).toEqual(['request failed']);
      expect((await send(ours, '/guides/mobile-phone', { 'Accept-Encoding': 'gzip' })).status).toBe(200);
    } finally {
      for (const served of [ours, theirs]) await new Promise((resolve) => served.server.close(resolve));
    }
  });
});

describe('on staging', () => {
  it('sends noindex where Express does, among the same headers', async () => {
    const staging = { ...config, robotsDisallowAll: true };
    const ours = await serve(true, undefined, staging);
    const theirs = await serve(false, undefined, staging);
    try {
      for (const url of ['/guides/mobile-phone', '/cid/CID1002', asset()]) {
        const before = ours.routed();
        const answer = await send(ours, url, { 'Accept-Encoding': ALL });
        expect(ours.routed()).toBe(before);
        expect(answer).toEqual(await send(theirs, url, { 'Accept-Encoding': ALL }));
        expect(answer.headers).toContain('X-Robots-Tag: noindex, nofollow');
      }
    } finally {
      for (const served of [ours, theirs]) await new Promise((resolve) => served.server.close(resolve));
    }
  });
});

describe('isPlainCanonical', () => {
  it.each([
    '/',
    '/guides',
    '/guides/mobile-phone',
    '/a.b/c_d~e',
    '/guides/',
    '//guides',
    '/Guides',
    '/guides/index',
    '/index',
    '/guides/indexes',
    '/cid/CID1002',
    '/a//b',
    '/static/site.0123456789.css',
  ])('%s: only when it is its own redirect key and canonical path', (url) => {
    if (isPlainCanonical(url)) {
      expect(redirectKey(url)).toBe(url);
      expect(canonicalPath(url, () => true)).toBeUndefined();
    }
  });

  it('takes the paths of pages', () => {
    for (const url of startup.rendered.pages.keys()) expect(isPlainCanonical(url)).toBe(true);
  });
});
