import type { RequestHandler } from 'express';
import type { InsightEvent, InsightRecorder } from '../../insights/events';
import type { SearchAnswer } from '../../search/search-index';
import type { RenderedSite } from '../../render/rendered-site';
import createHttpError from '../middleware/http-error';
import { SEARCH_SHELLS, fillSearchShell, searchParts } from '../../render/view-models/search-view';
import { CACHE } from '../cache';
import type { ReturnLink } from '../../render/view-models/return-link';
import { withFrom } from '../../render/view-models/return-link';
import { DynamicBody, sendDynamic } from '../send';
import { RecentPages } from '../recent-pages';
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

/** The key of a search page among the recent ones: everything it depends on but the site. */
export function searchKey(query: string, returnTo: ReturnLink | undefined, requested: number): string {
  return `${query === '' ? 'empty' : 'query'} ${returnTo?.id ?? ''} ${requested} ${query}`;
}

/** What showing an answer counts: searches that found nothing and codes named, on the first page only. */
function countedBy(answer: Exclude<SearchAnswer, { kind: 'code' }>, query: string, firstPage: boolean): InsightEvent[] {
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
): RequestHandler {
  const withShell = shellsFor(SEARCH_SHELLS);
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
    const counted = countedBy(answer, query, requested <= 1);
    for (const event of counted) insights.record(event);
    // Only what depends on the query is built per request; the rest of the page was rendered once.
    const parts = searchParts(
      query,
      answer.kind === 'unknown-code' ? answer.code : undefined,
      answer.kind === 'results' ? answer.results : undefined,
    );
    return withShell(req, res, site, query === '' ? 'empty' : 'query', (shell) => {
      const page = DynamicBody.of(fillSearchShell(shell, query, parts));
      recent.set(site, key, { page, counted });
      sendDynamic(req, res, page, CACHE.none);
    });
  };
}
