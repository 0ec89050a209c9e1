import type { Page, Site } from '../content/site';
import type { Section } from '../content/markdown';
import { NONE } from '../content/site';
import { sectionUrl } from '../content/urls';
import { codesInQuery } from '../content/reference-codes';
import type { Synonyms } from './synonyms';
import { compileSynonyms, groupQuery, synonymTerms } from './query';
import type { QueryGroup } from './query';
import { correctSpelling, vocabularyOf } from './suggest';
import type { FieldTexts, GroupQuery, RankedMatches } from './inverted-index';
import type { PrebuiltIndex } from './index-on-worker';
import { InvertedIndex } from './inverted-index';
import type { TermProcessor } from './terms';
import { createTermProcessor, termsOf, tokenize } from './terms';
import { EMPTY_SECTION_FACTOR, RERANKED, distinctiveness, headingFactor, headingQuery, headingWords, rerank } from './rerank';

/**
 * One searchable section: a heading and its text, with the page it is on. Those sectionDocuments
 * makes read their fields through from the page and section: a copy is made field by field, not
 * by spreading one.
 */
export interface SectionDocument {
  /** The section's URL (see sectionUrl). */
  readonly id: string;
  readonly url: string;
  readonly headingId: string;
  readonly heading: string;
  readonly title: string;
  readonly hub: string;
  readonly body: string;
  /** The reference codes this section explains (none when left out). */
  readonly codes?: string[];
}

/**
 * A section of a page as search sees it, read through to the page and the section rather than
 * copied: a large site has hundreds of thousands, and its URL, joined when asked for, is the only
 * string a document would otherwise hold of its own.
 */
class PageSection implements SectionDocument {
  constructor(
    private readonly page: Page,
    private readonly section: Section,
    readonly hub: string,
    readonly codes: string[],
  ) {}
  get id(): string {
    return sectionUrl(this.page.url, this.section.id);
  }
  get url(): string {
    return this.page.url;
  }
  get headingId(): string {
    return this.section.id;
  }
  get heading(): string {
    return this.section.text;
  }
  get title(): string {
    return this.page.title;
  }
  get body(): string {
    return this.section.body;
  }
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
  /**
   * The index built last (development mode): it is reused, and only sections whose text changed
   * are indexed again. It must not be used after this.
   */
  previous?: SearchIndex;
  /** Keep what a later build needs to reuse this index as `previous` (default true; development mode). */
  reusable?: boolean;
  /**
   * A second look at the best matches' headings (default true; see rerank.ts): distinctive words
   * and consecutive query words in the heading, and the heading a question form asks for.
   */
  headings?: boolean;
  /** How many answers `answer` remembers, most recently asked kept (default 256; 0 remembers none). */
  cacheSize?: number;
  /**
   * The sections' text, indexed on another thread at start-up (see IndexOnWorker): used when it
   * was made from exactly these documents' fields, in this order, and the index is to be stemmed
   * and not reusable; otherwise the documents are indexed here.
   */
  prebuilt?: PrebuiltIndex;
}

/** Every section of every article, and each hub section that explains a code, one document each. */
export function sectionDocuments(site: Site): SectionDocument[] {
  const codesBySection = new Map<Section, string[]>();
  for (const owner of site.codes.values()) codesBySection.set(owner.section, [...(codesBySection.get(owner.section) ?? []), owner.code]);
  const docs: SectionDocument[] = [];
  for (const page of site.pages) {
    const hub = page.hub ? site.hubs.get(page.hub) : undefined;
    for (const section of page.sections) {
      const codes = codesBySection.get(section) ?? NONE;
      if (page.kind !== 'article' && codes.length === 0) continue;
      docs.push(new PageSection(page, section, hub?.title ?? '', codes));
    }
  }
  return docs;
}

/** What the index reads of a section: its heading, its page's title and its text. */
const fieldsOf = (doc: SectionDocument): FieldTexts => [doc.heading, doc.title, doc.body];

/**
 * The fields sectionDocuments gives a page's sections, as far as the page alone tells: an
 * article's sections, and a hub's that name a code (which another page may turn out to own).
 * For indexing the sections as the pages are parsed, before the site is built (see IndexOnWorker).
 */
export function pageSectionFields(page: Page): FieldTexts[] {
  return page.sections
    .filter((section) => page.kind === 'article' || section.headingCodes.length > 0 || section.bodyCodes.length > 0)
    .map((section) => fieldsOf(new PageSection(page, section, '', NONE)));
}

const defaultProcessTerm = createTermProcessor({ stemming: true });

/** The words of a query as the index sees them. */
export function queryTerms(query: string, processTerm: TermProcessor = defaultProcessTerm): string[] {
  return termsOf(query, processTerm);
}

/** A letter or digit: what excerpts mark words of. */
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const ASCII_WORD = Uint8Array.from({ length: 128 }, (_, code) => (WORD_CHARACTER.test(String.fromCharCode(code)) ? 1 : 0));

/**
 * Calls `visit(from, to)` for each run of letters and digits in the text, until it returns
 * false. A loop over character codes: a Unicode regular expression costs several times more.
 */
function eachWord(text: string, visit: (from: number, to: number) => boolean): void {
  let from = -1;
  for (let i = 0; i <= text.length; i += 1) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    let width = 1;
    let letter: boolean;
    if (code < 128) letter = ASCII_WORD[code] === 1;
    else {
      const point = text.codePointAt(i)!;
      if (point > 0xffff) width = 2;
      letter = WORD_CHARACTER.test(String.fromCodePoint(point));
    }
    if (letter) {
      if (from < 0) from = i;
    } else if (from >= 0) {
      if (!visit(from, i)) return;
      from = -1;
    }
    i += width - 1;
  }
}

/**
 * An excerpt of about 160 characters around the first match, split into marked and plain parts.
 * A word is marked when it is a matched term, as the index reads it, or starts with one (so
 * "surgeries" marks "surgery" and "mobil" marks "mobile").
 */
export function buildExcerpt(text: string, matchedTerms: string[], processTerm: TermProcessor = defaultProcessTerm): ExcerptPart[] {
  const terms = [...new Set(matchedTerms.map((t) => t.toLowerCase()))].filter((t) => t.length > 0);
  const initials = new Set(terms.map((t) => t[0]!));
  const matches: [number, number][] = [];
  /** Where the excerpt starts and ends: around the first match, once there is one. */
  const window = (first: number): [number, number] => {
    const from = first > 60 ? text.lastIndexOf(' ', first - 40) + 1 : 0;
    let to = Math.min(text.length, from + EXCERPT_LENGTH);
    if (to < text.length) {
      const space = text.lastIndexOf(' ', to);
      if (space > from + EXCERPT_LENGTH / 2) to = space;
    }
    return [from, to];
  };
  let end = Infinity;
  if (terms.length > 0) {
    // Words after the excerpt's end are never shown: the scan stops there. A stem starts with
    // its word's first letter, except "not" (from "doesn", "cannot"), so only words that start
    // with a term's first letter are read further.
    const negation = terms.includes('not');
    eachWord(text, (from, to) => {
      if (from >= end) return false;
      if (!negation && !initials.has(text[from]!.toLowerCase())) return true;
      const lower = text.slice(from, to).toLowerCase();
      if (!terms.some((t) => lower.startsWith(t)) && !terms.includes(processTerm(lower)!)) return true;
      if (matches.length === 0) end = window(from)[1];
      matches.push([from, to]);
      return true;
    });
  }
  const [start, stop] = window(matches[0]?.[0] ?? -1);
  end = stop;
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
const fuzzy = (term: string): number => (term.length >= 10 ? 2 : term.length >= 4 ? 1 : 0);
/** Other words from a synonym group count a little less than the words typed. */
const SYNONYM_WEIGHT = 0.85;
/** A query "finds little" when it has fewer results than this, or finds them only through misspellings. */
const FEW_RESULTS = 3;
/** Answers remembered per index: an outage sends many patients to the same few searches. */
export const DEFAULT_CACHE_SIZE = 256;
/** An update that leaves more removed documents than this share of the live ones builds afresh. */
const MAX_REMOVED_SHARE = 0.25;
const MAX_UPDATES = 16;

/** What an index keeps for the next build to reuse (development mode). */
interface Reusable {
  index: InvertedIndex<SectionDocument>;
  stemming: boolean;
  processTerm: TermProcessor;
  /** Document number by section id. */
  numbers: Map<string, number>;
  /** Updates since the last full build: each added a segment. */
  updates: number;
}
const reusable = new WeakMap<SearchIndex, Reusable>();

/** Whether an index made elsewhere was made from these documents' fields, in this order. */
function madeFrom(prebuilt: PrebuiltIndex, documents: readonly SectionDocument[]): boolean {
  return (
    prebuilt.fields.length === documents.length &&
    documents.every((doc, i) => fieldsOf(doc).every((text, f) => text === prebuilt.fields[i]![f]))
  );
}

/**
 * The inverted index of the documents: the one made on a worker when it was made from them, or
 * the previous build's, with only the documents whose text changed removed and added again, when
 * there is one to reuse; otherwise a new one.
 */
function indexDocuments(
  documents: SectionDocument[],
  stemming: boolean,
  prior: Reusable | undefined,
  reusable: boolean,
  prebuilt?: PrebuiltIndex,
): Reusable {
  if (!prior && stemming && !reusable && prebuilt && madeFrom(prebuilt, documents)) {
    const processTerm = createTermProcessor({ stemming });
    const index = InvertedIndex.fromState(processTerm, prebuilt.state, documents);
    index.setOrder(documents.map((_, i) => i));
    return { index, stemming, processTerm, numbers: new Map(), updates: 0 };
  }
  const wasteful = prior && (prior.index.waste.removed > prior.index.size * MAX_REMOVED_SHARE || prior.updates >= MAX_UPDATES);
  if (!prior || prior.stemming !== stemming || wasteful) {
    const processTerm = createTermProcessor({ stemming });
    const index = new InvertedIndex<SectionDocument>(processTerm, reusable);
    const added = index.add(documents.map((doc) => ({ doc, fields: fieldsOf(doc) })));
    index.setOrder(added);
    // Only a later build reads the numbers: at 10,000 articles the map alone is several megabytes.
    const numbers = new Map(reusable ? documents.map((doc, i) => [doc.id, added[i]!]) : []);
    return { index, stemming, processTerm, numbers, updates: 0 };
  }
  const { index, numbers } = prior;
  const order: number[] = new Array<number>(documents.length);
  const kept = new Uint8Array(index.documentCount);
  const changed: number[] = [];
  documents.forEach((doc, i) => {
    const n = numbers.get(doc.id);
    const before = n === undefined || kept[n] ? undefined : index.fieldsOf(n);
    if (before && before[0] === doc.heading && before[1] === doc.title && before[2] === doc.body) {
      index.replace(n!, doc, before);
      kept[n!] = 1;
      order[i] = n!;
    } else changed.push(i);
  });
  for (const [id, n] of numbers) {
    if (kept[n]) continue;
    index.remove(n);
    numbers.delete(id);
  }
  if (changed.length > 0) {
    const added = index.add(changed.map((i) => ({ doc: documents[i]!, fields: fieldsOf(documents[i]!) })));
    changed.forEach((i, k) => {
      order[i] = added[k]!;
      numbers.set(documents[i]!.id, added[k]!);
    });
  }
  index.setOrder(order);
  return { index, stemming, processTerm: prior.processTerm, numbers, updates: prior.updates + 1 };
}

/**
 * Builds the full-text index of every section (see InvertedIndex). Given `previous`, the index
 * built last, it reuses that index and indexes again only the sections whose text changed; the
 * previous index must not be used after that.
 */
export function buildSearchIndex(documents: SectionDocument[], options: SearchIndexOptions = {}): SearchIndex {
  const prior = options.previous ? reusable.get(options.previous) : undefined;
  if (options.previous) reusable.delete(options.previous);
  const keep = options.reusable ?? true;
  const built = indexDocuments(documents, options.stemming ?? true, prior, keep, options.prebuilt);
  const { index, processTerm } = built;
  const synonyms = compileSynonyms(options.synonyms ?? [], processTerm);
  const taught = synonymTerms(synonyms);
  const vocabulary = vocabularyOf(
    () => index.wordCounts(),
    processTerm,
    (term) => index.has(term) || taught.has(term),
  );
  const byCode = new Map<string, SectionDocument>();
  for (const doc of documents) for (const code of doc.codes ?? []) byCode.set(code, doc);

  /** The index's query for the grouped words of a query: the last word also as a prefix, misspellings when allowed. */
  const queryFor = (groups: QueryGroup[], allowFuzzy: boolean): GroupQuery[] =>
    groups.map((group) => [
      {
        weight: 1,
        terms: termsOf(group.typed, processTerm).map((term) => ({
          term,
          prefix: group.last && term.length >= 3,
          fuzzy: allowFuzzy ? fuzzy(term) : 0,
        })),
      },
      ...group.alternatives.map((phrase) => ({
        weight: SYNONYM_WEIGHT,
        terms: termsOf(phrase, processTerm).map((term) => ({ term, prefix: false, fuzzy: 0 })),
      })),
    ]);

  const byHeadings = options.headings ?? true;
  /** Each section's heading as terms and as words, for the second look at the best matches. */
  const headings = new WeakMap<SectionDocument, { terms: string[]; words: string[] }>();
  const headingOf = (doc: SectionDocument): { terms: string[]; words: string[] } => {
    let heading = headings.get(doc);
    if (!heading) {
      heading = { terms: termsOf(doc.heading, processTerm), words: headingWords(doc.heading) };
      headings.set(doc, heading);
    }
    return heading;
  };
  const headingFactorFor = (text: string, groups: QueryGroup[]): ((doc: SectionDocument) => number) => {
    const weights = new Map<string, number>();
    const weightOf = (term: string): number => {
      let weight = weights.get(term);
      if (weight === undefined) {
        weight = distinctiveness(index.frequency(term), index.size);
        weights.set(term, weight);
      }
      return weight;
    };
    const wanted = headingQuery(text, groups, processTerm, weightOf);
    return (doc) => {
      const { terms, words } = headingOf(doc);
      return headingFactor(wanted, terms, words) * (doc.body.trim() === '' ? EMPTY_SECTION_FACTOR : 1);
    };
  };

  /**
   * Most queries are answered by the first attempt: every word (or a word meaning the same),
   * exactly or, for the last word, as a prefix. Then the same with words the index does not
   * know replaced by their closest spelling from its vocabulary; then misspellings matched
   * inside the index; and only then any of the words.
   */
  const searchText = (
    text: string,
    want: number,
  ): { found: RankedMatches<SectionDocument>; via: 'exact' | 'corrected' | 'fuzzy'; corrected?: string } => {
    const corrected = correctSpelling(text, vocabulary);
    const attempts: [string, 'AND' | 'OR', boolean, 'exact' | 'corrected' | 'fuzzy'][] = [[text, 'AND', false, 'exact']];
    if (corrected) attempts.push([corrected, 'AND', false, 'corrected']);
    // Misspellings are matched inside the index only while every word must match: a fuzzy "any
    // word" search over a large index costs far more and finds mostly noise.
    // When the index knows every word, a misspelling pass cannot help and only costs time.
    if (tokenize(text).some((word) => !vocabulary.knows(word))) attempts.push([text, 'AND', true, 'fuzzy']);
    attempts.push([corrected ?? text, 'OR', false, 'fuzzy']);
    let found: RankedMatches<SectionDocument> = { total: 0, has: () => false, page: () => [] };
    for (const [words, combineWith, allowFuzzy, via] of attempts) {
      const groups = groupQuery(words, synonyms, processTerm);
      if (groups.length === 0) continue;
      found = index.search(queryFor(groups, allowFuzzy), combineWith, Math.max(want, RERANKED));
      if (found.total > 0) return { found: byHeadings ? rerank(found, headingFactorFor(words, groups)) : found, via, corrected };
    }
    return { found, via: 'fuzzy', corrected };
  };

  const search = (query: string, requestedPage = 1): SearchResults => {
    const { codes: mentioned, words, onlyCodes } = codesInQuery(query);
    const known = mentioned.filter((m) => byCode.has(m.code)).map((m) => m.code);
    const unknownCodes = mentioned.filter((m) => !byCode.has(m.code) && (m.explicit || onlyCodes)).map((m) => m.code);
    const text = mentioned.length > 0 ? words : query;
    const { found, via, corrected } = onlyCodes
      ? {
          found: { total: 0, has: () => false, page: () => [] } as RankedMatches<SectionDocument>,
          via: 'exact' as const,
          corrected: undefined,
        }
      : searchText(text, Math.max(1, Math.floor(requestedPage) || 1) * PAGE_SIZE + known.length);
    const first = known.map((code) => byCode.get(code)!);
    const firstIds = new Set(first.map((doc) => doc.id));
    // The sections shown first may also be among the text matches: they are left out there.
    const from = (page: number): number => (page - 1) * PAGE_SIZE;
    const textHits = (start: number, count: number): { doc: SectionDocument; terms: string[] }[] => {
      const shownFirst = first.length;
      if (count <= 0) return [];
      // Enough text matches to fill the page after leaving out those shown first.
      const ranked = found.page(0, start - shownFirst + count + firstIds.size);
      return ranked.filter(({ doc }) => !firstIds.has(doc.id)).slice(Math.max(0, start - shownFirst), start - shownFirst + count);
    };
    const overlap = first.filter((doc) => found.has(built.numbers.get(doc.id)!)).length;
    const restTotal = found.total - overlap;
    const total = first.length + restTotal;
    const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pageCount);
    const start = from(page);
    const hits: SearchHit[] = [];
    for (let i = start; i < Math.min(first.length, start + PAGE_SIZE); i += 1) {
      const doc = first[i]!;
      hits.push({ href: doc.id, heading: doc.heading, title: doc.title, excerpt: buildExcerpt(doc.body, [], processTerm), code: known[i] });
    }
    for (const { doc, terms } of textHits(Math.max(start, first.length), start + PAGE_SIZE - Math.max(start, first.length))) {
      hits.push({ href: doc.id, heading: doc.heading, title: doc.title, excerpt: buildExcerpt(doc.body, terms, processTerm) });
    }
    // "Did you mean": when the words as typed found nothing, or little, and the closest spellings
    // the index knows find more.
    let suggestion: string | undefined;
    if (corrected && via === 'corrected') suggestion = corrected;
    else if (corrected && (via === 'fuzzy' || restTotal < FEW_RESULTS)) {
      const better = index.search(queryFor(groupQuery(corrected, synonyms, processTerm), false), via === 'fuzzy' ? 'OR' : 'AND', 1);
      if (better.total > restTotal || (via === 'fuzzy' && better.total > 0)) suggestion = corrected;
    }
    return { total, page, pageCount, hits, codes: known, unknownCodes, suggestion };
  };

  const cache = new Map<string, SearchAnswer>();
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  const answer = (query: string, page: number): SearchAnswer => {
    if (query.trim() === '') return { kind: 'empty' };
    const { codes, onlyCodes } = codesInQuery(query);
    if (onlyCodes && codes.length === 1) {
      const { code } = codes[0]!;
      const doc = byCode.get(code);
      return doc ? { kind: 'code', code, href: doc.id } : { kind: 'unknown-code', code };
    }
    return { kind: 'results', results: search(query, page) };
  };

  const searchIndex: SearchIndex = {
    size: documents.length,
    search,
    answer(query, page = 1) {
      if (cacheSize <= 0) return answer(query, page);
      const key = `${page}\u0000${query}`;
      let answered = cache.get(key);
      if (answered) cache.delete(key);
      else {
        answered = answer(query, page);
        if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
      }
      cache.set(key, answered);
      return answered;
    },
  };
  if (keep) reusable.set(searchIndex, built);
  return searchIndex;
}
