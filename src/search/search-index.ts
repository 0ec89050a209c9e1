import MiniSearch from 'minisearch';
import type { SearchResult as MiniResult } from 'minisearch';
import type { Site } from '../content/site';
import { sectionUrl } from '../content/urls';

/** One searchable section: a heading and its text, with the page it is on. */
export interface SectionDocument {
  id: string;
  url: string;
  headingId: string;
  heading: string;
  title: string;
  hub: string;
  body: string;
}

/** A piece of an excerpt; `mark` pieces matched the query. Views escape every piece. */
export interface ExcerptPart {
  text: string;
  mark: boolean;
}

export interface SearchHit {
  href: string;
  heading: string;
  title: string;
  excerpt: ExcerptPart[];
}

export interface SearchResults {
  total: number;
  page: number;
  pageCount: number;
  hits: SearchHit[];
}

export const PAGE_SIZE = 10;
const EXCERPT_LENGTH = 160;

const STOP_WORDS = new Set(
  'a an and are as at be but by can do for from has have i if in is it its my of on or so that the this to was we what when where which who why will with you your'.split(
    ' ',
  ),
);

/** Lower-case words, without stop words: used for indexing and for queries alike. */
function processTerm(term: string): string | null {
  const lower = term.toLowerCase();
  return lower.length < 2 || STOP_WORDS.has(lower) ? null : lower;
}

/** Every section of every article, one document each. */
export function sectionDocuments(site: Site): SectionDocument[] {
  const docs: SectionDocument[] = [];
  for (const page of site.pages) {
    if (page.kind !== 'article') continue;
    const hub = page.hub ? site.hubs.get(page.hub) : undefined;
    for (const section of page.sections) {
      docs.push({
        id: sectionUrl(page.url, section.id),
        url: page.url,
        headingId: section.id,
        heading: section.text,
        title: page.title,
        hub: hub?.title ?? '',
        body: section.body,
      });
    }
  }
  return docs;
}

/** The words of a query as the index sees them. */
export function queryTerms(query: string): string[] {
  const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];
  return tokenize(query)
    .map(processTerm)
    .filter((t): t is string => Boolean(t));
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * An excerpt of about 160 characters around the first match, split into marked and plain parts.
 * A word is marked when it starts with a matched term (so "mobil" marks "mobile").
 */
export function buildExcerpt(text: string, matchedTerms: string[]): ExcerptPart[] {
  const terms = [...new Set(matchedTerms.map((t) => t.toLowerCase()))].filter((t) => t.length > 0);
  const matches: [number, number][] = [];
  for (const word of text.matchAll(WORD)) {
    const lower = word[0].toLowerCase();
    if (terms.some((term) => lower.startsWith(term))) matches.push([word.index, word.index + word[0].length]);
  }
  const first = matches[0]?.[0] ?? -1;
  const start = first > 60 ? text.lastIndexOf(' ', first - 40) + 1 : 0;
  let end = Math.min(text.length, start + EXCERPT_LENGTH);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + EXCERPT_LENGTH / 2) end = space;
  }
  const parts: ExcerptPart[] = [];
  if (start > 0) parts.push({ text: '… ', mark: false });
  let last = start;
  for (const [from, to] of matches) {
    if (from < start) continue;
    if (to > end) break;
    if (from > last) parts.push({ text: text.slice(last, from), mark: false });
    parts.push({ text: text.slice(from, to), mark: true });
    last = to;
  }
  if (last < end) parts.push({ text: text.slice(last, end), mark: false });
  if (end < text.length) parts.push({ text: ' …', mark: false });
  return parts;
}

export interface SearchIndex {
  search(query: string, page?: number): SearchResults;
  readonly size: number;
}

/** Builds the full-text index of every article section once, with minisearch. */
export function buildSearchIndex(documents: SectionDocument[]): SearchIndex {
  const mini = new MiniSearch<SectionDocument>({
    // The hub title is shown but not indexed: it repeats on every section of a hub and would
    // only make common words slower to search.
    fields: ['heading', 'title', 'body'],
    storeFields: ['url', 'headingId', 'heading', 'title', 'body'],
    processTerm,
    searchOptions: { boost: { heading: 4, title: 2, body: 1 }, prefix: (term) => term.length >= 3 },
  });
  mini.addAll(documents);

  /**
   * Most queries are answered by the first pass: every word, exactly or as a prefix. Only when
   * that finds nothing do we allow misspellings, and only then accept any of the words.
   */
  const fuzzy = (term: string): number | false => (term.length >= 5 ? 0.2 : term.length === 4 ? 1 : false);
  const passes = [{ combineWith: 'AND' }, { combineWith: 'AND', fuzzy, maxFuzzy: 2 }, { combineWith: 'OR', fuzzy, maxFuzzy: 2 }] as const;
  const run = (query: string): MiniResult[] => {
    for (const options of passes) {
      const found = mini.search(query, { ...options });
      if (found.length > 0) return found;
    }
    return [];
  };

  return {
    size: documents.length,
    search(query, requestedPage = 1) {
      const found = queryTerms(query).length ? run(query) : [];
      const pageCount = Math.max(1, Math.ceil(found.length / PAGE_SIZE));
      const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pageCount);
      const hits = found.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((result) => ({
        href: sectionUrl(result.url as string, result.headingId as string),
        heading: result.heading as string,
        title: result.title as string,
        excerpt: buildExcerpt(result.body as string, result.terms),
      }));
      return { total: found.length, page, pageCount, hits };
    },
  };
}
