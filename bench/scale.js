// Scale benchmark. For each corpus size it generates a deterministic content folder, starts the
// server on it and records the time to ready and RSS, then loads each route at 50 connections
// (searches for a common word, a rare one, and 1,000 searches in turn) and compares it, in the same run and alternately, with a plain Express app sending the same
// bytes through `compression` (a bare res.redirect for the code route) and with nginx serving
// them as precompressed files. It also times development mode: an article saved, and its new
// version served.
//
// Run with: npm run bench            (our content, then 100, 1,000 and 10,000 articles; about 30 minutes)
//           npm run bench -- --sizes 1000 --duration 3 --rounds 2     (a few minutes)
// Options:  --sizes content,100,1000   --duration <s per run>   --rounds <n>   --connections <n>
//           --no-nginx   --no-dev   --no-load   --ready-timeout <s>   --saves <n, development mode>
// Needs wrk (apt-get install wrk); nginx with brotli is optional
// (apt-get install nginx-light libnginx-mod-http-brotli-static).
'use strict';

const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { copyContent, searchQueries, writeCorpus } = require('./scale/corpus');
const { serverArgs } = require('./scale/server-command');

const ROOT = path.join(__dirname, '..');

function parseArgs(argv) {
  const options = {
    sizes: ['content', 100, 1000, 10000],
    duration: 5,
    rounds: 3,
    connections: 50,
    nginx: true,
    dev: true,
    load: true,
    readyTimeout: 120,
    saves: 5,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = () => argv[++i];
    if (flag === '--sizes')
      options.sizes = value()
        .split(',')
        .map((size) => (size === 'content' ? size : Number(size)));
    else if (flag === '--duration') options.duration = Number(value());
    else if (flag === '--rounds') options.rounds = Number(value());
    else if (flag === '--connections') options.connections = Number(value());
    else if (flag === '--ready-timeout') options.readyTimeout = Number(value());
    else if (flag === '--saves') options.saves = Number(value());
    else if (flag === '--no-nginx') options.nginx = false;
    else if (flag === '--no-dev') options.dev = false;
    else if (flag === '--no-load') options.load = false;
    else throw new Error(`Unknown option ${flag}`);
  }
  return options;
}

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const CORES = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
const PIN = has('taskset') && CORES >= 2;
/** Searches asked in turn in one load run, each again only after more than the server keeps made (see searchQueries). */
const QUERIES = 1000;
/** Servers on core 0, the load generator on core 1, when the machine has two. */
const pinned = (core, command, args) => (PIN ? ['taskset', ['-c', String(core), command, ...args]] : [command, args]);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const spread = (values) => {
  const m = median(values);
  return m ? Math.round(((Math.max(...values) - Math.min(...values)) / m) * 100) : 0;
};

/** One request; resolves with status, headers and the (still encoded) body. */
function get(port, urlPath, headers = {}, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout on ${urlPath}`)));
  });
}

function freePort() {
  return new Promise((resolve) => {
    const server = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** Starts our server on a content folder; resolves when /healthz answers 200, with the time that took. */
async function startServer(contentDir, dataDir, readyTimeoutS, env = {}) {
  const port = await freePort();
  // Start-up may use every core (it parses on worker threads); the load runs then have the server
  // on core 0, every thread of it, and the load generator on core 1.
  const [command, args] = [process.execPath, serverArgs()];
  const started = process.hrtime.bigint();
  const child = spawn(command, args, {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      CONTENT_DIR: contentDir,
      DATA_DIR: dataDir,
      BASE_URL: 'http://localhost',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.once('exit', (code, signal) => {
    if (!child.stopping) console.log(`  the server exited (${signal ?? code}) ${stderr.slice(-2000)}`);
  });
  const deadline = Date.now() + readyTimeoutS * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      const res = await get(port, '/healthz');
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.stopping = true;
      child.kill('SIGKILL');
      return { ready: false, readyMs: readyTimeoutS * 1000 };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
  const rss = rssMb(child.pid);
  if (PIN) execFileSync('taskset', ['-a', '-p', '-c', '0', String(child.pid)], { stdio: 'ignore' });
  return { ready: true, readyMs, port, child, pid: child.pid, rss };
}

/** Stops a server at once: for the starts that only time start-up. */
function kill(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.stopping = true;
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.stopping = true;
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

async function startBaseline(manifestFile) {
  const port = await freePort();
  const [command, args] = pinned(0, process.execPath, [path.join(__dirname, 'scale', 'baseline-server.js'), manifestFile, String(port)]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', () => reject(new Error('baseline server exited')));
  });
  return { port, child };
}

const NGINX_MODULES = '/usr/lib/nginx/modules';

/** nginx with one worker on core 0, serving the files with their .br and .gz forms (brotli_static, gzip_static). */
async function startNginx(dir, wwwDir) {
  if (!has('nginx') || !fs.existsSync(path.join(NGINX_MODULES, 'ngx_http_brotli_static_module.so'))) return undefined;
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `load_module ${NGINX_MODULES}/ngx_http_brotli_static_module.so;
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/nginx-tmp;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; }
  brotli_static on;
  gzip_static on;
  gzip_vary on;
  server {
    listen 127.0.0.1:${port};
    root ${wwwDir};
  }
}
`,
  );
  const [command, args] = pinned(0, 'nginx', ['-c', conf, '-p', dir]);
  const child = spawn(command, args, { stdio: 'ignore' });
  for (let i = 0; i < 200; i += 1) {
    try {
      if ((await get(port, '/article.html')).status === 200) return { port, child };
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  child.kill('SIGKILL');
  return undefined;
}

function parseLatencyMs(text) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
}

/**
 * A wrk script asking for each path in turn: a request per path, the first again after the last.
 * The paths hold only characters a Lua string may hold between double quotes unescaped.
 */
function writeRequestScript(file, paths) {
  const list = paths.map((p) => JSON.stringify(p)).join(',\n  ');
  fs.writeFileSync(
    file,
    `local paths = {\n  ${list}\n}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n`,
  );
  return file;
}

/** One wrk run on core 1: requests/s and p99 latency in ms. With a script, it chooses each request's path. */
function load(port, urlPath, { duration, connections }, script) {
  const [command, args] = pinned(1, 'wrk', [
    '-t1',
    `-c${connections}`,
    `-d${duration}s`,
    '--latency',
    ...(script ? ['-s', script] : []),
    '-H',
    'Accept-Encoding: gzip, deflate, br',
    `http://127.0.0.1:${port}${urlPath}`,
  ]);
  const out = execFileSync(command, args, { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  // The latency distribution's line: not a stdev column ending in "99%" (such as "99.99%").
  const p99Text = /^\s*99%\s+(\S+)/m.exec(out)?.[1];
  const p99 = p99Text === undefined ? NaN : parseLatencyMs(p99Text);
  if (Number.isNaN(p99)) console.log(`  wrk gave no p99 that reads as a time (${JSON.stringify(p99Text)}): this run's p99 is left out`);
  const errors = /Socket errors:(.*)/.exec(out);
  return { rps, p99, errors: errors ? errors[1].trim() : undefined };
}

/** The bytes our server sends for a URL, uncompressed, so the baselines can send the same. */
async function bytesOf(port, urlPath) {
  const res = await get(port, urlPath, { 'Accept-Encoding': 'identity' });
  return res.body;
}

async function devMode(contentDir, dataDir, corpus, options) {
  const server = await startServer(contentDir, dataDir, options.readyTimeout, { WATCH: 'true', NODE_ENV: 'development' });
  if (!server.ready) return { ready: false };
  const original = fs.readFileSync(corpus.articleFile, 'utf8');
  const served = [];
  let worstProbe = 0;
  try {
    for (let i = 0; i < options.saves; i += 1) {
      // Let the watcher settle, then save one article and wait for its new version.
      await new Promise((r) => setTimeout(r, 500));
      const token = `Saved edit ${i} ${Date.now()}`;
      const saved = process.hrtime.bigint();
      fs.writeFileSync(corpus.articleFile, original.replace(/\n## /, `\n## ${token} `));
      const deadline = Date.now() + 300_000;
      for (;;) {
        const probeStart = process.hrtime.bigint();
        const res = await get(server.port, corpus.article, { 'Accept-Encoding': 'identity' }, 300_000);
        worstProbe = Math.max(worstProbe, Number(process.hrtime.bigint() - probeStart) / 1e6);
        if (res.body.includes(token)) break;
        if (Date.now() > deadline) throw new Error('the edit was never served');
        await new Promise((r) => setTimeout(r, 5));
      }
      served.push(Number(process.hrtime.bigint() - saved) / 1e6);
    }
  } finally {
    fs.writeFileSync(corpus.articleFile, original);
    await stop(server.child);
  }
  return { ready: true, readyMs: server.readyMs, served, worstProbe };
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const pad = (text, width) => String(text).padStart(width);

function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : pad(c, widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** The markdown files of a content folder that are pages (not snippets or data). */
function countPages(dir) {
  let count = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) count += countPages(path.join(dir, entry.name));
    else if (entry.name.endsWith('.md')) count += 1;
  }
  return count;
}

async function benchSize(size, options, work) {
  const dir = path.join(work, `size-${size}`);
  const contentDir = path.join(dir, 'content');
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const corpus = size === 'content' ? copyContent(contentDir) : writeCorpus(contentDir, size);
  const articles = size === 'content' ? countPages(contentDir) : size;
  const label = size === 'content' ? `our content (${articles} pages)` : `${size} articles`;
  const result = { size, articles, label, corpus };

  // Start-up is timed over as many starts as there are rounds, and the median reported; the last
  // server stays up for the load runs.
  const starts = [];
  let server;
  for (let round = 0; round < Math.max(1, options.rounds); round += 1) {
    if (server) await kill(server.child);
    server = await startServer(contentDir, dataDir, options.readyTimeout);
    if (!server.ready) break;
    starts.push(server);
  }
  result.ready = server.ready;
  if (!server.ready) {
    result.readyMs = server.readyMs;
    console.log(`${label}: not ready after ${options.readyTimeout} s; skipped`);
    return result;
  }
  result.readyMs = median(starts.map((start) => start.readyMs));
  result.rssReady = median(starts.map((start) => start.rss));
  const each = starts.map((start) => fmt(start.readyMs)).join(', ');
  console.log(`${label}: ready in ${fmt(result.readyMs)} ms (median of ${each}), RSS ${fmt(result.rssReady)} MB`);

  if (options.load) {
    const routes = [
      { name: 'article', path: corpus.article, base: '/article', nginx: '/article.html' },
      { name: 'hub', path: corpus.hub, base: '/hub', nginx: '/hub.html' },
      { name: 'home', path: '/', base: '/home', nginx: '/home.html' },
      { name: `/cid/${corpus.code}`, path: `/cid/${corpus.code}`, base: `/cid/${corpus.code}` },
      { name: `search "${corpus.common}"`, path: `/search?q=${corpus.common}`, base: '/article', vsArticle: true },
      { name: `search "${corpus.rare}"`, path: `/search?q=${corpus.rare}`, base: '/article', vsArticle: true },
      {
        name: `search, ${QUERIES.toLocaleString('en-GB')} queries in turn`,
        path: '/',
        script: writeRequestScript(
          path.join(dir, 'queries.lua'),
          searchQueries(QUERIES).map((q) => `/search?q=${q.replace(/ /g, '+')}`),
        ),
        base: '/article',
        vsArticle: true,
      },
      { name: '404', path: '/no-such-page', base: '/article', vsArticle: true },
    ];
    // The baselines serve exactly the bytes our server sent.
    const wwwDir = path.join(dir, 'www');
    fs.mkdirSync(wwwDir);
    const files = {};
    for (const route of routes.filter((r) => r.nginx)) {
      const body = await bytesOf(server.port, route.path);
      const file = path.join(wwwDir, route.nginx.slice(1));
      fs.writeFileSync(file, body);
      fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
      fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
      files[route.base] = { file, type: 'text/html; charset=utf-8' };
    }
    const redirect = (await get(server.port, `/cid/${corpus.code}`)).headers.location;
    const manifest = path.join(dir, 'baseline.json');
    fs.writeFileSync(manifest, JSON.stringify({ files, redirect }));
    const baseline = await startBaseline(manifest);
    const nginx = options.nginx ? await startNginx(dir, wwwDir) : undefined;
    if (options.nginx && !nginx) console.log('  nginx with brotli_static is not installed: the nginx column is skipped');

    // Warm up every route once on every server (first requests may compress or compile).
    for (const route of routes) {
      load(server.port, route.path, { duration: 1, connections: 4 }, route.script);
    }
    load(baseline.port, '/article', { duration: 1, connections: 4 });

    const runs = new Map(routes.map((r) => [r.name, { ours: [], oursP99: [], base: [], baseP99: [], nginx: [] }]));
    // The searches in turn come after every round of the others, so that RSS can be read between:
    // each of them is a page made afresh, and the heap and allocator keep what they grow to.
    const phases = [routes.filter((route) => !route.script), routes.filter((route) => route.script)];
    for (const [phase, phaseRoutes] of phases.entries()) {
      if (phase === 1) result.rssAfterRoutes = rssMb(server.pid);
      for (let round = 0; round < options.rounds; round += 1) {
        for (const route of phaseRoutes) {
          const record = runs.get(route.name);
          const order = [
            () => {
              const r = load(server.port, route.path, options, route.script);
              record.ours.push(r.rps);
              record.oursP99.push(r.p99);
              if (r.errors) console.log(`  ${route.name}: socket errors ${r.errors}`);
            },
            () => {
              const r = load(baseline.port, route.base, options);
              record.base.push(r.rps);
              record.baseP99.push(r.p99);
            },
          ];
          if (nginx && route.nginx) order.push(() => record.nginx.push(load(nginx.port, route.nginx, options).rps));
          if (round % 2 === 1) order.reverse();
          for (const run of order) run();
        }
        process.stdout.write(`  round ${round + 1} of ${options.rounds} done${phase === 1 ? ' (searches in turn)' : ''}\n`);
      }
    }
    result.rssAfterLoad = rssMb(server.pid);
    result.baselineRss = rssMb(baseline.child.pid);
    result.routes = routes.map((route) => ({ ...route, ...runs.get(route.name) }));
    await stop(baseline.child);
    if (nginx) await stop(nginx.child);
  }
  await stop(server.child);
  if (options.dev) {
    try {
      result.dev = await devMode(contentDir, dataDir, corpus, options);
    } catch (error) {
      console.log(`  development mode failed: ${error.message}`);
    }
  }
  return result;
}

function report(results, options) {
  console.log('\n== Start-up (production mode) ==');
  printTable(
    [
      'content',
      'ready ms',
      'ms per page',
      'RSS at ready MB',
      'RSS after the routes MB',
      'after searches in turn MB',
      'plain Express RSS MB',
    ],
    results.map((r) => [
      r.label,
      r.ready ? fmt(r.readyMs) : `> ${options.readyTimeout * 1000}`,
      r.ready ? fmt(r.readyMs / r.articles, 2) : '-',
      fmt(r.rssReady),
      fmt(r.rssAfterRoutes),
      fmt(r.rssAfterLoad),
      fmt(r.baselineRss),
    ]),
  );
  for (const r of results.filter((x) => x.routes)) {
    console.log(
      `\n== ${r.label}: requests/s at ${options.connections} connections, median of ${options.rounds} runs of ${options.duration} s (spread = (max - min) / median) ==`,
    );
    console.log('Express = plain Express + compression sending the same bytes (search and 404: its article); redirect: bare res.redirect');
    printTable(
      ['route', 'ours req/s', 'spread', 'p99 ms', 'Express req/s', 'spread', 'ours/Express', 'nginx req/s', 'ours/nginx'],
      r.routes.map((x) => [
        x.name,
        fmt(median(x.ours)),
        `${spread(x.ours)}%`,
        fmt(median(x.oursP99.filter((ms) => !Number.isNaN(ms))), 1),
        fmt(median(x.base)),
        `${spread(x.base)}%`,
        `${fmt(median(x.ours) / median(x.base), 2)}x`,
        x.nginx.length ? fmt(median(x.nginx)) : '-',
        x.nginx.length ? `${fmt(median(x.ours) / median(x.nginx), 2)}x` : '-',
      ]),
    );
  }
  const dev = results.filter((r) => r.dev && r.dev.ready);
  if (dev.length) {
    console.log(`\n== Development mode: one article saved, until its new version is served (${options.saves} saves) ==`);
    printTable(
      ['content', 'ready ms', 'served after ms (median)', 'max', 'slowest request during reload ms'],
      dev.map((r) => [r.label, fmt(r.dev.readyMs), fmt(median(r.dev.served)), fmt(Math.max(...r.dev.served)), fmt(r.dev.worstProbe)]),
    );
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!has('wrk')) {
    console.error('wrk is needed for the load runs: apt-get install wrk (or pass --no-load)');
    if (options.load) process.exit(1);
  }
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'server.js'))) throw new Error('Run npm run build first');
  console.log(
    `Node ${process.version}, ${CORES} cores, ${PIN ? 'servers on core 0, wrk on core 1' : 'not pinned (taskset missing or one core)'}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'help-scale-'));
  const results = [];
  try {
    for (const size of options.sizes) results.push(await benchSize(size, options, work));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  report(results, options);
  console.log(
    `\nload average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
