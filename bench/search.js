// Search benchmark: builds the index over a generated corpus of 1,000 articles with about
// 8 sections each, then times 1,000 mixed queries. A plain linear scan over the same
// sections, measured in the same run, is the baseline; ratios compare the two.
// Run with: npm run bench:search
'use strict';

const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { buildSearchIndex } = require(path.join(__dirname, '..', 'dist', 'search', 'search-index'));

const ARTICLES = 1000;
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

const rand = random(20261125);
const pick = (list) => list[Math.floor(rand() * list.length)];

/**
 * Words drawn with the frequencies they have in our own articles, so the generated corpus has
 * the vocabulary and the mix of common and rare words of real help content.
 */
function contentWords() {
  const fs = require('node:fs');
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
  walk(path.join(__dirname, '..', 'content'));
  const bag = [];
  for (const [word, count] of counts) for (let i = 0; i < count; i += 1) bag.push(word);
  return { bag, distinct: [...counts.keys()].filter((w) => w.length > 3) };
}

const { bag: WORD_BAG, distinct: WORDS } = contentWords();

/**
 * Articles are about something: each draws most of its words from a topic of 40 words taken
 * from the content's vocabulary, and the rest from the vocabulary as a whole, the way a real
 * article about passwords says "password" often and "passport" rarely.
 */
function corpus() {
  const docs = [];
  let code = 1000;
  for (let a = 0; a < ARTICLES; a += 1) {
    const topic = Array.from({ length: 40 }, () => pick(WORD_BAG));
    const words = (n) => Array.from({ length: n }, () => (rand() < 0.6 ? pick(topic) : pick(WORD_BAG))).join(' ');
    const title = words(3);
    for (let s = 0; s < SECTIONS; s += 1) {
      const heading = s % 3 === 0 ? `${words(3)} – Reference CID${code++}` : words(4);
      const body = Array.from({ length: 6 }, () => `${words(10 + Math.floor(rand() * 8))}.`).join(' ');
      docs.push({ id: `/a${a}#s${s}`, url: `/a${a}`, headingId: `s${s}`, heading, title, hub: 'Hub', body });
    }
  }
  return docs;
}

function queries() {
  const list = [];
  for (let i = 0; i < QUERIES; i += 1) {
    const kind = i % 5;
    if (kind === 0) list.push(pick(WORDS));
    else if (kind === 1) list.push(`${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`);
    else if (kind === 2) list.push(pick(WORDS).slice(0, 4));
    else if (kind === 3) {
      const word = pick(WORDS.filter((w) => w.length > 5));
      const at = 1 + Math.floor(rand() * (word.length - 2));
      list.push(word.slice(0, at) + word.slice(at + 1));
    } else list.push(`CID${1000 + Math.floor(rand() * 2600)}`);
  }
  return list;
}

/** The baseline: lower-case substring scan of every section, ranked by heading hits. */
function buildBaseline(docs) {
  const rows = docs.map((d) => ({ d, heading: d.heading.toLowerCase(), text: `${d.title} ${d.body}`.toLowerCase() }));
  return {
    search(query) {
      const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
      const hits = [];
      for (const row of rows) {
        let score = 0;
        for (const term of terms) {
          if (row.heading.includes(term)) score += 3;
          if (row.text.includes(term)) score += 1;
        }
        if (score > 0) hits.push({ row, score });
      }
      hits.sort((x, y) => y.score - x.score);
      return hits.slice(0, 10);
    },
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function timeQueries(index, list) {
  for (const q of list.slice(0, 50)) index.search(q); // warm up
  const times = list.map((q) => {
    const start = performance.now();
    index.search(q);
    return performance.now() - start;
  });
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99) };
}

function measureBuild(build, docs) {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  const index = build(docs);
  const ms = performance.now() - start;
  global.gc?.();
  const bytes = process.memoryUsage().heapUsed - before;
  return { index, ms, mb: bytes / 1024 / 1024 };
}

const docs = corpus();
const list = queries();
const baseline = measureBuild(buildBaseline, docs);
const minisearch = measureBuild(buildSearchIndex, docs);
const baseTimes = timeQueries(baseline.index, list);
const miniTimes = timeQueries(minisearch.index, list);

const f = (n) => n.toFixed(3);
console.log(
  `Corpus: ${ARTICLES} articles, ${docs.length} sections; ${QUERIES} mixed queries (words, phrases, prefixes, misspellings, codes)`,
);
console.log(`Node ${process.version}${global.gc ? ', --expose-gc' : ' (run with --expose-gc for exact memory)'}`);
console.log('');
console.log('                      index build   heap (MB)   median query (ms)   p99 query (ms)');
console.log(
  `baseline (scan)       ${f(baseline.ms).padStart(9)} ms   ${baseline.mb.toFixed(1).padStart(8)}   ${f(baseTimes.median).padStart(17)}   ${f(baseTimes.p99).padStart(14)}`,
);
console.log(
  `minisearch index      ${f(minisearch.ms).padStart(9)} ms   ${minisearch.mb.toFixed(1).padStart(8)}   ${f(miniTimes.median).padStart(17)}   ${f(miniTimes.p99).padStart(14)}`,
);
console.log('');
console.log(
  `ratio minisearch/baseline: median query ${(miniTimes.median / baseTimes.median).toFixed(2)}x, p99 ${(miniTimes.p99 / baseTimes.p99).toFixed(2)}x`,
);
const targets = [
  ['index build < 1500 ms', minisearch.ms < 1500],
  ['median query < 1 ms', miniTimes.median < 1],
  ['p99 query < 5 ms', miniTimes.p99 < 5],
];
for (const [name, ok] of targets) console.log(`${ok ? 'meets' : 'MISSES'} target: ${name}`);
