import fs from 'node:fs';
import path from 'node:path';
import type { SearchResults } from '../../src/search/search-index';
import {
  cutSearchShell,
  fillSearchShell,
  paginationFor,
  searchParts,
  shellLocals,
  searchView,
} from '../../src/render/view-models/search-view';
import type { ReturnLink } from '../../src/render/view-models/return-link';
import { appFor } from '../helpers/app';

// The search page as it was rendered per request, whole, through Nunjucks and nhsuk-frontend's
// macros: the page built from a shell and escaped strings must say exactly the same.
const FULL_PAGE = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'views', 'search-full-page.njk'), 'utf8');
const { startup } = appFor();
const { views } = startup;

function fullPage(query: string, unknownCode: string | undefined, results: SearchResults | undefined, returnTo?: ReturnLink): string {
  const count = results?.total ?? 0;
  const found = count === 1 ? '1 result' : `${count} results`;
  return views.renderString(FULL_PAGE, {
    pageTitle: searchParts(query, unknownCode, results).pageTitle,
    description: 'Search the NHS login help centre for answers and reference codes.',
    robotsNoindex: true,
    query,
    unknownCode,
    unknownCodes: results?.unknownCodes ?? [],
    results,
    found,
    suggestion: results?.suggestion ? { text: results.suggestion, href: `/search?q=${encodeURIComponent(results.suggestion)}` } : undefined,
    pagination: results ? paginationFor(query, results.page, results.pageCount) : undefined,
    returnTo,
  });
}

function fastPage(query: string, unknownCode: string | undefined, results: SearchResults | undefined, returnTo?: ReturnLink): string {
  const withQuery = query !== '';
  const shell = cutSearchShell(views.render('pages/search.njk', { ...shellLocals(withQuery), returnTo }), withQuery);
  return fillSearchShell(shell, query, searchParts(query, unknownCode, results));
}

/** The same markup, whatever the whitespace between and inside tags' text. */
const normalise = (html: string): string =>
  html
    .replace(/\s+/g, ' ')
    .replace(/\s*(<[^>]*>)\s*/g, '$1')
    .replace(/<([a-z]+) ([^>]*?)\s*>/g, '<$1 $2>');

const hostile = `<script>alert('x')</script> \\ & "quoted"`;
const hit = (n: number): SearchResults['hits'][number] => ({
  href: `/guide/${n}#section-${n}`,
  heading: `Heading ${n} & <b>more</b>`,
  title: `Title ${n} "quoted"`,
  excerpt: [
    { text: '… before ', mark: false },
    { text: 'password', mark: true },
    { text: ` after it's \\ ${hostile}`, mark: false },
  ],
});
const results = (total: number, page: number, extra: Partial<SearchResults> = {}): SearchResults => {
  const pageCount = Math.max(1, Math.ceil(total / 10));
  const shown = Math.max(0, Math.min(10, total - (page - 1) * 10));
  return { total, page, pageCount, hits: Array.from({ length: shown }, (_, i) => hit(i)), codes: [], unknownCodes: [], ...extra };
};
const nhsApp: ReturnLink = { id: 'nhs-app', name: 'NHS App', href: 'https://www.nhs.uk/nhs-app/' };

describe('search page from a shell', () => {
  it.each<[string, string, string | undefined, SearchResults | undefined, ReturnLink | undefined]>([
    ['no query', '', undefined, undefined, undefined],
    ['no query, with a return link', '', undefined, undefined, nhsApp],
    ['one result', 'password', undefined, results(1, 1), undefined],
    ['a page of results', 'password', undefined, results(9, 1), nhsApp],
    ['the first of many pages', 'reset password', undefined, results(95, 1), undefined],
    ['a middle page', 'reset password', undefined, results(95, 5), undefined],
    ['the last page', 'reset password', undefined, results(95, 10), undefined],
    ['page 2 of 3', 'pin', undefined, results(23, 2), undefined],
    ['a hostile query', hostile, undefined, results(12, 2, { suggestion: `${hostile} fixed` }), undefined],
    ['nothing found', hostile, undefined, results(0, 1), undefined],
    ['a suggestion', 'pasword', undefined, results(2, 1, { suggestion: 'password' }), undefined],
    ['one unknown code', 'CID9999 password', undefined, results(3, 1, { unknownCodes: ['CID9999'] }), undefined],
    ['two unknown codes', 'CID9999 CID8888', undefined, results(0, 1, { unknownCodes: ['CID9999', 'CID8888'] }), undefined],
    ['three unknown codes', 'CID1 CID2 CID3', undefined, results(0, 1, { unknownCodes: ['CID9997', 'CID9998', 'CID9999'] }), undefined],
    ['an unknown code', 'CID9999', 'CID9999', undefined, nhsApp],
  ])('%s: the same markup as the whole page rendered through the macros', (_, query, unknownCode, found, returnTo) => {
    const fast = fastPage(query, unknownCode, found, returnTo);
    expect(normalise(fast)).toBe(normalise(fullPage(query, unknownCode, found, returnTo)));
  });

  it('escapes what was typed as the views do, in the title, heading, box and results', () => {
    const fast = fastPage(hostile, undefined, results(12, 2, { suggestion: hostile }));
    expect(fast).not.toContain('<script>alert');
    expect(fast).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &#92; &amp; &quot;quoted&quot;');
    expect(fast).toContain(`value="&lt;script&gt;`);
    expect(fast).toMatch(/<title>12 results for “&lt;script&gt;.*\(page 2 of 2\) - NHS login help centre<\/title>/);
  });

  it('keeps the words around the query', () => {
    const fast = fastPage('pin', undefined, results(23, 2));
    expect(fast).toContain('<p class="app-search-count" role="status">23 results for <strong>pin</strong>, page 2 of 3</p>');
    expect(fast).toContain('<h1>Search results <span class="nhsuk-u-visually-hidden">for pin</span></h1>');
  });

  it('fails loudly when the view loses a placeholder', () => {
    expect(() => cutSearchShell('<html>no holes</html>', true)).toThrow(/pages\/search.njk/);
  });

  it('still renders the whole page in one go, for the static export', () => {
    const html = views.render('pages/search.njk', searchView('', undefined, undefined));
    expect(normalise(html)).toBe(normalise(fullPage('', undefined, undefined)));
  });
});
