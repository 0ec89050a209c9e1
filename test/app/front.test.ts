import type http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp } from '../../src/http/app';
import { OWN_BUFFER_FIELDS, readHead } from '../../src/http/front';
import { createLifecycle } from '../../src/http/lifecycle';
import type { Lifecycle } from '../../src/http/lifecycle';
import { createServer } from '../../src/http/serve';
import type { InsightEvent } from '../../src/insights/events';
import { compressionSettled } from '../../src/render/prepared';
import { startUp } from '../../src/render/startup';
import type { Config } from '../../src/config';
import { testConfig } from '../helpers/app';
import { waitFor } from '../contact/helpers/wait';

// Builds a fixture site; the machine running the suite may be busy.
jest.setTimeout(30_000);

const config = testConfig({ contentDir: path.join(__dirname, '..', 'fixtures', 'moved'), logLevel: 'info' });
const startup = startUp(config);

interface Served {
  server: http.Server;
  port: number;
  lifecycle: Lifecycle;
  /** Requests node:http read and passed to the app. */
  read: () => number;
  /** How each connection is read: 'own' (into the front's buffer, no 'data' listener) or 'data'. */
  reading: string[];
  logged: Record<string, unknown>[];
  insights: InsightEvent[];
}

/** Whether the front reads each connection into a buffer of its own (see OWN_BUFFER_FIELDS) or through 'data' events. */
let ownBuffer = true;

/** The app over the moved fixture on its own server, answering from the socket or (front: false) only through node:http. */
async function serve(front: boolean, server: Partial<Config['server']> = {}): Promise<Served> {
  const logged: Record<string, unknown>[] = [];
  const lines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const entry = JSON.parse(chunk.toString()) as Record<string, unknown>;
      if (entry.msg === 'request') logged.push({ ...entry, time: undefined, pid: undefined, hostname: undefined, ms: typeof entry.ms });
      done();
    },
  });
  const insights: InsightEvent[] = [];
  const lifecycle = createLifecycle();
  const limits = { ...config.server, ...server };
  const app = createApp({
    config: { ...config, server: limits },
    views: startup.views,
    assets: startup.assets,
    logger: pino({ level: 'info' }, lines),
    current: () => startup.rendered,
    lifecycle,
    insights: { record: (event) => insights.push(event) },
  });
  const httpServer = createServer(app, limits, lifecycle, { front, ownBuffer });
  let read = 0;
  httpServer.on('request', () => (read += 1));
  const reading: string[] = [];
  httpServer.on('connection', (socket: net.Socket) => reading.push(socket.listenerCount('data') === 0 ? 'own' : 'data'));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
  const { port } = httpServer.address() as AddressInfo;
  return { server: httpServer, port, lifecycle, read: () => read, reading, logged, insights };
}

/**
 * Writes each part of a request (or several) on one connection, the parts apart, then ends it, and
 * resolves with every byte that came back before the server closed it: as latin1, so that
 * compressed bodies compare too, with each Date header's value blanked.
 */
function exchange(port: number, parts: (string | Buffer)[], { end = true } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => {
      const write = (i: number): void => {
        if (i === parts.length) {
          if (end) socket.end();
          return;
        }
        socket.write(parts[i]!);
        setTimeout(() => write(i + 1), 20);
      };
      write(0);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () =>
      resolve(
        Buffer.concat(chunks)
          .toString('latin1')
          .replace(/\r\nDate: [^\r]*/g, '\r\nDate: -'),
      ),
    );
  });
}

const get = (url: string, headers = 'Accept-Encoding: gzip, deflate, br\r\n', method = 'GET'): string =>
  `${method} ${url} HTTP/1.1\r\nHost: help.example.nhs.uk\r\n${headers}\r\n`;

/** A form sent with a body: node:http and Express read it, never the front. */
const FEEDBACK_FORM = 'message=hello';
const FEEDBACK = `POST /feedback HTTP/1.1\r\nHost: help.example.nhs.uk\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${FEEDBACK_FORM.length}\r\n\r\n${FEEDBACK_FORM}`;

/** The status line of each answer in what came back (bodies are binary, so not line by line). */
const statuses = (text: string): string[] => text.match(/HTTP\/1\.1 \d{3}(?= [A-Z])/g) ?? [];

let front: Served;
let plain: Served;
const asset = (): string => startup.assets.url('site.css');

describe.each([
  ['into a buffer of its own', true],
  ['through data events', false],
])('reading each connection %s', (_name, own) => {
  beforeAll(async () => {
    ownBuffer = own;
    front = await serve(true);
    plain = await serve(false);
    // Settle every body's best forms first, so that both servers send the same forms.
    for (const url of ['/', '/guides', '/guides/mobile-phone', '/cid', '/cid.json', '/robots.txt', '/sitemap.xml', asset()]) {
      await exchange(plain.port, [get(url)]);
    }
    await compressionSettled();
  });

  afterAll(async () => {
    for (const served of [front, plain]) {
      served.server.closeAllConnections();
      await new Promise((resolve) => served.server.close(resolve));
    }
  });

  /** Sends the same parts to both servers; returns both answers and how many requests node:http read on the front's. */
  async function both(parts: (string | Buffer)[]): Promise<{ ours: string; theirs: string; readByNode: number }> {
    const before = front.read();
    const ours = await exchange(front.port, parts);
    const readByNode = front.read() - before;
    const theirs = await exchange(plain.port, parts);
    return { ours, theirs, readByNode };
  }

  describe('answering from the socket', () => {
    it.each([
      ['an article, brotli', get('/guides/mobile-phone')],
      ['an article, gzip', get('/guides/mobile-phone', 'Accept-Encoding: gzip\r\n')],
      ['an article, HEAD', get('/guides/mobile-phone', 'Accept-Encoding: br\r\n', 'HEAD')],
      ['an article, 304', get('/guides/mobile-phone', 'Accept-Encoding: br\r\nIf-None-Match: *\r\n')],
      [
        'a hub, as a browser asks',
        get('/guides', 'Connection: keep-alive\r\nAccept: text/html\r\nUser-Agent: Mozilla/5.0\r\nAccept-Encoding: gzip, br\r\n'),
      ],
      ['the home page', get('/')],
      ['a code', get('/cid/cid1002', '')],
      ['the code index as JSON', get('/cid.json')],
      ['the sitemap', get('/sitemap.xml')],
      ['a versioned asset', ''],
    ])('answers %s with the bytes node:http sends, and keeps the connection open', async (name, request) => {
      const text = name === 'a versioned asset' ? get(asset()) : request;
      const { ours, theirs, readByNode } = await both([text]);
      expect(readByNode).toBe(0);
      expect(ours).toBe(theirs);
      expect(ours).toMatch(/^HTTP\/1\.1 (200|302|304) [^]*\r\nConnection: keep-alive\r\nKeep-Alive: timeout=\d+\r\n\r\n/);
    });

    it('answers several requests on one connection, written together or apart, in order', async () => {
      const requests = [get('/guides'), get('/cid/CID1002', ''), get('/guides/mobile-phone', 'Accept-Encoding: gzip\r\n', 'HEAD')];
      for (const parts of [requests, [requests.join('')]]) {
        const { ours, theirs, readByNode } = await both(parts);
        expect(readByNode).toBe(0);
        expect(ours).toBe(theirs);
        expect(statuses(ours)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 302', 'HTTP/1.1 200']);
      }
    });

    it('hands the connection to node:http at the first request not its own, with every byte not yet answered', async () => {
      const parts = [get('/guides'), get('/search?q=phone') + get('/guides'), FEEDBACK, get('/cid/CID1002', '')];
      const { ours, theirs, readByNode } = await both(parts);
      // Search, then everything after it on that connection: node:http reads them all.
      expect(readByNode).toBe(4);
      expect(statuses(ours)).toEqual(statuses(theirs));
      expect(statuses(ours)).toHaveLength(5);
      // The search page and the feedback answer carry a form token: compare their status lines and the pages around them.
      const pages = (text: string): string[] => text.split(/(?=HTTP\/1\.1 )/).filter((answer) => !/set-cookie|csrf/i.test(answer));
      expect(pages(ours)).toEqual(pages(theirs));
    });

    it.each([
      ['no Host', 'GET /guides HTTP/1.1\r\nAccept-Encoding: br\r\n\r\n'],
      ['two Hosts', 'GET /guides HTTP/1.1\r\nHost: a\r\nHost: b\r\nAccept-Encoding: br\r\n\r\n'],
      ['a folded header', 'GET /guides HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip,\r\n br\r\n\r\n'],
      ['bare line feeds', 'GET /guides HTTP/1.1\nHost: a\nAccept-Encoding: br\n\n'],
      ['a bare line feed inside the head', 'GET /guides HTTP/1.1\r\nHost: a\nAccept-Encoding: br\r\n\r\n'],
      [
        'a body by Content-Length',
        'GET /guides HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br\r\nContent-Length: 32\r\n\r\nGET /cid/CID1002 HTTP/1.1\r\nX: y\r\n',
      ],
      ['a chunked body', 'GET /guides HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
      ['both kinds of body', 'GET /guides HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
      ['HTTP/1.0', 'GET /guides HTTP/1.0\r\nHost: a\r\nAccept-Encoding: br\r\n\r\n'],
      ['Connection: close', 'GET /guides HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n'],
      ['an upgrade', 'GET /guides HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
      ['a method in lower case', 'get /guides HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br\r\n\r\n'],
      ['an absolute URL', 'GET http://a/guides HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br\r\n\r\n'],
      ['a byte outside ASCII', Buffer.from('GET /guides HTTP/1.1\r\nHost: a\r\nX-Name: caf\xe9\r\nAccept-Encoding: br\r\n\r\n', 'latin1')],
      ['a control character', 'GET /guides HTTP/1.1\r\nHost: a\r\nX-Name: a\x01b\r\nAccept-Encoding: br\r\n\r\n'],
      ['a space before the colon', 'GET /guides HTTP/1.1\r\nHost : a\r\nAccept-Encoding: br\r\n\r\n'],
      ['a head over 16 KB', `GET /guides HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(17_000)}\r\nAccept-Encoding: br\r\n\r\n`],
      ['a repeated Accept-Encoding', 'GET /guides HTTP/1.1\r\nHost: a\r\nAccept-Encoding: identity\r\nAccept-Encoding: br\r\n\r\n'],
      ['garbage', 'HELLO\r\n\r\n'],
    ])('leaves a request with %s to node:http, which answers as it does alone', async (_name, request) => {
      const { ours, theirs, readByNode } = await both([request]);
      expect(ours).toBe(theirs);
      expect(readByNode).toBe(/^HTTP\/1\.1 [45]/.test(theirs) || theirs === '' ? 0 : 1);
    });

    it('leaves a head that arrives in pieces to node:http', async () => {
      const text = get('/guides');
      const { ours, theirs, readByNode } = await both([text.slice(0, 20), text.slice(20)]);
      expect(readByNode).toBe(1);
      expect(ours).toBe(theirs);
      expect(ours).toMatch(/^HTTP\/1\.1 200 /);
    });

    it('logs each request and counts each code as node:http and Express do', async () => {
      for (const served of [front, plain]) {
        served.logged.length = 0;
        served.insights.length = 0;
        await exchange(served.port, [get('/cid/cid1002', '') + get('/guides') + get('/guides', 'Accept-Encoding: br\r\n', 'HEAD')]);
      }
      expect(front.insights).toEqual([{ kind: 'code-lookup', code: 'cid1002' }]);
      expect(front.insights).toEqual(plain.insights);
      expect(front.logged).toEqual(plain.logged);
      expect(front.logged.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
        ['GET', '/cid/cid1002', 302],
        ['GET', '/guides', 200],
        ['HEAD', '/guides', 200],
      ]);
    });
  });

  describe('connections held by the front', () => {
    /** Opens a connection and writes `text`; resolves with what came back and when, once the server closes it. */
    const hold = (port: number, text: string): Promise<{ ms: number; received: string }> => {
      const started = Date.now();
      return new Promise((resolve) => {
        let received = '';
        const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
        socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve({ ms: Date.now() - started, received }));
      });
    };

    /**
     * A client that writes `text` and reads nothing until `readAll` is called; that reads until
     * `count` answers have come (or the server closed the connection), closes it and resolves
     * with what came.
     */
    const slowReader = (port: number, text: string): { readAll: (count: number) => Promise<string> } => {
      let received = '';
      const socket = net.connect(port, '127.0.0.1');
      socket.pause();
      socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
      const closed = new Promise((resolve) => socket.on('close', resolve));
      socket.on('connect', () => socket.write(text));
      const readAll = async (count: number): Promise<string> => {
        socket.resume();
        await waitFor('every answer', () => statuses(received).length >= count || socket.destroyed, 20_000);
        socket.destroy();
        await closed;
        return received;
      };
      return { readAll };
    };

    it('closes a connection that sends nothing with 408 after HEADERS_TIMEOUT_MS, as node:http does', async () => {
      const ours = await serve(true, { headersTimeoutMs: 300 });
      const theirs = await serve(false, { headersTimeoutMs: 300 });
      try {
        const [a, b] = await Promise.all([hold(ours.port, ''), hold(theirs.port, '')]);
        expect(a.received).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
        expect(a.received).toBe(b.received);
        expect(a.ms).toBeGreaterThanOrEqual(250);
      } finally {
        for (const served of [ours, theirs]) await new Promise((resolve) => served.server.close(resolve));
      }
    });

    it('closes the connection fully after its 408, and lives on when the client resets it instead of reading', async () => {
      const ours = await serve(true, { headersTimeoutMs: 300 });
      try {
        // Reads the 408 and keeps its own side open: the server must close the connection itself.
        const { received } = await hold(ours.port, '');
        expect(received).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
        // Resets the connection once the 408 has arrived, with it unread.
        const socket = net.connect(ours.port, '127.0.0.1');
        socket.pause();
        socket.on('error', () => undefined);
        await new Promise((resolve) => setTimeout(resolve, 600));
        socket.resetAndDestroy();
        await waitFor('the server to hold no connection', async () => {
          const count = await new Promise<number>((resolve) => ours.server.getConnections((_error, n) => resolve(n)));
          return count === 0;
        });
        expect(await exchange(ours.port, [get('/guides')])).toMatch(/^HTTP\/1\.1 200 /);
      } finally {
        await new Promise((resolve) => ours.server.close(resolve));
      }
    });

    it('closes an idle connection after KEEP_ALIVE_TIMEOUT_MS and its grace, as node:http does', async () => {
      const ours = await serve(true, { keepAliveTimeoutMs: 200 });
      try {
        const { ms, received } = await hold(ours.port, get('/guides'));
        expect(received).toMatch(/^HTTP\/1\.1 200 /);
        expect(ms).toBeGreaterThanOrEqual(1100);
        expect(ms).toBeLessThan(10_000);
      } finally {
        await new Promise((resolve) => ours.server.close(resolve));
      }
    });

    it('does not time out a connection while an answer is still being sent to a client that reads slowly', async () => {
      const ours = await serve(true, { keepAliveTimeoutMs: 100 });
      try {
        const count = 3000;
        // Not read at all for longer than the idle timeout and its grace: the server's writes wait.
        const { readAll } = slowReader(ours.port, get('/guides/mobile-phone').repeat(count));
        await new Promise((resolve) => setTimeout(resolve, 2500));
        expect(statuses(await readAll(count))).toHaveLength(count);
      } finally {
        await new Promise((resolve) => ours.server.close(resolve));
      }
    });

    it('reads each connection as asked: into its own buffer where Node has the fields, else through data events', async () => {
      const ours = await serve(true);
      try {
        await exchange(ours.port, [get('/guides')]);
        await exchange(ours.port, [get('/search?q=phone')]);
        expect(ours.reading).toEqual(own && OWN_BUFFER_FIELDS ? ['own', 'own'] : ['data', 'data']);
      } finally {
        await new Promise((resolve) => ours.server.close(resolve));
      }
    });

    it('answers a pipelined client that reads slowly, in order, while other connections are read and handed over', async () => {
      const ours = await serve(true);
      const theirs = await serve(false);
      try {
        // Three answers that differ in status, so that any out of order would show; the stylesheet is
        // large enough that the answers to one read fill the connection, and the rest must wait.
        const cycle = [
          [get(asset()), 'HTTP/1.1 200'],
          [get('/cid/cid1002', ''), 'HTTP/1.1 302'],
          [get('/nothing-here'), 'HTTP/1.1 404'],
        ] as const;
        const count = 3000;
        const each = Array.from({ length: count }, (_, i) => cycle[i % cycle.length]!);
        const requests = each.map(([request]) => request).join('');
        // (Not ended: node:http drops the requests it has not answered when the client ends its side.)
        const { readAll } = slowReader(ours.port, requests);
        // Meanwhile other connections are read into the same buffer: one handed to node:http with a
        // body, one with a head long enough to cover the whole buffer.
        for (const parts of [
          [get('/guides/mobile-phone'), get('/cid/CID1002', '')],
          [get('/guides'), FEEDBACK, get('/guides')],
          [get('/guides', `X-Long: ${'x'.repeat(60_000)}\r\n`)],
        ]) {
          const [a, b] = await Promise.all([exchange(ours.port, parts), exchange(theirs.port, parts)]);
          expect(statuses(a)).toEqual(statuses(b));
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(statuses(await readAll(count))).toEqual(each.map(([, status]) => status));
        // The front answered the first of them, waiting for the client between (a head split
        // between two reads hands the rest to node:http, which answers them in order too).
        expect(ours.read()).toBeLessThan(count);
      } finally {
        for (const served of [ours, theirs]) await new Promise((resolve) => served.server.close(resolve));
      }
    });

    it('says Connection: close while draining and closes the connection after the answer, with the bytes node:http sends', async () => {
      const ours = await serve(true);
      const theirs = await serve(false);
      try {
        ours.lifecycle.startDraining();
        theirs.lifecycle.startDraining();
        for (const request of [
          get('/guides/mobile-phone'),
          get('/cid/CID1002', ''),
          get('/guides', 'Accept-Encoding: br\r\nIf-None-Match: *\r\n'),
        ]) {
          // The connection is not ended by the client: the server closes it.
          const [a, b] = await Promise.all([
            exchange(ours.port, [request + request], { end: false }),
            exchange(theirs.port, [request + request], { end: false }),
          ]);
          expect(a).toBe(b);
          expect(statuses(a)).toHaveLength(1);
          expect(a).toContain('\r\nConnection: close\r\n');
        }
        expect(ours.read()).toBe(0);
      } finally {
        for (const served of [ours, theirs]) await new Promise((resolve) => served.server.close(resolve));
      }
    });

    it('closes idle connections it holds when the server closes, so close completes', async () => {
      const ours = await serve(true);
      const socket = net.connect(ours.port, '127.0.0.1');
      let received = '';
      socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
      const closed = new Promise((resolve) => socket.on('close', resolve));
      socket.write(get('/guides'));
      await waitFor('the answer', () => received.startsWith('HTTP/1.1 200'));
      await new Promise((resolve) => ours.server.close(resolve));
      await closed;
      expect(ours.read()).toBe(0);
    });
  });
});

it('finds the fields for reading into its own buffer on the Node.js versions it supports', () => {
  // Without them the front still works (through data events), but slower: a Node.js that lost them should be noticed.
  expect(OWN_BUFFER_FIELDS).toEqual({ buffer: expect.any(Symbol), callback: expect.any(Symbol) });
});

describe('readHead', () => {
  it('reads the headers the fast path uses', () => {
    expect(
      readHead('GET /a HTTP/1.1\r\nHost: x\r\nAccept-Encoding:  gzip, br \r\nIf-None-Match: "1"\r\nX-Forwarded-For: 203.0.113.9'),
    ).toEqual({
      method: 'GET',
      url: '/a',
      headers: { 'accept-encoding': 'gzip, br', 'if-none-match': '"1"', 'x-forwarded-for': '203.0.113.9' },
    });
  });

  it('takes a keep-alive Connection header in any case, and values with no space or with tabs around them', () => {
    expect(readHead('GET /a HTTP/1.1\r\nhost:x\r\nConnection: \tKeep-Alive \r\nAccept-Encoding:br\t')).toEqual({
      method: 'GET',
      url: '/a',
      headers: { 'accept-encoding': 'br' },
    });
    expect(readHead('HEAD / HTTP/1.1\r\nHost: x')).toEqual({ method: 'HEAD', url: '/', headers: {} });
  });

  it.each([
    'POST /a HTTP/1.1\r\nHost: x',
    'GET /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue',
    'GET /a HTTP/1.1\r\nHost: x\r\nconnection: keep-alive, upgrade',
    'GET /a HTTP/1.1\r\nHost: x\r\n',
    'GET /a  HTTP/1.1\r\nHost: x',
    'GET /a HTTP/1.1\r\nHost: x\r\nIf-None-Match: "1"\r\nIf-None-Match: "2"',
    `GET /a HTTP/1.1\r\nHost: x${'\r\nX: y'.repeat(101)}`,
  ])('reads nothing of %j', (text) => {
    expect(readHead(text)).toBeUndefined();
  });
});
