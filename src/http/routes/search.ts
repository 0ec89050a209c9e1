import type { Request, RequestHandler, Response } from 'express';
import type { InsightRecorder } from '../../insights/events';
import type { RenderedSite } from '../../render/rendered-site';
import createHttpError from '../middleware/http-error';
import type { SearchShell } from '../../render/view-models/search-view';
import { cutShell, fillShell, searchParts, shellLocals } from '../../render/view-models/search-view';
import { CACHE } from '../cache';
import type { ReturnLink } from '../../render/view-models/return-link';
import { withFrom } from '../../render/view-models/return-link';
import { sendDynamic } from '../send';

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
 * The search page's shells, rendered on first use for each site (a new site may have new views),
 * return link and whether the box holds a query. A few per site: return links are known services.
 */
const shells = new WeakMap<RenderedSite, Map<string, SearchShell>>();

function withShell(req: Request, res: Response, site: RenderedSite, withQuery: boolean, use: (shell: SearchShell) => void): void {
  const returnTo = res.locals.returnTo as ReturnLink | undefined;
  const key = `${withQuery ? 'q' : '-'} ${returnTo?.id ?? ''}`;
  let forSite = shells.get(site);
  if (!forSite) {
    forSite = new Map();
    shells.set(site, forSite);
  }
  const known = forSite.get(key);
  if (known) return use(known);
  res.app.render('pages/search.njk', { ...res.locals, ...shellLocals(withQuery) }, (error: Error | null, html?: string) => {
    if (error) return req.next!(error);
    let shell: SearchShell;
    try {
      shell = cutShell(html!, withQuery);
    } catch (cut) {
      return req.next!(cut);
    }
    forSite.set(key, shell);
    use(shell);
  });
}

/**
 * `/search?q=`: a query that is one known reference code goes to its section; an unknown code
 * says so; anything else shows results, the sections of any codes it names first. Searches that
 * find nothing and codes looked up are reported to `insights`, on the first page only.
 */
export function search(current: () => RenderedSite, insights: InsightRecorder): RequestHandler {
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
    // Only what depends on the query is built per request; the rest of the page was rendered once.
    const parts = searchParts(
      query,
      answer.kind === 'unknown-code' ? answer.code : undefined,
      answer.kind === 'results' ? answer.results : undefined,
    );
    return withShell(req, res, site, query !== '', (shell) => sendDynamic(req, res, fillShell(shell, query, parts), CACHE.none));
  };
}
