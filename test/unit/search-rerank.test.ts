import path from 'node:path';
import { loadConfig } from '../../src/config';
import { loadSite } from '../../src/render/rendered-site';
import { createViews } from '../../src/render/views';
import { buildSearchIndex, sectionDocuments } from '../../src/search/search-index';
import { loadSynonyms } from '../../src/search/synonyms';
import { distinctiveness, headingFactor, headingQuery, headingWords, rerank } from '../../src/search/rerank';
import type { RankedMatches } from '../../src/search/inverted-index';
import { createTermProcessor, termsOf } from '../../src/search/terms';

const fixture = path.join(__dirname, '..', 'fixtures', 'search-ranking');
const config = loadConfig({});
const site = loadSite(fixture, config.viewsDir, createViews(config.viewsDir));
const docs = sectionDocuments(site);
const synonyms = loadSynonyms(fixture);
const index = buildSearchIndex(docs, { synonyms });
const unranked = buildSearchIndex(docs, { synonyms, headings: false });
const ids = (query: string, on = index): string[] => on.search(query).hits.map((hit) => hit.href.split('#')[1]!);

const processTerm = createTermProcessor({ stemming: true });
const heading = (text: string): [string[], string[]] => [termsOf(text, processTerm), headingWords(text)];
const plainGroups = (query: string) =>
  termsOf(query, processTerm).map((term, i, all) => ({ typed: term, alternatives: [], last: i === all.length - 1 }));

describe('second look at the headings of the best matches', () => {
  it('ranks the "How to …" heading first for "how do I …", where text scores alone do not', () => {
    expect(ids('how do i delete my login', unranked)[0]).toBe('what-happens-when-you-delete-your-login');
    expect(ids('how do i delete my login')[0]).toBe('how-to-delete-your-login-from-the-settings-page');
  });

  it('ranks "What … is" first for "what is …"', () => {
    expect(ids('what is a login')[0]).toBe('what-a-login-is');
  });

  it('does not count stop words in a heading\'s length: "reset password" finds the how-to before a code section', () => {
    expect(ids('reset password')[0]).toBe('how-to-reset-your-password-if-you-have-forgotten-it');
  });

  it('ranks a section with no text of its own below the section under it', () => {
    expect(ids('photo')).toEqual(['your-photo-did-not-upload', 'problems-with-your-photo']);
  });

  it('keeps the count and the matches, and pages beyond the reranked ones in their order', () => {
    expect(index.search('login').total).toBe(unranked.search('login').total);
    const every = (on: typeof index): Set<string> =>
      new Set([1, 2].flatMap((page) => on.search('login', page).hits.map((hit) => hit.href)));
    expect(every(index)).toEqual(every(unranked));
  });
});

describe('headingFactor', () => {
  const weights: Record<string, number> = { login: 0.1, passkey: 2, number: 1.5, problem: 1 };
  const weightOf = (term: string): number => weights[term] ?? 1;

  it('weighs a heading by the distinctive words it covers, so a common word adds almost nothing', () => {
    const query = headingQuery('login passkey', plainGroups('login passkey'), processTerm, weightOf);
    const passkey = headingFactor(query, ...heading('Logging in with a passkey'));
    const login = headingFactor(query, ...heading('Your login settings'));
    expect(passkey).toBeGreaterThan(login);
    expect(login).toBeLessThan(1.05);
  });

  it('adds for consecutive query words in the same order in the heading', () => {
    const query = headingQuery('problem number', plainGroups('problem number'), processTerm, weightOf);
    const together = headingFactor(query, ...heading('A problem with your number'));
    const apart = headingFactor(query, ...heading('Your number has a problem'));
    expect(together).toBeGreaterThan(apart);
    expect(apart).toBeCloseTo(1.5);
  });

  it('adds when the heading starts as the answer to the question form does', () => {
    const query = headingQuery('what do I need to start', plainGroups('start'), processTerm, weightOf);
    expect(query.opener).toEqual(['what', 'you', 'need']);
    expect(headingFactor(query, ...heading('What you need before you start'))).toBeGreaterThan(
      headingFactor(query, ...heading('What happens when you start')),
    );
    expect(headingQuery('how can i start', plainGroups('start'), processTerm, weightOf).opener).toEqual(['how']);
    expect(headingQuery('start', plainGroups('start'), processTerm, weightOf).opener).toBeUndefined();
  });

  it('matches the word being typed as the start of a heading word', () => {
    const query = headingQuery('passk', plainGroups('passk'), processTerm, () => 1);
    expect(headingFactor(query, ...heading('Logging in with a passkey'))).toBeCloseTo(1.5);
  });

  it('reads a term in every document as not distinctive at all', () => {
    expect(distinctiveness(100, 100)).toBeLessThan(0.01);
    expect(distinctiveness(1, 100)).toBeGreaterThan(4);
    expect(distinctiveness(0, 100)).toBe(0);
  });
});

describe('rerank', () => {
  const found: RankedMatches<string> = {
    total: 40,
    has: () => true,
    page: (from, count) => Array.from({ length: 40 }, (_, i) => ({ doc: `d${i}`, terms: [], score: 40 - i })).slice(from, from + count),
  };

  it('orders the first 30 by score × factor and leaves the rest in their order', () => {
    const ranked = rerank(found, (doc) => (doc === 'd5' ? 10 : 1));
    expect(ranked.page(0, 2).map((h) => h.doc)).toEqual(['d5', 'd0']);
    expect(ranked.page(30, 3).map((h) => h.doc)).toEqual(['d30', 'd31', 'd32']);
    expect(ranked.page(28, 4).map((h) => h.doc)).toEqual(['d28', 'd29', 'd30', 'd31']);
    expect(ranked.total).toBe(40);
  });
});
