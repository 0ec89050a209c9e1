// Search benchmark, in two parts.
//
// 1. Quality: the queries in test/search/queries.yml (written as patients type them, each with
//    the sections that answer it) against the real content. Prints hit@1, hit@3 and MRR for the
//    search the site runs, side by side with a plain baseline measured in the same run: the same
//    index without stemming and synonyms. Also each half on its own, the misses and the slowest
//    queries.
// 2. Speed: a generated corpus of 1,000 and of 10,000 articles with about 8 sections each, and
//    1,000 mixed queries. A plain linear scan over the same sections and the plain index (no
//    stemming, no synonyms) are the baselines, measured in the same run; ratios compare them.
//
// Run with: npm run bench:search
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const yaml = require('js-yaml');

const dist = (...parts) => require(path.join(__dirname, '..', 'dist', ...parts));
const { buildSearchIndex, sectionDocuments } = dist('search', 'search-index');
const { loadSynonyms } = dist('search', 'synonyms');
const { findCodes } = dist('content', 'reference-codes');
const { loadSite } = dist('render', 'rendered-site');
const { createViews } = dist('render', 'views');
const { loadConfig } = dist('config');

const CONTENT = path.join(__dirname, '..', 'content');
const QUERY_SET = path.join(__dirname, '..', 'test', 'search', 'queries.yml');
const f = (n, digits = 3) => n.toFixed(digits);

// ---------------------------------------------------------------------------------------------
// 1. Quality

/** The section hrefs a query shows, best first: a redirect counts as the only result. */
function ranking(index, query) {
  const answer = index.answer(query);
  if (answer.kind === 'code') return [answer.href];
  if (answer.kind === 'results') return answer.results.hits.map((hit) => hit.href);
  return [];
}

function score(index, set) {
  let hit1 = 0;
  let hit3 = 0;
  let rr = 0;
  const rows = [];
  for (const { q, answers } of set) {
    const hrefs = ranking(index, q);
    const rank = hrefs.findIndex((href) => answers.includes(href)) + 1;
    if (rank === 1) hit1 += 1;
    if (rank >= 1 && rank <= 3) hit3 += 1;
    if (rank >= 1) rr += 1 / rank;
    rows.push({ q, rank, top: hrefs[0] });
  }
  const n = set.length;
  return { hit1: hit1 / n, hit3: hit3 / n, mrr: rr / n, rows };
}

function quality() {
  const config = loadConfig({});
  const site = loadSite(CONTENT, config.viewsDir, createViews(config.viewsDir));
  const docs = sectionDocuments(site);
  const synonyms = loadSynonyms(CONTENT);
  const set = yaml.load(fs.readFileSync(QUERY_SET, 'utf8')).map(({ q, answers }) => ({ q: String(q), answers }));
  const known = new Set(docs.map((d) => d.id));
  const stale = set.flatMap(({ q, answers }) => answers.filter((a) => !known.has(a)).map((a) => `${q} → ${a}`));
  if (stale.length > 0) {
    console.error(`The query set names sections the content no longer has:\n  ${stale.join('\n  ')}`);
    process.exitCode = 1;
  }

  const variants = [
    ['plain baseline (no stemming, no synonyms)', { stemming: false, synonyms: [] }],
    ['stemming only', { stemming: true, synonyms: [] }],
    ['synonyms only', { stemming: false, synonyms }],
    ['site search (stemming + synonyms)', { stemming: true, synonyms }],
  ];
  const results = variants.map(([name, options]) => ({ name, ...score(buildSearchIndex(docs, options), set) }));

  console.log(`Quality: ${set.length} queries from test/search/queries.yml over ${docs.length} sections of content/`);
  console.log('');
  console.log('                                              hit@1   hit@3     MRR');
  for (const r of results)
    console.log(`${r.name.padEnd(44)}  ${f(r.hit1, 2).padStart(5)}   ${f(r.hit3, 2).padStart(5)}   ${f(r.mrr, 3).padStart(5)}`);
  const [base, , , site_] = [results[0], results[1], results[2], results[3]];
  console.log('');
  console.log(
    `ratio site/baseline: hit@1 ${f(site_.hit1 / base.hit1, 2)}x, hit@3 ${f(site_.hit3 / base.hit3, 2)}x, MRR ${f(site_.mrr / base.mrr, 2)}x`,
  );
  const targets = [
    ['hit@3 >= 0.95', site_.hit3 >= 0.95],
    ['hit@1 >= 0.85', site_.hit1 >= 0.85],
  ];
  for (const [name, ok] of targets) console.log(`${ok ? 'meets' : 'MISSES'} target: ${name}`);

  const misses = site_.rows.filter((r) => r.rank !== 1);
  console.log('');
  console.log(`Not first (${misses.length}): rank (0 = not in the first 10), query, what came first`);
  for (const r of misses) console.log(`  ${String(r.rank).padStart(2)}  ${r.q.padEnd(45)} ${r.top ?? '(nothing)'}`);

  const index = buildSearchIndex(docs, { synonyms });
  for (const { q } of set) index.answer(q); // warm up
  const timed = set.map(({ q }) => {
    const runs = [];
    for (let i = 0; i < 5; i += 1) {
      const start = performance.now();
      index.answer(q);
      runs.push(performance.now() - start);
    }
    return { q, ms: runs.sort((a, b) => a - b)[2] };
  });
  timed.sort((a, b) => b.ms - a.ms);
  console.log('');
  console.log('Slowest queries (median of 5 runs):');
  for (const { q, ms } of timed.slice(0, 5)) console.log(`  ${f(ms).padStart(7)} ms  ${q}`);
}

// ---------------------------------------------------------------------------------------------
// 2. Speed

const SECTIONS = 8;
const QUERIES = 1000;

/** A small deterministic random number generator, so every run searches the same corpus. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Words drawn with the frequencies they have in our own articles, so the generated corpus has
 * the vocabulary and the mix of common and rare words of real help content.
 */
function contentWords() {
  const counts = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md')) {
        const body = fs.readFileSync(full, 'utf8').replace(/^---[\s\S]*?---/, '');
        for (const word of body.toLowerCase().match(/[a-z]+/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
      }
    }
  };
  walk(CONTENT);
  const bag = [];
  for (const [word, count] of counts) for (let i = 0; i < count; i += 1) bag.push(word);
  return { bag, distinct: [...counts.keys()].filter((w) => w.length > 3) };
}

/**
 * Articles are about something: each draws most of its words from a topic of 40 words taken
 * from the content's vocabulary, and the rest from the vocabulary as a whole, the way a real
 * article about passwords says "password" often and "passport" rarely.
 */
function corpus(articles, rand, words) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const docs = [];
  let code = 1000;
  for (let a = 0; a < articles; a += 1) {
    const topic = Array.from({ length: 40 }, () => pick(words.bag));
    const some = (n) => Array.from({ length: n }, () => (rand() < 0.6 ? pick(topic) : pick(words.bag))).join(' ');
    const title = some(3);
    for (let s = 0; s < SECTIONS; s += 1) {
      const heading = s % 3 === 0 ? `${some(3)} – Reference CID${code++}` : some(4);
      const body = Array.from({ length: 6 }, () => `${some(10 + Math.floor(rand() * 8))}.`).join(' ');
      docs.push({ id: `/a${a}#s${s}`, url: `/a${a}`, headingId: `s${s}`, heading, title, hub: 'Hub', body, codes: findCodes(heading) });
    }
  }
  return docs;
}

/** Words, phrases, prefixes, misspellings, codes in several forms and patients' questions. */
function queries(rand, words, maxCode) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const list = [];
  for (let i = 0; i < QUERIES; i += 1) {
    const kind = i % 6;
    const code = 1000 + Math.floor(rand() * (maxCode - 1000));
    if (kind === 0) list.push(pick(words.distinct));
    else if (kind === 1) list.push(`${pick(words.distinct)} ${pick(words.distinct)} ${pick(words.distinct)}`);
    else if (kind === 2) list.push(pick(words.distinct).slice(0, 4));
    else if (kind === 3) {
      const word = pick(words.distinct.filter((w) => w.length > 5));
      const at = 1 + Math.floor(rand() * (word.length - 2));
      list.push(word.slice(0, at) + word.slice(at + 1));
    } else if (kind === 4) list.push(pick([`CID${code}`, `cid ${code}`, `my code is ${code}`, `CID${code} ${pick(words.distinct)}`]));
    else list.push(`how do i ${pick(words.distinct)} my ${pick(words.distinct)} ${pick(words.distinct)}`);
  }
  return list;
}

/** The baseline: lower-case substring scan of every section, ranked by heading hits. */
function buildScan(docs) {
  const rows = docs.map((d) => ({ d, heading: d.heading.toLowerCase(), text: `${d.title} ${d.body}`.toLowerCase() }));
  return {
    answer(query) {
      const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
      const hits = [];
      for (const row of rows) {
        let points = 0;
        for (const term of terms) {
          if (row.heading.includes(term)) points += 3;
          if (row.text.includes(term)) points += 1;
        }
        if (points > 0) hits.push({ row, points });
      }
      hits.sort((x, y) => y.points - x.points);
      return hits.slice(0, 10);
    },
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function timeQueries(index, list) {
  for (const q of list.slice(0, 50)) index.answer(q); // warm up
  const times = list.map((q) => {
    const start = performance.now();
    index.answer(q);
    return performance.now() - start;
  });
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99) };
}

function measureBuild(build) {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  const index = build();
  const ms = performance.now() - start;
  global.gc?.();
  const mb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  return { index, ms, mb };
}

function speed(articles, synonyms, words) {
  const rand = random(20261125);
  const docs = corpus(articles, rand, words);
  const list = queries(rand, words, 1000 + Math.floor(docs.length / 3));
  const scan = measureBuild(() => buildScan(docs));
  const plain = measureBuild(() => buildSearchIndex(docs, { stemming: false, synonyms: [] }));
  const site = measureBuild(() => buildSearchIndex(docs, { synonyms }));
  const scanTimes = timeQueries(scan.index, list);
  const plainTimes = timeQueries(plain.index, list);
  const siteTimes = timeQueries(site.index, list);
  console.log('');
  console.log(
    `Speed: ${articles} articles, ${docs.length} sections; ${QUERIES} mixed queries (words, phrases, prefixes, misspellings, codes, questions)`,
  );
  console.log('                      index build   heap (MB)   p50 query (ms)   p99 query (ms)');
  const row = (name, b, t) =>
    console.log(
      `${name.padEnd(20)}  ${f(b.ms, 0).padStart(9)} ms   ${f(b.mb, 1).padStart(8)}   ${f(t.median).padStart(14)}   ${f(t.p99).padStart(14)}`,
    );
  row('baseline (scan)', scan, scanTimes);
  row('plain index', plain, plainTimes);
  row('site search', site, siteTimes);
  console.log(`ratio site/scan: p50 ${f(siteTimes.median / scanTimes.median, 2)}x, p99 ${f(siteTimes.p99 / scanTimes.p99, 2)}x`);
  console.log(
    `ratio site/plain index (the cost of stemming and synonyms): build ${f(site.ms / plain.ms, 2)}x, p50 ${f(siteTimes.median / plainTimes.median, 2)}x, p99 ${f(siteTimes.p99 / plainTimes.p99, 2)}x`,
  );
  return { build: site.ms, ...siteTimes };
}

quality();
console.log('');
console.log(`Node ${process.version}${global.gc ? ', --expose-gc' : ' (run with --expose-gc for exact memory)'}`);
const words = contentWords();
const synonyms = loadSynonyms(CONTENT);
const small = speed(1000, synonyms, words);
const large = speed(10000, synonyms, words);
console.log('');
const targets = [
  ['1,000 articles: index build < 1500 ms', small.build < 1500],
  ['1,000 articles: p50 query < 1 ms', small.median < 1],
  ['1,000 articles: p99 query < 5 ms', small.p99 < 5],
  ['10,000 articles: p99 query < 50 ms', large.p99 < 50],
];
for (const [name, ok] of targets) console.log(`${ok ? 'meets' : 'MISSES'} target: ${name}`);
