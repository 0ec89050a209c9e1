import http from 'node:http';
import { openSqliteInsightStore } from '../../src/insights/sqlite-store';
import type { ServerProcess } from '../contact/helpers/server-process';
import { startBuiltServer, useCompiledServer } from '../contact/helpers/server-process';
import { removeTempDir, tempDir } from './insights-helpers';

/** The built server as it runs in production, killed the moment it answers a vote. */

jest.setTimeout(120_000);

let dir: string;
let server: ServerProcess | undefined;

const builtServer = useCompiledServer();

beforeEach(() => {
  dir = tempDir();
});

afterEach(async () => {
  if (server) {
    server.child.kill('SIGKILL');
    await server.exited;
    server = undefined;
  }
  removeTempDir(dir);
});

/** Posts a vote and kills the server with SIGKILL as soon as the status line arrives. */
function voteThenKill(baseUrl: string, fields: Record<string, string>, kill: () => void): Promise<{ status: number; location?: string }> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/feedback`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': Buffer.byteLength(body),
        Origin: baseUrl,
        'Sec-Fetch-Site': 'same-origin',
      },
    });
    req.on('response', (res) => {
      kill();
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end(body);
  });
}

it('keeps a vote when the server is killed straight after the 303', async () => {
  server = await startBuiltServer({ DATA_DIR: dir, BASE_URL: 'http://127.0.0.1' }, builtServer());
  const answer = await voteThenKill(
    server.baseUrl,
    { page: '/manage/password', helpful: 'no', comment: 'my NHS number is 943 476 5919' },
    () => server!.child.kill('SIGKILL'),
  );
  expect(answer.status).toBe(303);
  expect(answer.location).toMatch(/^\/feedback\/thanks\?page=%2Fmanage%2Fpassword&helpful=no/);
  await server.exited;
  expect(server.child.signalCode).toBe('SIGKILL');

  const store = openSqliteInsightStore(dir);
  try {
    expect(await store.voteTotals(0)).toEqual([{ page: '/manage/password', section: '', yes: 0, no: 1 }]);
    expect((await store.comments(0, 1))[0]!.comment).toBe('my NHS number is [NHS number]');
  } finally {
    await store.close();
  }
});
