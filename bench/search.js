// Search benchmark, in two parts.
//
// 1. Quality: the queries in test/search/queries.yml (written as patients type them, each with
//    the sections that answer it) against the real content. Prints hit@1, hit@3 and MRR for the
//    search the site runs, side by side with a plain baseline measured in the same run: the same
//    index without stemming and synonyms. Also each half on its own, the misses and the slowest
//    queries.
// 2. Speed: a generated corpus of 1,000 and of 10,000 articles with 16 sections each. Index
//    build time and heap, then p50 and p99 per kind of query (a common word, a rare word, three
//    words, a misspelling, a prefix, a code, a question), with answers not remembered; then the
//    common word asked again (remembered), and one article changed and the index updated from
//    the previous one. A plain linear scan over the same sections and the plain index (no
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
  const results = variants.map(([name, options]) => ({ name, ...score(buildSearchIndex(docs, { ...options, cacheSize: 0 }), set) }));

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

  const index = buildSearchIndex(docs, { synonyms, cacheSize: 0 });
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

/** Sections per article: 8 h2s, each with an h3, as in bench/scale/corpus.js. */
const SECTIONS = 16;
/** Queries timed per kind. */
const PER_KIND = 150;
/** A word in one section of one article only. */
const RARE_WORD = 'quokka';

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
  const distinct = [...counts.keys()].filter((w) => w.length > 3);
  // The most used word of five letters or more, as bench/scale/corpus.js picks its common word.
  const common = [...counts.entries()].filter(([w]) => w.length >= 5).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  return { bag, distinct, common };
}

/**
 * Articles are about something: each draws most of its words from a topic of 40 words taken
 * from the content's vocabulary, and the rest from the vocabulary as a whole, the way a real
 * article about passwords says "password" often and "passport" rarely.
 */
function corpus(articles, rand, words) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const docs = [];
  let code = 10000;
  for (let a = 0; a < articles; a += 1) {
    const topic = Array.from({ length: 40 }, () => pick(words.bag));
    const some = (n) => Array.from({ length: n }, () => (rand() < 0.6 ? pick(topic) : pick(words.bag))).join(' ');
    const title = some(3);
    for (let s = 0; s < SECTIONS; s += 1) {
      const heading = s % 6 === 0 ? `${some(3)} – Reference CID${code++}` : some(4);
      let body = Array.from({ length: 6 }, () => `${some(10 + Math.floor(rand() * 8))}.`).join(' ');
      if (a === 1 && s === 2) body += ` Ask about the ${RARE_WORD} form.`;
      docs.push({ id: `/a${a}#s${s}`, url: `/a${a}`, headingId: `s${s}`, heading, title, hub: 'Hub', body, codes: findCodes(heading) });
    }
  }
  return docs;
}

/** Queries of each kind patients type: one common word, a rare word, several words, a misspelling, a prefix, a code, a question. */
function queries(rand, words, maxCode) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const long = words.distinct.filter((w) => w.length > 5);
  const kinds = {
    common: () => words.common,
    rare: () => RARE_WORD,
    'three words': () => `${pick(words.distinct)} ${pick(words.distinct)} ${pick(words.distinct)}`,
    misspelt: () => {
      const word = pick(long);
      const at = 1 + Math.floor(rand() * (word.length - 2));
      return word.slice(0, at) + word.slice(at + 1);
    },
    prefix: () => pick(words.distinct).slice(0, 4),
    code: () => {
      const code = 10000 + Math.floor(rand() * (maxCode - 10000));
      return pick([`CID${code}`, `cid ${code}`, `my code is ${code}`, `CID${code} ${pick(words.distinct)}`]);
    },
    question: () => `how do i ${pick(words.distinct)} my ${pick(words.distinct)} ${pick(words.distinct)}`,
  };
  return Object.entries(kinds).map(([kind, make]) => ({ kind, list: Array.from({ length: PER_KIND }, make) }));
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
  for (const q of list.slice(0, 20)) index.answer(q); // warm up
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

/** One article's sections with new text, and the time to update the index for them. */
function measureUpdate(docs, synonyms, previous) {
  const changed = docs.map((d) => (d.url === '/a7' ? { ...d, body: `${d.body} Updated.` } : d));
  const start = performance.now();
  const index = buildSearchIndex(changed, { synonyms, previous, cacheSize: 0 });
  return { index, ms: performance.now() - start, docs: changed };
}

const ms = (n) => `${f(n, n < 10 ? 3 : 1)} ms`;

function speed(articles, synonyms, words) {
  const rand = random(20261125);
  const docs = corpus(articles, rand, words);
  const kinds = queries(rand, words, 10000 + Math.floor(docs.length / 6));
  const scan = measureBuild(() => buildScan(docs));
  const plain = measureBuild(() => buildSearchIndex(docs, { stemming: false, synonyms: [], cacheSize: 0 }));
  const site = measureBuild(() => buildSearchIndex(docs, { synonyms, cacheSize: 0 }));
  console.log('');
  console.log(`Speed: ${articles} articles, ${docs.length} sections; ${PER_KIND} queries of each kind, answers not remembered`);
  console.log('                      index build   heap (MB)');
  for (const [name, b] of [
    ['baseline (scan)', scan],
    ['plain index', plain],
    ['site search', site],
  ])
    console.log(`${name.padEnd(20)}  ${f(b.ms, 0).padStart(9)} ms   ${f(b.mb, 1).padStart(8)}`);
  console.log('');
  console.log('query (p50 / p99)     scan                   plain index            site search            site/plain p50, p99');
  const all = { scan: [], plain: [], site: [] };
  for (const { kind, list } of kinds) {
    const times = { scan: timeQueries(scan.index, list), plain: timeQueries(plain.index, list), site: timeQueries(site.index, list) };
    for (const name of Object.keys(all)) all[name].push(times[name]);
    const cell = (t) => `${ms(t.median)} / ${ms(t.p99)}`.padEnd(23);
    console.log(
      `${kind.padEnd(20)}  ${cell(times.scan)}${cell(times.plain)}${cell(times.site)}${f(times.site.median / times.plain.median, 2)}x, ${f(times.site.p99 / times.plain.p99, 2)}x`,
    );
  }
  const worst = (name) => Math.max(...all[name].map((t) => t.p99));
  console.log(`slowest kind's p99: scan ${ms(worst('scan'))}, plain ${ms(worst('plain'))}, site ${ms(worst('site'))}`);

  const cached = buildSearchIndex(docs, { synonyms });
  const repeated = timeQueries(
    cached,
    Array.from({ length: 200 }, () => words.common),
  );
  console.log(`site search, the common word asked again (answer remembered): p50 ${ms(repeated.median)}, p99 ${ms(repeated.p99)}`);

  const update = measureUpdate(docs, synonyms, site.index);
  const full = buildSearchIndex(update.docs, { synonyms, cacheSize: 0 });
  const same = kinds.every(({ list }) =>
    list.slice(0, 20).every((q) => JSON.stringify(update.index.answer(q)) === JSON.stringify(full.answer(q))),
  );
  console.log(
    `one article changed, index updated from the previous one: ${ms(update.ms)} (${same ? 'same answers as a full build' : 'ANSWERS DIFFER from a full build'})`,
  );
  return { build: site.ms, update: update.ms, p50: Math.max(...all.site.map((t) => t.median)), p99: worst('site'), same };
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
  ['1,000 articles: index build <= 300 ms', small.build <= 300],
  ['1,000 articles: one article updated <= 30 ms', small.update <= 30],
  ['1,000 articles: p50 query of every kind < 1 ms', small.p50 < 1],
  ['1,000 articles: p99 query < 5 ms', small.p99 < 5],
  ['10,000 articles: p99 query < 50 ms', large.p99 < 50],
  ['an updated index answers as a full build does', small.same && large.same],
];
for (const [name, ok] of targets) console.log(`${ok ? 'meets' : 'MISSES'} target: ${name}`);
