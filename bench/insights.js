// Insight counting benchmark: /cid requests (known codes, unknown codes, malformed) through the
// real app, with no recorder and with the batched recorder writing to a real SQLite store every
// second. The two are measured in alternating rounds in the same run; ratios compare them.
// Run with: npm run bench:insights
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const pino = require('pino');
const dist = path.join(__dirname, '..', 'dist');
const { loadConfig } = require(path.join(dist, 'config'));
const { createApp } = require(path.join(dist, 'http', 'app'));
const { startUp } = require(path.join(dist, 'render', 'startup'));
const { NO_INSIGHTS } = require(path.join(dist, 'insights', 'events'));
const { createBatchedRecorder } = require(path.join(dist, 'insights', 'recorder'));
const { openSqliteInsightStore } = require(path.join(dist, 'insights', 'sqlite-store'));

const ROUNDS = 6;
const REQUESTS = 1500;
const CONCURRENCY = 8;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-insights-'));
const config = { ...loadConfig({ BASE_URL: 'http://127.0.0.1', DATA_DIR: dataDir }), logLevel: 'silent' };
const startup = startUp(config);
const codes = [...startup.rendered.site.codes.keys()];
const paths = [];
for (let i = 0; i < 200; i += 1) {
  paths.push(`/cid/${codes[i % codes.length]}`);
  if (i % 4 === 0) paths.push(`/cid/CID${9000 + (i % 50)}`);
  if (i % 10 === 0) paths.push('/cid?code=not-a-code');
}

function appWith(insights) {
  return createApp({
    config,
    views: startup.views,
    assets: startup.assets,
    logger: pino({ level: 'silent' }),
    current: () => startup.rendered,
    insights,
  });
}

function listen(app) {
  return new Promise((resolve) => {
    const server = http.createServer(app).listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Sends REQUESTS GETs with CONCURRENCY in flight over keep-alive; returns req/s and latencies. */
async function load(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  let next = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      http
        .get({ host: '127.0.0.1', port, path: paths[next++ % paths.length], agent }, (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
            resolve();
          });
        })
        .on('error', reject);
    });
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) await one();
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const store = openSqliteInsightStore(dataDir);
  const recorder = createBatchedRecorder({ store, flushMs: 1000 });
  // A second app without a recorder measures the noise: the ratio between two identical apps.
  const servers = {
    without: await listen(appWith(NO_INSIGHTS)),
    again: await listen(appWith(NO_INSIGHTS)),
    with: await listen(appWith(recorder)),
  };
  const results = { without: [], again: [], with: [] };
  for (const server of Object.values(servers)) await load(server.address().port);
  // Rotate the order each round so drift in the machine's load falls on all three alike.
  const names = ['without', 'with', 'again'];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let i = 0; i < names.length; i += 1) {
      const name = names[(round + i) % names.length];
      results[name].push(await load(servers[name].address().port));
    }
  }
  await recorder.close();
  const totals = await store.countTotals('1970-01-01');
  await store.close();
  for (const server of Object.values(servers)) server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const summary = (name) => ({
    rps: median(results[name].map((r) => r.rps)),
    p50: median(results[name].map((r) => r.p50)),
    p99: median(results[name].map((r) => r.p99)),
  });
  const a = summary('without');
  const b = summary('with');
  const c = summary('again');
  const counted_ = totals.reduce((sum, row) => sum + row.count, 0);
  const line = (label, s) =>
    `${label.padEnd(22)} ${s.rps.toFixed(0).padStart(7)} req/s   p50 ${s.p50.toFixed(2)} ms   p99 ${s.p99.toFixed(2)} ms`;
  process.stdout.write(
    [
      `/cid requests: ${ROUNDS} alternating rounds of ${REQUESTS}, ${CONCURRENCY} in flight, medians over rounds`,
      line('without recorder', a),
      line('without, second app', c),
      line('with batched recorder', b),
      `ratio with/without:    req/s ${(b.rps / a.rps).toFixed(3)}   p50 ${(b.p50 / a.p50).toFixed(3)}   p99 ${(b.p99 / a.p99).toFixed(3)}`,
      `noise (two apps alike): req/s ${(c.rps / a.rps).toFixed(3)}   p50 ${(c.p50 / a.p50).toFixed(3)}   p99 ${(c.p99 / a.p99).toFixed(3)}`,
      `counted ${counted_} events in ${totals.length} counters (the warm-up round included)`,
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
