import type { SearchHit, SearchResults } from '../../search/search-index';
import { escapeAsViews as e } from '../escape';
import type { Shell, ShellRecipe } from '../shell';
import { cutShell, fillShell, placeholder } from '../shell';

/** One link of the pagination: a page number, or an ellipsis between numbers. */
export type PaginationItem = { ellipsis: true } | { number: string; href: string; current: boolean };

export interface Pagination {
  items: PaginationItem[];
  previous?: { href: string };
  next?: { href: string };
}

/** Items for the nhsuk pagination component: numbers with ellipses, previous and next. */
export function paginationFor(query: string, page: number, pageCount: number): Pagination | undefined {
  if (pageCount <= 1) return undefined;
  const href = (n: number): string => `/search?q=${encodeURIComponent(query)}${n > 1 ? `&page=${n}` : ''}`;
  const shown = [...new Set([1, page - 1, page, page + 1, pageCount])].filter((n) => n >= 1 && n <= pageCount).sort((a, b) => a - b);
  const items: PaginationItem[] = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1]! > 1) items.push({ ellipsis: true });
    items.push({ number: String(n), href: href(n), current: n === page });
  });
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pageCount ? { href: href(page + 1) } : undefined,
  };
}

// nhsuk-frontend's arrow icons, as its icon macro writes them (test/unit/search-view.test.ts
// checks the whole results block against the component macros).
const ICON = 'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true"';
const ARROW_LEFT = `<svg class="nhsuk-icon nhsuk-icon--arrow-left" ${ICON}><path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z"/></svg>`;
const ARROW_RIGHT = `<svg class="nhsuk-icon nhsuk-icon--arrow-right" ${ICON}><path d="m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z"/></svg>`;

/** The markup of nhsuk-frontend's pagination component (numbered) for these items. */
export function paginationHtml({ items, previous, next }: Pagination): string {
  let html = '<nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" aria-label="Pagination">';
  if (previous) {
    html += `<a href="${e(previous.href)}" class="nhsuk-pagination__previous" rel="prev">${ARROW_LEFT}<span class="nhsuk-pagination__title">Previous<span class="nhsuk-u-visually-hidden"> page</span></span></a>`;
  }
  html += '<ul class="nhsuk-pagination__list">';
  for (const item of items) {
    if ('ellipsis' in item) html += '<li class="nhsuk-pagination__item nhsuk-pagination__item--ellipsis">&ctdot;</li>';
    else {
      html += `<li class="nhsuk-pagination__item${item.current ? ' nhsuk-pagination__item--current' : ''}">`;
      html += `<a class="nhsuk-pagination__link" href="${e(item.href)}" aria-label="Page ${e(item.number)}"${item.current ? ' aria-current="page"' : ''}>${e(item.number)}</a></li>`;
    }
  }
  html += '</ul>';
  if (next) {
    html += `<a href="${e(next.href)}" class="nhsuk-pagination__next" rel="next"><span class="nhsuk-pagination__title">Next<span class="nhsuk-u-visually-hidden"> page</span></span>${ARROW_RIGHT}</a>`;
  }
  return `${html}</nav>`;
}

function hitHtml(hit: SearchHit): string {
  let excerpt = '';
  for (const part of hit.excerpt) excerpt += part.mark ? `<mark>${e(part.text)}</mark>` : e(part.text);
  return (
    '<li class="app-search-results__item">' +
    `<h2 class="nhsuk-heading-s nhsuk-u-margin-bottom-1"><a href="${e(hit.href)}">${e(hit.heading)}</a></h2>` +
    `<p class="nhsuk-body-s nhsuk-u-secondary-text-color nhsuk-u-margin-bottom-1">${e(hit.title)}</p>` +
    `<p class="nhsuk-body-s">${excerpt}</p>` +
    '</li>'
  );
}

/** What a search page shows that depends on the query: its title, its heading, and what follows the search box. */
export interface SearchParts {
  pageTitle: string;
  /** HTML: the page's h1. */
  heading: string;
  /** HTML: the suggestion, unknown codes, and the results or the advice when there are none. */
  results: string;
}

/**
 * What the search page shows for a query: results (the sections of the codes it names first, any
 * codes no section explains, and a spelling suggestion), an unknown code, or just the box. Built
 * as escaped strings, so that a search renders only this and not the whole page.
 */
export function searchParts(query: string, unknownCode: string | undefined, results: SearchResults | undefined): SearchParts {
  const count = results?.total ?? 0;
  const found = count === 1 ? '1 result' : `${count} results`;
  let pageTitle = 'Search';
  if (unknownCode) pageTitle = `No section uses ${unknownCode}`;
  else if (results) pageTitle = `${found} for “${query}”${results.pageCount > 1 ? ` (page ${results.page} of ${results.pageCount})` : ''}`;

  let heading = '<h1>Search the help centre</h1>';
  if (unknownCode) heading = `<h1>No section uses ${e(unknownCode)}</h1>`;
  else if (results) heading = `<h1>Search results <span class="nhsuk-u-visually-hidden">for ${e(query)}</span></h1>`;

  let html = '';
  if (results?.suggestion) {
    const href = `/search?q=${encodeURIComponent(results.suggestion)}`;
    html += `<p class="app-search-suggestion">Did you mean <a href="${e(href)}">${e(results.suggestion)}</a>?</p>`;
  }
  const unknownCodes = results?.unknownCodes ?? [];
  if (unknownCodes.length > 0) {
    const codes = unknownCodes.map(
      (code, i) => `${i === 0 ? '' : i === unknownCodes.length - 1 ? ' or ' : ', '}<strong>${e(code)}</strong>`,
    );
    html += `<p class="app-search-unknown-codes">We have no help section for ${codes.join('')}. <a href="/cid">See every reference code we explain</a>.</p>`;
  }
  if (unknownCode) {
    html +=
      `<p>We could not find a help section for the reference ${e(unknownCode)}.</p>` +
      '<p>Check the code you were shown. A reference code is the letters CID followed by 4 or 5 numbers.</p>' +
      `<p><a href="/cid">See every reference code we explain</a>, or <a href="/contact?error=${e(encodeURIComponent(unknownCode))}">contact us about ${e(unknownCode)}</a>.</p>`;
  } else if (results && results.total > 0) {
    const pageOf = results.pageCount > 1 ? `, page ${results.page} of ${results.pageCount}` : '';
    html += `<p class="app-search-count" role="status">${found} for <strong>${e(query)}</strong>${pageOf}</p>`;
    html += `<ul class="nhsuk-list app-search-results">${results.hits.map(hitHtml).join('')}</ul>`;
    const pagination = paginationFor(query, results.page, results.pageCount);
    if (pagination) html += paginationHtml(pagination);
  } else if (results) {
    html +=
      `<p class="app-search-count" role="status">We found no results for <strong>${e(query)}</strong>.</p>` +
      '<h2 class="nhsuk-heading-m">Improve your search results</h2>' +
      '<ul><li>check your spelling</li><li>use fewer words</li><li>search for the reference code you were shown, for example CID3006</li></ul>' +
      '<p>You can also <a href="/cid">look up a reference code in the list of every code</a>.</p>';
  }
  return { pageTitle, heading, results: html };
}

const SEARCH_PAGE = {
  description: 'Search the NHS login help centre for answers and reference codes.',
  robotsNoindex: true,
};

/** Locals for the whole search page (pages/search.njk), rendered in one go: the static export's empty search page. */
export function searchView(query: string, unknownCode: string | undefined, results: SearchResults | undefined): Record<string, unknown> {
  return { ...SEARCH_PAGE, query, ...searchParts(query, unknownCode, results) };
}

/**
 * The search page with a placeholder where each request's parts go: rendered once (per return
 * link, and with or without a query in the box), then filled in per request by `fillSearchShell`.
 */
const HOLES = {
  pageTitle: placeholder('title'),
  heading: placeholder('heading'),
  query: placeholder('query'),
  results: placeholder('results'),
};

export function shellLocals(withQuery: boolean): Record<string, unknown> {
  return { ...SEARCH_PAGE, ...HOLES, query: withQuery ? HOLES.query : '' };
}

type SearchPart = 'title' | 'heading' | 'query' | 'results';
export type SearchShell = Shell<SearchPart>;

/** The rendered shell, cut at its placeholders. */
export function cutSearchShell(html: string, withQuery: boolean): SearchShell {
  return cutShell<SearchPart>(
    'pages/search.njk',
    html,
    withQuery ? ['title', 'heading', 'query', 'results'] : ['title', 'heading', 'results'],
  );
}

/** Which of the search page's shells: with a query in the box or without. */
export type SearchVariant = 'query' | 'empty';

/** The search page's shells: with a query in the box or without (the box's value is one more hole). */
export const SEARCH_SHELLS: ShellRecipe<SearchVariant, SearchShell> = {
  view: 'pages/search.njk',
  locals: (variant) => shellLocals(variant === 'query'),
  cut: (html, variant) => cutSearchShell(html, variant === 'query'),
};

/** The whole search page: the shell with this request's parts in it. */
export function fillSearchShell(shell: SearchShell, query: string, parts: SearchParts): string {
  return fillShell(shell, { title: e(parts.pageTitle), heading: parts.heading, query: e(query), results: parts.results });
}
