import type { RequestHandler } from 'express';
import { normaliseCode } from '../../content/reference-codes';
import type { InsightRecorder } from '../../insights/events';
import type { RenderedSite } from '../../render/rendered-site';
import createHttpError from '../middleware/http-error';
import { searchView } from '../../render/view-models/search-view';
import { CACHE } from '../cache';
import { renderDynamic } from '../send';
import { codeTarget } from './reference-codes';

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

/** `/search?q=`: a known reference code redirects to its section; anything else shows results. */
export function search(current: () => RenderedSite, _insights: InsightRecorder): RequestHandler {
  return (req, res, next) => {
    const { q, page } = req.query;
    if ((q !== undefined && typeof q !== 'string') || (page !== undefined && typeof page !== 'string')) {
      return next(createHttpError(400, 'q and page must be single values'));
    }
    const query = cleanQuery(q ?? '');
    const { site, search: index } = current();
    const target = codeTarget(site, query);
    if (target) {
      res.setHeader('Cache-Control', CACHE.redirect);
      return res.redirect(302, target);
    }
    const code = normaliseCode(query);
    const results = query && !code ? index.search(query, Number(page) || 1) : undefined;
    res.setHeader('Cache-Control', CACHE.none);
    return renderDynamic(req, res, 'pages/search.njk', searchView(query, code, results), CACHE.none);
  };
}
