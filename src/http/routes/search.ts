import type { RequestHandler } from 'express';
import type { InsightEvent, InsightRecorder } from '../../insights/events';
import type { SearchAnswer } from '../../search/search-index';
import type { RenderedSite } from '../../render/rendered-site';
import createHttpError from '../middleware/http-error';
import type { SearchShell, SearchVariant } from '../../render/view-models/search-view';
import { SEARCH_SHELLS, fillSearchShell, searchParts } from '../../render/view-models/search-view';
import { CACHE } from '../cache';
import type { ReturnLink } from '../../render/view-models/return-link';
import { withFrom } from '../../render/view-models/return-link';
import { DynamicBody, sendDynamic } from '../send';
import { RecentPages } from '../recent-pages';
import type { WithShell } from '../shells';
import { shellsFor } from '../shells';

export const MAX_QUERY_LENGTH = 200;

/** Cleans what was typed: no control characters or broken characters, at most 200 characters, trimmed. */
export function cleanQuery(raw: string): string {
  const cleaned = raw
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\ufffd]+/g, ' ')
    // Half a character (a lone surrogate) cannot be encoded into a link.
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
  // Cut by characters, not UTF-16 units, so an emoji is never split in half.
  return Array.from(cleaned).slice(0, MAX_QUERY_LENGTH).join('').trim();
}

/** A search page made, and the insight events showing it counts (see countedBy). */
export interface MadeSearch {
  page: DynamicBody;
  counted: readonly InsightEvent[];
}

/** Which shell a query's page is filled into. */
export const searchVariant = (query: string): SearchVariant => (query === '' ? 'empty' : 'query');

/** The key of a search page among the recent ones: everything it depends on but the site. */
export function searchKey(query: string, returnTo: ReturnLink | undefined, requested: number): string {
  return `${searchVariant(query)} ${returnTo?.id ?? ''} ${requested} ${query}`;
}

/** What showing an answer counts: searches that found nothing and codes named, on the first page only. */
function countedBy(answer: ShownAnswer, query: string, firstPage: boolean): InsightEvent[] {
  if (!firstPage) return [];
  if (answer.kind === 'unknown-code') return [{ kind: 'unknown-code', code: answer.code, via: 'search' }];
  if (answer.kind !== 'results') return [];
  const { results } = answer;
  return [
    ...results.codes.map((code): InsightEvent => ({ kind: 'code-lookup', code })),
    ...results.unknownCodes.map((code): InsightEvent => ({ kind: 'unknown-code', code, via: 'search' })),
    ...(results.total === 0 ? [{ kind: 'search-no-results', query } as const] : []),
  ];
}

/** What the search page shows: the code named when it is unknown, or the results, or neither (no query). */
export type ShownAnswer = Exclude<SearchAnswer, { kind: 'code' }>;

/** The shells search pages are filled into, rendered once per site (see shellsFor). */
export type SearchShells = WithShell<SearchVariant, SearchShell>;

/** The search page's shells, for the route and the fast path to share. */
export const searchShells = (): SearchShells => shellsFor(SEARCH_SHELLS);

/**
 * The page of an answer that is not a code, filled into its shell, with what showing it counts.
 * Only what depends on the query is built; the rest of the page was rendered once. The search
 * route makes pages with it, and so does the fast path once the shell exists (fast-path.ts).
 */
export function makeSearch(answer: ShownAnswer, query: string, requested: number, shell: SearchShell): MadeSearch {
  const parts = searchParts(
    query,
    answer.kind === 'unknown-code' ? answer.code : undefined,
    answer.kind === 'results' ? answer.results : undefined,
  );
  return { page: DynamicBody.of(fillSearchShell(shell, query, parts)), counted: countedBy(answer, query, requested <= 1) };
}

/**
 * `/search?q=`: a query that is one known reference code goes to its section; an unknown code
 * says so; anything else shows results, the sections of any codes it names first. Searches that
 * find nothing and codes looked up are reported to `insights`, on the first page only. The
 * pages of recent queries are kept made and compressed, with what they count (see RecentPages):
 * the fast path sends them too.
 */
export function search(
  current: () => RenderedSite,
  insights: InsightRecorder,
  recent: RecentPages<MadeSearch> = new RecentPages<MadeSearch>(),
  withShell: SearchShells = searchShells(),
): RequestHandler {
  return (req, res, next) => {
    const { q, page } = req.query;
    if ((q !== undefined && typeof q !== 'string') || (page !== undefined && typeof page !== 'string')) {
      return next(createHttpError(400, 'q and page must be single values'));
    }
    const query = cleanQuery(q ?? '');
    const requested = Number(page) || 1;
    const site = current();
    const returnTo = res.locals.returnTo as ReturnLink | undefined;
    const key = searchKey(query, returnTo, requested);
    const made = recent.get(site, key);
    if (made) {
      for (const event of made.counted) insights.record(event);
      return sendDynamic(req, res, made.page, CACHE.none);
    }
    const answer = site.search.answer(query, requested);
    if (answer.kind === 'code') {
      insights.record({ kind: 'code-lookup', code: answer.code });
      res.setHeader('Cache-Control', CACHE.redirect);
      return res.redirect(302, withFrom(answer.href, returnTo));
    }
    return withShell(req, res, site, searchVariant(query), (shell) => {
      const made = makeSearch(answer, query, requested, shell);
      for (const event of made.counted) insights.record(event);
      recent.set(site, key, made);
      sendDynamic(req, res, made.page, CACHE.none);
    });
  };
}
