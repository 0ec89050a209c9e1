import http from 'node:http';
import net from 'node:net';
import { startBuiltServer, useCompiledServer } from '../contact/helpers/server-process';
import type { ServerProcess } from '../contact/helpers/server-process';
import { removeTempDir, tempDir } from '../contact/helpers/contact-app';
import { waitFor } from '../contact/helpers/wait';

// Spawns the built server, which loads the real content: slow on a busy machine.
jest.setTimeout(90_000);

let dir: string;
let server: ServerProcess | undefined;

const builtServer = useCompiledServer();

beforeEach(() => {
  dir = tempDir();
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
  removeTempDir(dir);
});

function exitCode(child: ServerProcess['child']): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** One GET on its own connection: the status, or the network error code. */
function probe(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** A POST whose body is held back: an in-flight request. `finish` sends the rest and resolves with the answer. */
function slowPost(baseUrl: string): Promise<{ finish: () => Promise<string> }> {
  const { port } = new URL(baseUrl);
  const socket = net.connect(Number(port), '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  const body = 'fullName=Sam&email=sam%40example.com';
  return new Promise((resolve) =>
    socket.on('connect', () => {
      socket.write(
        `POST /contact HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
      );
      resolve({
        finish: async () => {
          socket.write(body.slice(5));
          await waitFor('an answer to the held request', () => received.includes('\r\n\r\n') || socket.destroyed, 20_000);
          socket.end();
          await closed;
          return received;
        },
      });
    }),
  );
}

it('on SIGTERM fails /readyz first, keeps serving while draining, resets nothing, finishes in-flight requests and exits 0', async () => {
  server = await startBuiltServer({ DATA_DIR: dir, SHUTDOWN_DRAIN_MS: '4000' }, builtServer());
  const { baseUrl, child } = server;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
  const counts = { ok: 0, serverErrors: 0, resets: 0, refused: 0, closedWhileDraining: 0, whileDraining: 0 };
  const errors: string[] = [];
  let signalled = false;
  let signalAt = 0;
  let stopped = false;
  let draining = false;
  const get = (path: string): Promise<void> =>
    new Promise((resolve) => {
      const sentWhileDraining = draining;
      const req = http.get(`${baseUrl}${path}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 500) counts.serverErrors += 1;
          else counts.ok += 1;
          if (sentWhileDraining) {
            counts.whileDraining += 1;
            if (res.headers.connection === 'close') counts.closedWhileDraining += 1;
          }
          resolve();
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        // After the listener closes, a load balancer sends nothing more; here the loop stops.
        if (error.code === 'ECONNREFUSED') {
          counts.refused += 1;
          stopped = true;
        } else {
          counts.resets += 1;
          errors.push(
            `${error.code ?? error.message} ${signalled ? 'after' : 'before'} ${path} reused=${String(req.reusedSocket)} t=${Date.now() - signalAt}`,
          );
        }
        resolve();
      });
    });
  const paths = ['/', '/search?q=password', '/cid/CID3006', '/no-such-page', '/contact'];
  const loops = Array.from({ length: 20 }, async (_, n) => {
    for (let i = n; !stopped && child.exitCode === null; i += 1) await get(paths[i % paths.length]!);
  });

  await waitFor('some load to be served', () => counts.ok >= 100, 30_000);
  const held = await slowPost(baseUrl);
  const exited = exitCode(child);
  child.kill('SIGTERM');
  signalled = true;
  signalAt = Date.now();
  await waitFor('/readyz to fail', async () => (await probe(`${baseUrl}/readyz`)) === 503, 5000);
  draining = true;
  expect(await probe(`${baseUrl}/healthz`)).toBe(200);
  // A load balancer stops sending soon after /readyz fails, well inside the drain period; a
  // connection opened as the listener closes would be refused or reset by the kernel.
  await waitFor('requests served while draining', () => counts.whileDraining >= 20, 3000);
  stopped = true;
  await Promise.all(loops);
  await waitFor('the listener to close after the drain', async () => (await probe(`${baseUrl}/healthz`)) === 'ECONNREFUSED', 10_000);
  const answer = await held.finish();
  expect(answer).toMatch(/^HTTP\/1\.1 403 /);
  expect(answer).toMatch(/\r\nConnection: close\r\n/i);

  expect(await exited).toBe(0);
  agent.destroy();
  expect(errors).toEqual([]);
  expect(counts).toMatchObject({ serverErrors: 0, resets: 0 });
  expect(counts.whileDraining).toBeGreaterThan(0);
  expect(counts.closedWhileDraining).toBe(counts.whileDraining);
  expect(server.lines.some((line) => line.includes('shutting down: draining'))).toBe(true);
});

it('exits non-zero when in-flight requests do not finish in SHUTDOWN_TIMEOUT_MS', async () => {
  server = await startBuiltServer(
    { DATA_DIR: dir, SHUTDOWN_DRAIN_MS: '0', SHUTDOWN_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '60000' },
    builtServer(),
  );
  await slowPost(server.baseUrl);
  const exited = exitCode(server.child);
  server.child.kill('SIGTERM');
  expect(await exited).toBe(1);
  expect(server.lines.some((line) => line.includes('shutdown took too long'))).toBe(true);
});
