// A deterministic content folder of any size, in the shape of our articles: about 1,600 words
// each, 8 h2 sections with an h3 under each, and 3 reference codes per article (in the first,
// fourth and seventh section headings). 50 articles per hub; the home hub lists every hub.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const ARTICLES_PER_HUB = 50;
const SECTIONS = 8;
/** A word that appears in one section of one article only: the "rare" search. */
const RARE_WORD = 'quokka';

/** A small deterministic random number generator, so every run builds the same corpus. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Every word of our own articles, as often as it appears there, so the corpus has their vocabulary. */
function contentWords() {
  const bag = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md')) {
        const body = fs.readFileSync(full, 'utf8').replace(/^---[\s\S]*?---/, '');
        for (const word of body.toLowerCase().match(/[a-z]+/g) ?? []) if (word !== RARE_WORD) bag.push(word);
      }
    }
  };
  walk(path.join(ROOT, 'content'));
  return bag;
}

/** The most frequent word of five letters or more (no stop word is that long): the "common" search. */
function commonWord(bag) {
  const counts = new Map();
  for (const word of bag) if (word.length >= 5) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}

/**
 * `count` searches, the same in every run: the words of our own articles (four letters or more,
 * most used first), alone and in pairs. Some come round twice (1,000 give 614 different ones),
 * but each only after at least 386 others: more than the pages and answers the server
 * remembers (its last 128 and 256), so each is searched and rendered afresh, as patients' own
 * searches mostly are.
 */
function searchQueries(count = 1000) {
  const counts = new Map();
  for (const word of contentWords()) if (word.length >= 4) counts.set(word, (counts.get(word) ?? 0) + 1);
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([word]) => word);
  return Array.from({ length: count }, (_, i) => {
    const word = words[i % words.length];
    return i % 2 === 0 ? word : `${word} ${words[(i * 7 + 3) % words.length]}`;
  });
}

const capitalise = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Writes `articles` articles into `dir` (which must not exist) and returns what the benchmark
 * asks for: one article, one hub, one code and its target, and the two search words.
 */
function writeCorpus(dir, articles) {
  const rand = random(20261125);
  const bag = contentWords();
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const hubCount = Math.max(1, Math.ceil(articles / ARTICLES_PER_HUB));
  fs.mkdirSync(path.join(dir, '_data'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'content', '_data', 'services.yml'), path.join(dir, '_data', 'services.yml'));
  fs.writeFileSync(
    path.join(dir, 'index.md'),
    '---\ntype: hub\nname: home\ntitle: NHS login help centre\nsubtitle: Answers to common questions about NHS login.\n---\n',
  );
  for (let h = 0; h < hubCount; h += 1) {
    const words = Array.from({ length: 3 }, () => pick(bag)).join(' ');
    fs.mkdirSync(path.join(dir, `hub-${h}`));
    fs.writeFileSync(
      path.join(dir, `hub-${h}`, 'index.md'),
      `---\ntype: hub\nname: hub-${h}\ntitle: ${capitalise(words)} ${h}\nsubtitle: Help with ${words}.\nhub: home\nposition: ${h + 1}\n---\n`,
    );
  }
  let code = 10000;
  let firstCode;
  for (let a = 0; a < articles; a += 1) {
    const topic = Array.from({ length: 40 }, () => pick(bag));
    const words = (n) => Array.from({ length: n }, () => (rand() < 0.6 ? pick(topic) : pick(bag))).join(' ');
    const sentence = () => `${capitalise(words(10 + Math.floor(rand() * 8)))}.`;
    const paragraph = () => Array.from({ length: 4 }, sentence).join(' ');
    const lines = [
      '---',
      'type: article',
      `title: ${capitalise(words(3))} ${a}`,
      `subtitle: ${capitalise(words(8))}.`,
      `hub: hub-${Math.floor(a / ARTICLES_PER_HUB)}`,
      `position: ${(a % ARTICLES_PER_HUB) + 1}`,
      '---',
      '',
    ];
    for (let s = 0; s < SECTIONS; s += 1) {
      const owns = s % 3 === 0;
      if (owns && firstCode === undefined) firstCode = `CID${code}`;
      lines.push(owns ? `## ${capitalise(words(3))} – Reference CID${code++}` : `## ${capitalise(words(4))}`, '');
      lines.push(a === 1 && s === 2 ? `${paragraph()} Ask about the ${RARE_WORD} form.` : paragraph(), '');
      lines.push(`- ${words(6)}`, `- ${words(6)}`, `- ${words(6)}`, '');
      lines.push(`### ${capitalise(words(4))}`, '', paragraph(), '', paragraph(), '');
      lines.push(`[${words(3)}](/hub-0) ${sentence()}`, '');
    }
    fs.writeFileSync(path.join(dir, `hub-${Math.floor(a / ARTICLES_PER_HUB)}`, `article-${a}.md`), lines.join('\n'));
  }
  return {
    article: '/hub-0/article-1',
    articleFile: path.join(dir, 'hub-0', 'article-1.md'),
    hub: '/hub-0',
    code: firstCode,
    common: commonWord(bag),
    rare: RARE_WORD,
  };
}

/**
 * A copy of the project's own content, with what the benchmark asks for: the seed article, its
 * hub, the first code it explains, "login" as the common search and, as the rare one, the first
 * word (alphabetically, 6 letters or more) that only one file uses.
 */
function copyContent(dir) {
  fs.cpSync(path.join(ROOT, 'content'), dir, { recursive: true });
  const seedFile = path.join(dir, 'manage', 'mobile-phone.md');
  const code = /^##.*\b(CID\d{4,5})\b/m.exec(fs.readFileSync(seedFile, 'utf8'))[1];
  const filesByWord = new Map();
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('_')) walk(full);
      else if (entry.name.endsWith('.md')) {
        const body = fs.readFileSync(full, 'utf8').replace(/^---[\s\S]*?---/, '');
        for (const word of new Set(body.toLowerCase().match(/[a-z]{6,}/g) ?? [])) filesByWord.set(word, (filesByWord.get(word) ?? 0) + 1);
      }
    }
  };
  walk(dir);
  const rare = [...filesByWord]
    .filter(([, files]) => files === 1)
    .map(([word]) => word)
    .sort()[0];
  return { article: '/manage/mobile-phone', articleFile: seedFile, hub: '/manage', code, common: 'login', rare };
}

module.exports = { writeCorpus, copyContent, searchQueries };
