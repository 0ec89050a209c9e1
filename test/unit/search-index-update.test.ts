import { loadConfig } from '../../src/config';
import { loadSite } from '../../src/render/rendered-site';
import { createViews } from '../../src/render/views';
import type { SectionDocument } from '../../src/search/search-index';
import { buildSearchIndex, sectionDocuments } from '../../src/search/search-index';
import { CHAMPIONS, InvertedIndex, MAX_EXPANSIONS } from '../../src/search/inverted-index';
import MiniSearch from 'minisearch';
import { createTermProcessor, tokenize } from '../../src/search/terms';
import { loadSynonyms } from '../../src/search/synonyms';
import { fixtureContent } from '../helpers/app';

const config = loadConfig({});
const documents = sectionDocuments(loadSite(fixtureContent, config.viewsDir, createViews(config.viewsDir)));
const synonyms = loadSynonyms(fixtureContent);

/** Every word of the documents, misspelt and cut short too, and a few questions: what to compare answers on. */
function queriesFor(docs: SectionDocument[]): string[] {
  const words = [...new Set(docs.flatMap((d) => `${d.heading} ${d.body}`.toLowerCase().match(/[a-z]{3,}/g) ?? []))];
  return [
    ...words,
    ...words.map((w) => w.slice(0, 4)),
    ...words.filter((w) => w.length > 5).map((w) => w.slice(0, 2) + w.slice(3)),
    'how do i reset my password',
    'phone number changed',
    'CID3006 password',
    'qzxv',
  ];
}

/** A copy of a document with some of its text changed: every field copied, as sectionDocuments' documents read through to their page and section. */
const edited = (doc: SectionDocument, changes: Partial<SectionDocument>): SectionDocument => ({
  id: doc.id,
  url: doc.url,
  headingId: doc.headingId,
  heading: doc.heading,
  title: doc.title,
  hub: doc.hub,
  body: doc.body,
  codes: doc.codes,
  ...changes,
});

const section = (id: string, heading: string, body: string): SectionDocument => ({
  id: `/changed#${id}`,
  url: '/changed',
  headingId: id,
  heading,
  title: 'Changed page',
  hub: 'Hub',
  body,
  codes: [],
});

describe('updating the search index from the previous one', () => {
  it('answers every query as a full build of the same sections does', () => {
    let previous = buildSearchIndex(documents, { synonyms, cacheSize: 0 });
    // Edit a section, remove one, add two, then edit the new one again: four updates in a row.
    const steps: SectionDocument[][] = [];
    let docs = documents.map((d, i) => (i === 1 ? edited(d, { body: `${d.body} Your security code may take a minute.` }) : d));
    steps.push(docs);
    docs = docs.filter((_, i) => i !== 2);
    steps.push(docs);
    docs = [
      ...docs,
      section('new', 'Passwords and passkeys', 'Use a passkey instead of a password.'),
      section('other', 'Mobile', 'Text messages.'),
    ];
    steps.push(docs);
    docs = docs.map((d) => (d.id === '/changed#new' ? edited(d, { heading: 'Passkeys' }) : d));
    steps.push(docs);
    for (const step of steps) {
      const updated = buildSearchIndex(step, { synonyms, previous, cacheSize: 0 });
      const full = buildSearchIndex(step, { synonyms, cacheSize: 0 });
      expect(updated.size).toBe(full.size);
      for (const q of queriesFor(step)) expect([q, updated.answer(q)]).toEqual([q, full.answer(q)]);
      previous = updated;
    }
  });

  it('finds a changed section by its new words only', () => {
    const before = buildSearchIndex(documents, { cacheSize: 0 });
    const changed = documents.map((d, i) => (i === 0 ? edited(d, { body: 'Only a wombat.' }) : d));
    const after = buildSearchIndex(changed, { previous: before, cacheSize: 0 });
    expect(after.search('wombat').hits.map((h) => h.href)).toEqual([documents[0]!.id]);
    const elsewhere = `${documents[0]!.heading} ${documents[0]!.title}`.toLowerCase();
    const oldWord = documents[0]!.body.match(/[A-Za-z]{6,}/g)!.find((w) => !elsewhere.includes(w.toLowerCase()))!;
    expect(after.search(oldWord).hits.map((h) => h.href)).not.toContain(documents[0]!.id);
  });
});

describe('remembered answers', () => {
  it('keeps at most cacheSize answers, the most recently asked', () => {
    const index = buildSearchIndex(documents, { cacheSize: 2 });
    const first = index.answer('password');
    expect(index.answer('password')).toBe(first);
    index.answer('phone');
    expect(index.answer('password')).toBe(first); // asked again: now the most recent
    index.answer('email');
    index.answer('code');
    const again = index.answer('password');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('remembers nothing with cacheSize 0, and each page on its own', () => {
    const index = buildSearchIndex(documents, { cacheSize: 0 });
    expect(index.answer('password')).not.toBe(index.answer('password'));
    const remembering = buildSearchIndex(documents);
    expect(remembering.answer('password', 2)).not.toBe(remembering.answer('password', 1));
  });
});

describe('the cost caps', () => {
  const processTerm = createTermProcessor({ stemming: true });
  const fields = (i: number): [string, string, string] => [
    `Heading ${i % 7 === 0 ? 'common' : 'other'}`,
    'Title',
    `${'common '.repeat(1 + (i % 13))}filler ${'word '.repeat(i % 17)}`,
  ];
  const count = CHAMPIONS * 9;
  const index = new InvertedIndex<number>(processTerm);
  index.setOrder(index.add(Array.from({ length: count }, (_, i) => ({ doc: i, fields: fields(i) }))));
  const common = [[{ weight: 1, terms: [{ term: 'common', prefix: false, fuzzy: 0 }] }]];

  it("ranks a common word's first pages from its best postings exactly as from all of them, and counts every match", () => {
    const capped = index.search(common, 'AND', 30);
    const full = index.search(common, 'AND');
    expect(capped.total).toBe(count);
    expect(full.total).toBe(count);
    expect(capped.page(0, 30)).toEqual(full.page(0, 30));
  });

  it('ranks deep pages from every posting', () => {
    const deep = index.search(common, 'AND', 5000);
    expect(deep.page(4990, 10)).toEqual(index.search(common, 'AND').page(4990, 10));
  });

  it(`expands a word being typed to at most ${MAX_EXPANSIONS} terms, the most used`, () => {
    // Word i is in i + 1 sections: the first ten words are the least used.
    const word = (i: number): string => `pre${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
    const words = Array.from({ length: MAX_EXPANSIONS + 10 }, (_, i) => word(i));
    const index = new InvertedIndex<number>(createTermProcessor({ stemming: false }));
    const items = words.map((_, j) => ({ doc: j, fields: ['', '', words.filter((_, i) => i >= j).join(' ')] as const }));
    index.setOrder(index.add(items));
    const found = index.search([[{ weight: 1, terms: [{ term: 'pre', prefix: true, fuzzy: 0 }] }]], 'AND');
    const matched = new Set(found.page(0, found.total).flatMap((m) => m.terms));
    expect([...matched].sort()).toEqual(words.slice(10).sort());
  });
});

describe('tokenize', () => {
  const minisearchTokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];
  it.each([
    'Reset your password, then log in.',
    "doesn't work – can’t “sign in”",
    'héllo wörld 日本語 tab\there £5 + 3 = 8',
    'emoji 👍🏽 ok😀x, non\u00a0breaking, zero\u200bwidth',
    'a_b-c.d/e:f;g?h!i(j)k[l]m{n}o@p#q%r&s*t',
    '  leading and trailing  \n\r\n',
  ])('splits %j where minisearch does, without empty words', (text) => {
    expect(tokenize(text)).toEqual(minisearchTokenize(text).filter((word) => word !== ''));
  });
});
