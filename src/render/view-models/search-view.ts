import type { SearchResults } from '../../search/search-index';

/** Items for the nhsuk pagination macro: numbers with ellipses, previous and next. */
export function paginationFor(query: string, page: number, pageCount: number): Record<string, unknown> | undefined {
  if (pageCount <= 1) return undefined;
  const href = (n: number): string => `/search?q=${encodeURIComponent(query)}${n > 1 ? `&page=${n}` : ''}`;
  const shown = [...new Set([1, page - 1, page, page + 1, pageCount])].filter((n) => n >= 1 && n <= pageCount).sort((a, b) => a - b);
  const items: Record<string, unknown>[] = [];
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

/**
 * What the search page shows for a query: results (the sections of the codes it names first, any
 * codes no section explains, and a spelling suggestion), an unknown code, or just the box.
 */
export function searchView(query: string, unknownCode: string | undefined, results: SearchResults | undefined): Record<string, unknown> {
  const count = results?.total ?? 0;
  const found = count === 1 ? '1 result' : `${count} results`;
  let pageTitle = 'Search';
  if (unknownCode) pageTitle = `No section uses ${unknownCode}`;
  else if (results) pageTitle = `${found} for “${query}”${results.pageCount > 1 ? ` (page ${results.page} of ${results.pageCount})` : ''}`;
  return {
    pageTitle,
    description: 'Search the NHS login help centre for answers and reference codes.',
    robotsNoindex: true,
    query,
    unknownCode,
    unknownCodes: results?.unknownCodes ?? [],
    results,
    found,
    suggestion: results?.suggestion ? { text: results.suggestion, href: `/search?q=${encodeURIComponent(results.suggestion)}` } : undefined,
    pagination: results ? paginationFor(query, results.page, results.pageCount) : undefined,
  };
}
