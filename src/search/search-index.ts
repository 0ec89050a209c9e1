import MiniSearch from 'minisearch';
import type { Query, SearchResult as MiniResult } from 'minisearch';
import type { Site } from '../content/site';
import { sectionUrl } from '../content/urls';
import { codesInQuery } from '../content/reference-codes';
import type { Synonyms } from './synonyms';
import { compileSynonyms, groupQuery, synonymTerms } from './query';
import type { QueryGroup } from './query';
import { buildVocabulary, correctSpelling, countWords } from './suggest';
import type { TermProcessor } from './terms';
import { createTermProcessor, termsOf, tokenize } from './terms';

/** One searchable section: a heading and its text, with the page it is on. */
export interface SectionDocument {
  id: string;
  url: string;
  headingId: string;
  heading: string;
  title: string;
  hub: string;
  body: string;
  /** The reference codes this section explains (none when left out). */
  codes?: string[];
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
  /** The code this section explains, when it is shown because the query named that code. */
  code?: string;
}

export interface SearchResults {
  total: number;
  page: number;
  pageCount: number;
  hits: SearchHit[];
  /** Codes in the query whose sections come first. */
  codes: string[];
  /** Codes in the query that no section explains. */
  unknownCodes: string[];
  /** The query with misspellings corrected, when that finds more. */
  suggestion?: string;
}

/** What a search page does for a query: go to a code's section, say a code is unknown, or list results. */
export type SearchAnswer =
  | { kind: 'empty' }
  | { kind: 'code'; code: string; href: string }
  | { kind: 'unknown-code'; code: string }
  | { kind: 'results'; results: SearchResults };

export const PAGE_SIZE = 10;
const EXCERPT_LENGTH = 160;

export interface SearchIndexOptions {
  /** Porter2 stems for the index and queries (default true); false gives a plain word index. */
  stemming?: boolean;
  /** Groups of words and phrases that mean the same thing (content/_data/synonyms.yml). */
  synonyms?: Synonyms;
}

/** Every section of every article, and each hub section that explains a code, one document each. */
export function sectionDocuments(site: Site): SectionDocument[] {
  const codesBySection = new Map<string, string[]>();
  for (const owner of site.codes.values()) {
    const id = sectionUrl(owner.page.url, owner.section.id);
    codesBySection.set(id, [...(codesBySection.get(id) ?? []), owner.code]);
  }
  const docs: SectionDocument[] = [];
  for (const page of site.pages) {
    const hub = page.hub ? site.hubs.get(page.hub) : undefined;
    for (const section of page.sections) {
      const id = sectionUrl(page.url, section.id);
      const codes = codesBySection.get(id) ?? [];
      if (page.kind !== 'article' && codes.length === 0) continue;
      docs.push({
        id,
        url: page.url,
        headingId: section.id,
        heading: section.text,
        title: page.title,
        hub: hub?.title ?? '',
        body: section.body,
        codes,
      });
    }
  }
  return docs;
}

const defaultProcessTerm = createTermProcessor({ stemming: true });

/** The words of a query as the index sees them. */
export function queryTerms(query: string, processTerm: TermProcessor = defaultProcessTerm): string[] {
  return termsOf(query, processTerm);
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * An excerpt of about 160 characters around the first match, split into marked and plain parts.
 * A word is marked when it is a matched term, as the index reads it, or starts with one (so
 * "surgeries" marks "surgery" and "mobil" marks "mobile").
 */
export function buildExcerpt(text: string, matchedTerms: string[], processTerm: TermProcessor = defaultProcessTerm): ExcerptPart[] {
  const terms = [...new Set(matchedTerms.map((t) => t.toLowerCase()))].filter((t) => t.length > 0);
  const matches: [number, number][] = [];
  if (terms.length > 0) {
    for (const word of text.matchAll(WORD)) {
      const lower = word[0].toLowerCase();
      const term = processTerm(lower);
      if (terms.some((t) => lower.startsWith(t) || term === t)) matches.push([word.index, word.index + word[0].length]);
    }
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
  /** Results for a query: sections of the codes it names first, then text matches. */
  search(query: string, page?: number): SearchResults;
  /** What the search page does for a query (see SearchAnswer). */
  answer(query: string, page?: number): SearchAnswer;
  readonly size: number;
}

/** Misspellings are allowed in words of 4 letters or more: one letter in 4–9, two from 10. */
const fuzzy = (term: string): number | false => (term.length >= 10 ? 2 : term.length >= 4 ? 1 : false);
/** Other words from a synonym group count a little less than the words typed. */
const SYNONYM_WEIGHT = 0.85;
/** A query "finds little" when it has fewer results than this, or finds them only through misspellings. */
const FEW_RESULTS = 3;

/** The minisearch query for one pass over the grouped words of a query. */
function queryFor(groups: QueryGroup[], combineWith: 'AND' | 'OR', allowFuzzy: boolean): Query {
  return {
    combineWith,
    queries: groups.map((group): Query => {
      const typed: Query = {
        queries: [group.typed],
        combineWith: 'AND',
        prefix: group.last ? (term: string) => term.length >= 3 : false,
        fuzzy: allowFuzzy ? fuzzy : false,
      };
      if (group.alternatives.length === 0) return typed;
      const others = group.alternatives.map((phrase): Query => ({
        queries: [phrase],
        combineWith: 'AND',
        prefix: false,
        fuzzy: false,
        boostTerm: () => SYNONYM_WEIGHT,
      }));
      return { combineWith: 'OR', queries: [typed, ...others] };
    }),
  };
}

/** Builds the full-text index of every section once, with minisearch. */
export function buildSearchIndex(documents: SectionDocument[], options: SearchIndexOptions = {}): SearchIndex {
  const processTerm = createTermProcessor({ stemming: options.stemming ?? true });
  const synonyms = compileSynonyms(options.synonyms ?? [], processTerm);
  const counts = new Map<string, number>();
  const mini = new MiniSearch<SectionDocument>({
    // The hub title is shown but not indexed: it repeats on every section of a hub and would
    // only make common words slower to search.
    fields: ['heading', 'title', 'body'],
    storeFields: ['url', 'headingId', 'heading', 'title', 'body'],
    tokenize: countWords(counts),
    processTerm,
    searchOptions: { tokenize, boost: { heading: 4, title: 2, body: 1 }, maxFuzzy: 2 },
  });
  mini.addAll(documents);
  const vocabulary = buildVocabulary(counts, processTerm, synonymTerms(synonyms));
  const byCode = new Map<string, SectionDocument>();
  for (const doc of documents) for (const code of doc.codes ?? []) byCode.set(code, doc);

  /**
   * Each group of the query counts once, however many of its synonyms a section matched:
   * minisearch multiplies a score by the number of query terms matched, which would favour a
   * section that says "phone", "mobile" and "number" over one that answers the question.
   */
  const rescore = (found: MiniResult[], groups: QueryGroup[]): MiniResult[] => {
    if (groups.every((group) => group.alternatives.length === 0)) return found;
    const groupTerms = groups.map((group) => new Set(termsOf([group.typed, ...group.alternatives].join(' '), processTerm)));
    for (const result of found) {
      const matched = groupTerms.filter((terms) => result.queryTerms.some((term) => terms.has(term))).length;
      result.score = (result.score / Math.max(1, result.queryTerms.length)) * matched;
    }
    return found.sort((a, b) => b.score - a.score);
  };

  /**
   * Most queries are answered by the first attempt: every word (or a word meaning the same),
   * exactly or, for the last word, as a prefix. Then the same with words the index does not
   * know replaced by their closest spelling from its vocabulary; then misspellings matched
   * inside the index; and only then any of the words.
   */
  const searchText = (text: string): { found: MiniResult[]; via: 'exact' | 'corrected' | 'fuzzy'; corrected?: string } => {
    const corrected = correctSpelling(text, vocabulary);
    const attempts: [string, 'AND' | 'OR', boolean, 'exact' | 'corrected' | 'fuzzy'][] = [[text, 'AND', false, 'exact']];
    if (corrected) attempts.push([corrected, 'AND', false, 'corrected']);
    // Misspellings are matched inside the index only while every word must match: a fuzzy "any
    // word" search over a large index costs far more and finds mostly noise.
    // When the index knows every word, a misspelling pass cannot help and only costs time.
    if (tokenize(text).some((word) => !vocabulary.knows(word))) attempts.push([text, 'AND', true, 'fuzzy']);
    attempts.push([corrected ?? text, 'OR', false, 'fuzzy']);
    for (const [words, combineWith, allowFuzzy, via] of attempts) {
      const groups = groupQuery(words, synonyms, processTerm);
      if (groups.length === 0) continue;
      const found = mini.search(queryFor(groups, combineWith, allowFuzzy));
      if (found.length > 0) return { found: rescore(found, groups), via, corrected };
    }
    return { found: [], via: 'fuzzy', corrected };
  };

  const search = (query: string, requestedPage = 1): SearchResults => {
    const { codes: mentioned, words, onlyCodes } = codesInQuery(query);
    const known = mentioned.filter((m) => byCode.has(m.code)).map((m) => m.code);
    const unknownCodes = mentioned.filter((m) => !byCode.has(m.code) && (m.explicit || onlyCodes)).map((m) => m.code);
    const text = mentioned.length > 0 ? words : query;
    const { found, via, corrected } = onlyCodes ? { found: [], via: 'exact' as const, corrected: undefined } : searchText(text);
    const first = known.map((code) => byCode.get(code)!);
    const firstIds = new Set(first.map((doc) => doc.id));
    const rest = found.filter((result) => !firstIds.has(result.id as string));
    const total = first.length + rest.length;
    const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pageCount);
    const from = (page - 1) * PAGE_SIZE;
    const hits: SearchHit[] = [];
    for (let i = from; i < Math.min(total, from + PAGE_SIZE); i += 1) {
      if (i < first.length) {
        const doc = first[i]!;
        hits.push({
          href: doc.id,
          heading: doc.heading,
          title: doc.title,
          excerpt: buildExcerpt(doc.body, [], processTerm),
          code: known[i],
        });
      } else {
        const result = rest[i - first.length]!;
        hits.push({
          href: result.id as string,
          heading: result.heading as string,
          title: result.title as string,
          excerpt: buildExcerpt(result.body as string, result.terms, processTerm),
        });
      }
    }
    // "Did you mean": when the words as typed found nothing, or little, and the closest spellings
    // the index knows find more.
    let suggestion: string | undefined;
    if (corrected && via === 'corrected') suggestion = corrected;
    else if (corrected && (via === 'fuzzy' || rest.length < FEW_RESULTS)) {
      const better = mini.search(queryFor(groupQuery(corrected, synonyms, processTerm), via === 'fuzzy' ? 'OR' : 'AND', false));
      if (better.length > rest.length || (via === 'fuzzy' && better.length > 0)) suggestion = corrected;
    }
    return { total, page, pageCount, hits, codes: known, unknownCodes, suggestion };
  };

  return {
    size: documents.length,
    search,
    answer(query, page = 1) {
      if (query.trim() === '') return { kind: 'empty' };
      const { codes, onlyCodes } = codesInQuery(query);
      if (onlyCodes && codes.length === 1) {
        const { code } = codes[0]!;
        const doc = byCode.get(code);
        return doc ? { kind: 'code', code, href: doc.id } : { kind: 'unknown-code', code };
      }
      return { kind: 'results', results: search(query, page) };
    },
  };
}
