import path from 'node:path';
import { loadConfig } from '../../src/config';
import { ContentError } from '../../src/content/errors';
import { loadSite } from '../../src/render/rendered-site';
import { createViews } from '../../src/render/views';
import { buildSearchIndex, sectionDocuments } from '../../src/search/search-index';
import { loadSynonyms, parseSynonyms } from '../../src/search/synonyms';
import { compileSynonyms, groupQuery } from '../../src/search/query';
import { buildVocabulary, correctSpelling, editDistance } from '../../src/search/suggest';
import { createTermProcessor } from '../../src/search/terms';

const fixture = path.join(__dirname, '..', 'fixtures', 'search');
const config = loadConfig({});
const site = loadSite(fixture, config.viewsDir, createViews(config.viewsDir));
const docs = sectionDocuments(site);
const index = buildSearchIndex(docs, { synonyms: loadSynonyms(fixture) });
const plain = buildSearchIndex(docs, { stemming: false, synonyms: [] });
const first = (query: string, on = index): string | undefined => on.search(query).hits[0]?.href;

const stem = createTermProcessor({ stemming: true });

describe('stemming', () => {
  it.each([
    ['registering', 'register'],
    ['deleted', 'delete'],
    ['deleting', 'delete'],
    ['used', 'uses'],
    ['links', 'link'],
    ['surgeries', 'surgery'],
  ])('reads %s and %s as one term', (a, b) => {
    expect(stem(a)).toBe(stem(b));
  });

  it('reads the halves of "doesn\'t" and "cannot" as "not"', () => {
    expect([stem('doesn'), stem('cannot'), stem('dont')]).toEqual(['not', 'not', 'not']);
  });

  it('keeps words with digits whole and drops stop words', () => {
    expect(stem('CID3006')).toBe('cid3006');
    expect(stem('how')).toBeNull();
  });

  it('finds a section by another form of its words, which the plain index misses', () => {
    expect(first('confirming')).toBe('/help/account#how-to-create-your-account');
    expect(plain.search('confirming').total).toBe(0);
  });

  it('keeps prefix matching for the last word and fuzzy matching for misspellings', () => {
    expect(first('expi')).toBe('/help/links#expired-link-reference-cid2021');
    expect(first('expird link')).toBe('/help/links#expired-link-reference-cid2021');
  });

  it('marks a word in the excerpt when its stem matched', () => {
    const hit = index.search('deleted').hits.find((h) => h.href === '/help/account#how-to-delete-your-account')!;
    expect(hit.excerpt.filter((p) => p.mark).map((p) => p.text)).toEqual(['delete', 'Deleting']);
  });
});

describe('synonyms', () => {
  it('finds a section by a word from the same group', () => {
    expect(first('close account')).toBe('/help/account#how-to-delete-your-account');
    expect(first('found surgery')).toBe('/help/links#we-could-not-find-your-surgery-reference-cid7006');
  });

  it('matches multi-word phrases, longest first', () => {
    expect(first('how do i sign up')).toBe('/help/account#how-to-create-your-account');
    expect(first('library computer')).toBe('/help/account#using-a-shared-or-public-device');
    expect(first('service down')).toBe('/help/links#signs-the-service-is-not-working');
  });

  it('groups a query by the phrases it contains', () => {
    const processTerm = createTermProcessor({ stemming: true });
    const table = compileSynonyms(
      [
        ['sign up', 'register'],
        ['sign in', 'log in'],
      ],
      processTerm,
    );
    expect(groupQuery('how do I sign up today', table, processTerm)).toEqual([
      { typed: 'sign up', alternatives: ['register'], last: false },
      { typed: 'today', alternatives: [], last: true },
    ]);
  });

  it('reads content/_data/synonyms.yml as groups', () => {
    expect(loadSynonyms(fixture)).toContainEqual(['sign up', 'register', 'create an account']);
  });

  it('is empty when the file does not exist', () => {
    expect(loadSynonyms(path.join(__dirname, '..', 'fixtures', 'content'))).toEqual([]);
  });

  it.each([
    ['- [sign up, register]\n- [close, delete]\n', []],
    ['- - sign up\n  - register\n', []],
  ])('accepts %j', (text, problems) => {
    expect(parseSynonyms(text, 'synonyms.yml').problems).toEqual(problems);
  });

  it('names the file, line and every problem in a bad file', () => {
    const text = [
      '- [sign up, register]',
      '- close',
      '- [the, delete]',
      '- [registering, enrol]',
      '- [CID3006, code]',
      '- [alone]',
      '- [ok, 42]',
    ].join('\n');
    const { synonyms, problems } = parseSynonyms(text, 'content/_data/synonyms.yml');
    expect(synonyms).toEqual([]);
    expect(problems).toEqual([
      { file: 'content/_data/synonyms.yml', line: 2, message: expect.stringContaining('group 2 must be a list') as string },
      { file: 'content/_data/synonyms.yml', line: 3, message: expect.stringContaining('"the" has no word that search uses') as string },
      {
        file: 'content/_data/synonyms.yml',
        line: 4,
        message:
          '"registering" is already in the group on line 1 (search reads it as the same words as "register"); a phrase can be in only one group',
      },
      { file: 'content/_data/synonyms.yml', line: 5, message: expect.stringContaining('"CID3006" looks like a reference code') as string },
      { file: 'content/_data/synonyms.yml', line: 6, message: expect.stringContaining('group 6 needs at least two') as string },
      { file: 'content/_data/synonyms.yml', line: 7, message: expect.stringContaining('got 42') as string },
    ]);
  });

  it('reports a YAML syntax error with its line', () => {
    expect(parseSynonyms('- [sign up, register\n- [a, b]', 'synonyms.yml').problems[0]).toMatchObject({
      file: 'synonyms.yml',
      message: expect.stringContaining('YAML syntax error') as string,
    });
  });

  it('fails loading with a ContentError that names the file', () => {
    expect(() => loadSynonyms(path.join(__dirname, '..', 'fixtures', 'search-broken'))).toThrow(ContentError);
    expect(() => loadSynonyms(path.join(__dirname, '..', 'fixtures', 'search-broken'))).toThrow(/search-broken\/_data\/synonyms\.yml:1: /);
  });
});

describe('codes in the index', () => {
  it.each([['CID2021'], ['cid 2021'], ['cid-2021'], ['CID2021.'], ['reference CID2021'], ['my code is 2021']])(
    'sends %j to its section',
    (query) => {
      expect(index.answer(query)).toEqual({ kind: 'code', code: 'CID2021', href: '/help/links#expired-link-reference-cid2021' });
    },
  );

  it('never confuses a 5-digit code with the 4-digit code it starts with', () => {
    expect(index.answer('CID20210')).toMatchObject({ href: '/help/links#used-link-reference-cid20210' });
    expect(index.answer('cid 2021')).toMatchObject({ href: '/help/links#expired-link-reference-cid2021' });
  });

  it('shows the sections of several codes first, in the order typed', () => {
    const results = index.search('CID20210 and CID2021');
    expect(results.hits.map((h) => h.href).slice(0, 2)).toEqual([
      '/help/links#used-link-reference-cid20210',
      '/help/links#expired-link-reference-cid2021',
    ]);
    expect(results.codes).toEqual(['CID20210', 'CID2021']);
  });

  it('shows a code section first when the query has other words, then the text matches once each', () => {
    const hrefs = index.search('CID7006 expired link').hits.map((h) => h.href);
    expect(hrefs[0]).toBe('/help/links#we-could-not-find-your-surgery-reference-cid7006');
    expect(hrefs).toContain('/help/links#expired-link-reference-cid2021');
    expect(new Set(hrefs).size).toBe(hrefs.length);
  });

  it('names unknown codes written with CID, and ignores unknown bare numbers among words', () => {
    expect(index.answer('CID9999')).toEqual({ kind: 'unknown-code', code: 'CID9999' });
    expect(index.search('CID9999 expired link').unknownCodes).toEqual(['CID9999']);
    expect(index.search('link from 1999').unknownCodes).toEqual([]);
  });
});

describe('did you mean', () => {
  it('offers a close spelling from the index when the query as typed finds little', () => {
    expect(index.search('surgerry').suggestion).toBe('surgery');
    expect(index.search('expird linc').suggestion).toBe('expired link');
  });

  it('offers nothing when the words are known, or nothing close exists', () => {
    expect(index.search('expired link').suggestion).toBeUndefined();
    expect(index.search('qzxvqzxv').suggestion).toBeUndefined();
  });

  it('corrects only unknown words, keeping the rest as typed', () => {
    const processTerm = createTermProcessor({ stemming: true });
    const vocabulary = buildVocabulary(
      new Map([
        ['password', 5],
        ['passport', 1],
        ['reset', 3],
      ]),
      processTerm,
    );
    expect(correctSpelling('Reset pasword', vocabulary)).toBe('Reset password');
    expect(correctSpelling('reset password', vocabulary)).toBeUndefined();
  });

  it.each([
    ['pasword', 'password', 1],
    ['psasword', 'password', 1],
    ['surgey', 'surgery', 1],
    ['abc', 'abc', 0],
  ])('counts %s → %s as %i edits', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});
