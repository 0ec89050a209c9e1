// Insight counting benchmark: /cid requests (known codes, unknown codes, malformed) through the
// real app, with no recorder and with the batched recorder writing to a real SQLite store every
// second, measured side by side in the same run, with a second app without a recorder to show
// the noise. Ratios compare them. Then the cost of record() on its own.
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
const REQUESTS = 1000;
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

/**
 * Sends REQUESTS GETs to each server with CONCURRENCY in flight over keep-alive. Each worker takes
 * the servers in turn, request by request, so any change in the machine's load falls on every
 * server alike (this machine is shared). Returns each server's latencies, sorted.
 */
async function load(ports) {
  const agents = ports.map(() => new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }));
  const latencies = ports.map(() => []);
  let next = 0;
  const one = (target, urlPath) =>
    new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      http
        .get({ host: '127.0.0.1', port: ports[target], path: urlPath, agent: agents[target] }, (res) => {
          res.resume();
          res.on('end', () => {
            latencies[target].push(Number(process.hrtime.bigint() - start) / 1e6);
            resolve();
          });
        })
        .on('error', reject);
    });
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (next < REQUESTS) {
        const urlPath = paths[next++ % paths.length];
        // Rotate which server goes first, so none always follows another.
        for (let i = 0; i < ports.length; i += 1) await one((i + next + worker) % ports.length, urlPath);
      }
    }),
  );
  for (const agent of agents) agent.destroy();
  return latencies.map((list) => list.sort((a, b) => a - b));
}

/** Nanoseconds per record() call on its own, and per event for the write that follows. */
async function recordCost(store) {
  const recorder = createBatchedRecorder({ store, flushMs: 0 });
  const events = paths.map((urlPath, i) =>
    i % 5 === 4 ? { kind: 'unknown-code', code: urlPath.slice(5), via: 'cid' } : { kind: 'code-lookup', code: urlPath.slice(5) },
  );
  const N = 200_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i += 1) recorder.record(events[i % events.length]);
  const recorded = Number(process.hrtime.bigint() - start) / N;
  const flushStart = process.hrtime.bigint();
  await recorder.flush();
  const flushMs = Number(process.hrtime.bigint() - flushStart) / 1e6;
  return { recorded, flushMs, counters: new Set(events.map((e) => e.code)).size };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const store = openSqliteInsightStore(dataDir);
  // Written every second here, five times as often as the server's default.
  const recorder = createBatchedRecorder({ store, flushMs: 1000 });
  // A second app without a recorder measures the noise: the ratio between two identical apps.
  const servers = [await listen(appWith(NO_INSIGHTS)), await listen(appWith(recorder)), await listen(appWith(NO_INSIGHTS))];
  const ports = servers.map((server) => server.address().port);
  await load(ports);
  const rounds = [];
  for (let round = 0; round < ROUNDS; round += 1) rounds.push(await load(ports));
  await recorder.close();
  const totals = await store.countTotals('1970-01-01');
  const cost = await recordCost(store);
  await store.close();
  for (const server of servers) server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const at = (list, q) => list[Math.min(list.length - 1, Math.floor(q * list.length))];
  const mean = (list) => list.reduce((sum, value) => sum + value, 0) / list.length;
  const summary = (index) => ({
    p50: median(rounds.map((r) => at(r[index], 0.5))),
    p99: median(rounds.map((r) => at(r[index], 0.99))),
    mean: median(rounds.map((r) => mean(r[index]))),
  });
  const [a, b, c] = [summary(0), summary(1), summary(2)];
  const line = (label, s) => `${label.padEnd(24)} mean ${s.mean.toFixed(2)} ms   p50 ${s.p50.toFixed(2)} ms   p99 ${s.p99.toFixed(2)} ms`;
  const ratio = (label, x, y) =>
    `${label.padEnd(24)} mean ${(x.mean / y.mean).toFixed(3)}      p50 ${(x.p50 / y.p50).toFixed(3)}      p99 ${(x.p99 / y.p99).toFixed(3)}`;
  const events = totals.reduce((sum, row) => sum + row.count, 0);
  process.stdout.write(
    [
      `/cid requests: ${ROUNDS} rounds of ${REQUESTS} per app, ${CONCURRENCY} in flight, apps taken in turn; medians over rounds`,
      line('without recorder', a),
      line('with batched recorder', b),
      line('without, second app', c),
      ratio('with / without', b, a),
      ratio('noise: second / first', c, a),
      `counted ${events} events in ${totals.length} counters, written once a second`,
      `record() alone: ${cost.recorded.toFixed(0)} ns a call; writing ${cost.counters} counters took ${cost.flushMs.toFixed(2)} ms`,
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
