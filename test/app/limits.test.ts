import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLifecycle } from '../../src/http/lifecycle';
import { takeTurns } from '../../src/http/middleware/requests';
import { createServer } from '../../src/http/serve';
import { testConfig } from '../helpers/app';
import { waitFor } from '../contact/helpers/wait';

/** A server with our limits around a tiny app, on 127.0.0.1. */
async function serve(
  limits: Partial<ReturnType<typeof testConfig>['server']>,
  app?: express.Express,
): Promise<{ port: number; close: () => Promise<void> }> {
  const handler = app ?? express().get('/', (_req, res) => res.send('ok'));
  const server = createServer(handler, { ...testConfig().server, ...limits }, createLifecycle());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Opens a connection, writes `text`, and resolves with what came back once the server closes it. */
function holdOpen(port: number, text: string): { closed: Promise<{ ms: number; received: string }>; socket: net.Socket } {
  const started = Date.now();
  const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<{ ms: number; received: string }>((resolve) =>
    socket.on('close', () => resolve({ ms: Date.now() - started, received })),
  );
  return { closed, socket };
}

describe('slow clients', () => {
  it('closes a connection whose headers do not arrive within HEADERS_TIMEOUT_MS, with 408', async () => {
    const server = await serve({ headersTimeoutMs: 500, requestTimeoutMs: 5000 });
    try {
      const { closed } = holdOpen(server.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      const { ms, received } = await closed;
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expect(ms).toBeLessThan(3000);
    } finally {
      await server.close();
    }
  });

  it('closes a request whose body does not arrive within REQUEST_TIMEOUT_MS, with 408', async () => {
    const app = express().post('/', express.urlencoded({ extended: false }), (_req, res) => res.send('ok'));
    const server = await serve({ headersTimeoutMs: 500, requestTimeoutMs: 1000 }, app);
    try {
      const { closed } = holdOpen(
        server.port,
        'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\na=1',
      );
      const { ms, received } = await closed;
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expect(ms).toBeLessThan(4000);
    } finally {
      await server.close();
    }
  });

  it('closes connections beyond MAX_CONNECTIONS as they arrive, and serves again once there is room', async () => {
    const server = await serve({ maxConnections: 3, headersTimeoutMs: 30_000, requestTimeoutMs: 30_000 });
    const held = [0, 1, 2].map(() => holdOpen(server.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    try {
      await waitFor('a connection over the cap to be closed unanswered', async () => {
        const { closed } = holdOpen(server.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
        return (await closed).received === '';
      });
      for (const { socket } of held) socket.destroy();
      await waitFor('a request to be served again', async () => {
        const { closed } = holdOpen(server.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
        return (await closed).received.startsWith('HTTP/1.1 200');
      });
    } finally {
      for (const { socket } of held) socket.destroy();
      await server.close();
    }
  });
});

describe('under load', () => {
  it('answers a health check between expensive requests rather than after all of them', async () => {
    const finished: string[] = [];
    const app = express();
    app.get('/healthz', (_req, res) => {
      finished.push('health');
      res.send('ok');
    });
    app.get('/warm', (_req, res) => res.send('ok'));
    app.use(takeTurns());
    app.get('/slow', (_req, res) => {
      // About 30 ms of work the event loop cannot interleave, like rendering a page.
      const until = Date.now() + 30;
      while (Date.now() < until);
      finished.push('slow');
      res.send('done');
    });
    const server = await serve({}, app);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 40 });
    const get = (path: string): Promise<void> =>
      new Promise((resolve, reject) =>
        http
          .get(`http://127.0.0.1:${server.port}${path}`, { agent: path === '/healthz' ? false : agent }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          })
          .on('error', reject),
      );
    try {
      // Open the keep-alive connections first, as a busy site's clients already have them.
      await Promise.all(Array.from({ length: 40 }, () => get('/warm')));
      finished.length = 0;
      const slow = Array.from({ length: 40 }, () => get('/slow'));
      await waitFor('the first expensive request to finish', () => finished.includes('slow'));
      await get('/healthz');
      await Promise.all(slow);
      // Without taking turns, every request read in the same turn runs before the probe is read.
      expect(finished.indexOf('health')).toBeLessThan(20);
    } finally {
      agent.destroy();
      await server.close();
    }
  });
});
