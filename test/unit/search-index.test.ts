import { loadConfig } from '../../src/config';
import { loadSite } from '../../src/render/rendered-site';
import { createViews } from '../../src/render/views';
import { buildExcerpt, buildSearchIndex, queryTerms, sectionDocuments } from '../../src/search/search-index';
import { fixtureContent } from '../helpers/app';

const config = loadConfig({});
const site = loadSite(fixtureContent, config.viewsDir, createViews(config.viewsDir));
const index = buildSearchIndex(sectionDocuments(site));

describe('search index', () => {
  it('indexes every article section', () => {
    const sections = site.pages.filter((p) => p.kind === 'article').reduce((n, p) => n + p.sections.length, 0);
    expect(index.size).toBe(sections);
  });

  it('ranks a heading match above a body match', () => {
    const hrefs = index.search('password').hits.map((h) => h.href);
    expect(hrefs[0]).toBe('/other/second#reset-your-password');
    expect(hrefs).toContain('/other/second#mobile-phone-changes');
    expect(hrefs.indexOf('/other/second#reset-your-password')).toBeLessThan(hrefs.indexOf('/other/second#mobile-phone-changes'));
  });

  it('finds misspelt words', () => {
    expect(index.search('passwrd').hits[0]?.href).toBe('/other/second#reset-your-password');
  });

  it('finds words by prefix', () => {
    expect(index.search('mobil').hits[0]?.href).toBe('/other/second#mobile-phone-changes');
  });

  it('marks the words that matched, even when the query was misspelt', () => {
    const hit = index.search('passwrd').hits.find((h) => h.href.endsWith('#mobile-phone-changes'))!;
    expect(hit.excerpt.filter((p) => p.mark).map((p) => p.text)).toEqual(['password']);
  });

  it('finds nothing for nonsense and for stop words only', () => {
    expect(index.search('qzxv').total).toBe(0);
    expect(index.search('the and').total).toBe(0);
  });

  it('pages results 10 at a time and clamps the page number', () => {
    const many = buildSearchIndex(
      Array.from({ length: 23 }, (_, i) => ({
        id: `/a#s${i}`,
        url: '/a',
        headingId: `s${i}`,
        heading: `Topic ${i}`,
        title: 'A',
        hub: 'H',
        body: 'shared words',
        codes: [],
      })),
    );
    expect(many.search('shared', 1)).toMatchObject({ total: 23, page: 1, pageCount: 3 });
    expect(many.search('shared', 1).hits).toHaveLength(10);
    expect(many.search('shared', 3).hits).toHaveLength(3);
    expect(many.search('shared', 99).page).toBe(3);
    expect(many.search('shared', -5).page).toBe(1);
  });
});

describe('buildExcerpt', () => {
  it('cuts about 160 characters around the first match and marks matches', () => {
    const text = `${'Filler words here. '.repeat(20)}The password is key. ${'More filler after. '.repeat(20)}`;
    const parts = buildExcerpt(text, ['password']);
    const joined = parts.map((p) => p.text).join('');
    expect(joined.startsWith('… ')).toBe(true);
    expect(joined.endsWith(' …')).toBe(true);
    expect(joined.length).toBeLessThanOrEqual(170);
    expect(parts.filter((p) => p.mark)).toEqual([{ text: 'password', mark: true }]);
  });

  it('keeps hostile text as plain parts for the view to escape', () => {
    const parts = buildExcerpt('<script>alert(1)</script> password', ['password']);
    expect(parts[0]).toEqual({ text: '<script>alert(1)</script> ', mark: false });
  });
});

describe('queryTerms', () => {
  it('drops stop words, lower-cases and stems', () => {
    expect(queryTerms('The Security code is NOT arriving')).toEqual(['secur', 'code', 'not', 'arriv']);
  });
});
