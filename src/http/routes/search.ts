import type { RequestHandler } from 'express';
import type { InsightRecorder } from '../../insights/events';
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

/**
 * `/search?q=`: a query that is one known reference code goes to its section; an unknown code
 * says so; anything else shows results, the sections of any codes it names first. Searches that
 * find nothing and codes looked up are reported to `insights`, on the first page only. The
 * pages of recent queries are kept made and compressed (see RecentPages).
 */
export function search(current: () => RenderedSite, insights: InsightRecorder): RequestHandler {
  const withShell = shellsFor(SEARCH_SHELLS);
  const recent = new RecentPages();
  return (req, res, next) => {
    const { q, page } = req.query;
    if ((q !== undefined && typeof q !== 'string') || (page !== undefined && typeof page !== 'string')) {
      return next(createHttpError(400, 'q and page must be single values'));
    }
    const query = cleanQuery(q ?? '');
    const requested = Number(page) || 1;
    const site = current();
    const answer = site.search.answer(query, requested);
    const firstPage = requested <= 1;
    if (answer.kind === 'code') {
      insights.record({ kind: 'code-lookup', code: answer.code });
      res.setHeader('Cache-Control', CACHE.redirect);
      return res.redirect(302, withFrom(answer.href, res.locals.returnTo as ReturnLink | undefined));
    }
    if (firstPage && answer.kind === 'unknown-code') insights.record({ kind: 'unknown-code', code: answer.code, via: 'search' });
    if (firstPage && answer.kind === 'results') {
      const { results } = answer;
      for (const code of results.codes) insights.record({ kind: 'code-lookup', code });
      for (const code of results.unknownCodes) insights.record({ kind: 'unknown-code', code, via: 'search' });
      if (results.total === 0) insights.record({ kind: 'search-no-results', query });
    }
    const variant = query === '' ? 'empty' : 'query';
    const key = `${variant} ${(res.locals.returnTo as ReturnLink | undefined)?.id ?? ''} ${requested} ${query}`;
    const made = recent.get(site, key);
    if (made) return sendDynamic(req, res, made, CACHE.none);
    // Only what depends on the query is built per request; the rest of the page was rendered once.
    const parts = searchParts(
      query,
      answer.kind === 'unknown-code' ? answer.code : undefined,
      answer.kind === 'results' ? answer.results : undefined,
    );
    return withShell(req, res, site, variant, (shell) =>
      sendDynamic(req, res, recent.set(site, key, DynamicBody.of(fillSearchShell(shell, query, parts))), CACHE.none),
    );
  };
}
