// Soak test: the built server under steady load on 127.0.0.1, with a health probe once a second
// and a SIGTERM at the end, as a load balancer would see it.
//
// For --seconds (60) it keeps --connections (100) keep-alive connections busy with a mix of
// pages, searches, reference codes and 404s. A new connection asks /healthz once a second. At
// the end it sends SIGTERM, goes on sending while /readyz still says ready (as a load balancer
// would), then stops, and waits for the server to exit. It prints the errors, resets, probe
// latency and the server's RSS before and after, and fails on any 5xx, any reset, any probe
// slower than 1 s, or a non-zero exit.
//
// Run with: npm run test:soak   (or npm run test:soak -- --seconds 10)
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { serverArgs } = require('./scale/server-command');

const ROOT = path.join(__dirname, '..');

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

const SECONDS = option('seconds', 60);
const CONNECTIONS = option('connections', 100);
const PROBE_LIMIT_MS = 1000;
const DRAIN_MS = 3000;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function rssOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** One request: resolves with the status, the body when asked, and how long it took. */
function get(url, agent, keepBody = false) {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => keepBody && chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          close: res.headers.connection === 'close',
        }),
      );
      res.on('error', (error) => resolve({ error: error.code || error.message, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.on('error', (error) => resolve({ error: error.code || error.message, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function waitUntil(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-'));
  const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  env.SHUTDOWN_DRAIN_MS = String(DRAIN_MS);
  for (const name of ['DATABASE_URL', 'ZENDESK_URL', 'ZENDESK_EMAIL', 'ZENDESK_API_TOKEN', 'WATCH']) delete env[name];
  const child = spawn(process.execPath, serverArgs(), {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let serverOutput = '';
  child.stdout.on('data', (chunk) => (serverOutput += chunk));
  child.stderr.on('data', (chunk) => (serverOutput += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  try {
    await waitUntil('the server to answer /healthz', async () => (await get(`${base}/healthz`, false)).status === 200, 60_000);

    // The mix: every page in the sitemap, searches, codes as people type them, and 404s.
    const sitemap = (await get(`${base}/sitemap.xml`, false, true)).body;
    const pages = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]).pathname);
    const codes = JSON.parse((await get(`${base}/cid.json`, false, true)).body || '[]')
      .map((entry) => entry.code)
      .slice(0, 50);
    const searches = ['password', 'security code', 'change email', 'prove who I am', 'nhs app', 'zzzz nothing', 'login'];
    const mix = [
      ...pages.map((page) => ({ kind: 'page', url: page })),
      ...searches.map((q) => ({ kind: 'search', url: `/search?q=${encodeURIComponent(q)}` })),
      // A few codes, as often as the pages: each is typed as it is written and in lower case.
      ...(codes.length > 0 ? codes : ['CID3006'])
        .filter((_, index, all) => index % Math.max(1, Math.floor(all.length / 8)) === 0)
        .flatMap((code) => [
          { kind: 'code', url: `/cid/${code}` },
          { kind: 'code', url: `/cid/${code.toLowerCase()}` },
        ]),
      ...['/no-such-page', '/manage/nothing-here', '/cid/CID0000', '/static/none.css'].map((url) => ({ kind: '404', url })),
    ];
    if (pages.length === 0) throw new Error('the sitemap lists no pages');

    const rssBefore = rssOf(child.pid);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const stats = { requests: 0, byStatus: {}, byKind: {}, errors: {}, resets: 0, serverErrors: 0 };
    let sending = true;
    const record = (kind, result) => {
      if (result.error) {
        stats.errors[result.error] = (stats.errors[result.error] ?? 0) + 1;
        if (result.error === 'ECONNRESET' || result.error === 'EPIPE' || /hang up/.test(result.error)) stats.resets += 1;
        return;
      }
      stats.requests += 1;
      stats.byStatus[result.status] = (stats.byStatus[result.status] ?? 0) + 1;
      stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
      if (result.status >= 500) stats.serverErrors += 1;
    };
    const loops = Array.from({ length: CONNECTIONS }, async (_, n) => {
      for (let i = n * 7; sending; i += 1) {
        const { kind, url } = mix[i % mix.length];
        record(kind, await get(`${base}${url}`, agent));
      }
    });

    const probes = [];
    const probeFailures = [];
    const probeTimer = setInterval(() => {
      void get(`${base}/healthz`, false).then((result) => {
        if (result.error || result.status !== 200) probeFailures.push(result.error ?? result.status);
        else probes.push(result.ms);
      });
    }, 1000);

    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    const elapsed = (Date.now() - started) / 1000;
    const rssAfter = rssOf(child.pid);
    clearInterval(probeTimer);

    // The end: SIGTERM while the load goes on; stop sending once /readyz fails, as a load balancer would.
    child.kill('SIGTERM');
    const signalled = Date.now();
    await waitUntil('/readyz to fail after SIGTERM', async () => (await get(`${base}/readyz`, false)).status === 503, DRAIN_MS);
    const readyFailedMs = Date.now() - signalled;
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, DRAIN_MS / 3)));
    sending = false;
    await Promise.all(loops);
    agent.destroy();
    const exit = await exited;

    const sorted = [...probes].sort((a, b) => a - b);
    const report = {
      seconds: Math.round(elapsed),
      connections: CONNECTIONS,
      requests: stats.requests,
      requestsPerSecond: Math.round(stats.requests / elapsed),
      byKind: stats.byKind,
      byStatus: stats.byStatus,
      serverErrors: stats.serverErrors,
      errors: stats.errors,
      resets: stats.resets,
      probes: probes.length,
      probeFailures,
      probeMs: { p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)), max: Math.round(sorted.at(-1) ?? 0) },
      rssMb: { before: rssBefore, after: rssAfter },
      readyzFailedAfterSigtermMs: readyFailedMs,
      exit,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);

    const problems = [];
    if (stats.serverErrors > 0) problems.push(`${stats.serverErrors} responses were 5xx`);
    if (stats.resets > 0) problems.push(`${stats.resets} requests were reset`);
    if (Object.keys(stats.errors).length > 0) problems.push(`network errors: ${JSON.stringify(stats.errors)}`);
    if (probeFailures.length > 0) problems.push(`${probeFailures.length} health probes failed`);
    if ((sorted.at(-1) ?? 0) > PROBE_LIMIT_MS)
      problems.push(`a health probe took ${Math.round(sorted.at(-1))} ms (limit ${PROBE_LIMIT_MS} ms)`);
    if (probes.length < Math.floor(SECONDS) - 2) problems.push(`only ${probes.length} health probes answered in ${SECONDS} s`);
    if (exit.code !== 0) problems.push(`the server exited with ${exit.code ?? exit.signal}`);
    if (problems.length > 0) {
      process.stderr.write(`soak failed:\n  ${problems.join('\n  ')}\n`);
      if (serverOutput) process.stderr.write(`server output:\n${serverOutput.slice(-4000)}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write('soak passed\n');
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`soak failed: ${error.message}\n`);
  process.exitCode = 1;
});
