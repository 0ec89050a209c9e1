import SearchableMap from 'minisearch/SearchableMap';
import type { TermProcessor } from './terms';
import { ASCII_SEPARATOR, separatesAt } from './terms';

/**
 * A full-text index in typed arrays: for each term, the documents that hold it (in the order
 * they were added) and how often each of its fields does. It scores with BM25+ as minisearch
 * does (same parameters, same per-field weights and document frequencies), but keeps no object
 * per document and term, so that building it and scoring a word every section uses stay cheap.
 *
 * Documents are added in segments: a full build is one segment; an update removes changed
 * documents (they stay as tombstones, no longer counted) and adds their new versions as a new
 * segment. Document frequencies, field lengths and the number of documents always describe the
 * live documents only, so an updated index scores exactly as a full build of the same documents.
 */

/** A document's text, field by field: heading, article title, section text. */
export type FieldTexts = readonly [heading: string, title: string, body: string];

/** Heading ×4, article title ×2, section text ×1. */
const FIELD_BOOSTS = [4, 2, 1] as const;
const FIELDS = 3;
/** Where each field's count sits in a posting's packed term frequencies, and its largest count. */
const SHIFT = [24, 16, 0] as const;
const MAX_TF = [255, 255, 65535] as const;
/** minisearch's BM25+ parameters and its weights for prefix and misspelling matches. */
const K = 1.2;
const B = 0.7;
const D = 0.5;
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/** A word being typed matches at most this many longer terms (the most used ones). */
export const MAX_EXPANSIONS = 50;
/** Looking a document up in a term's postings costs about this many postings read in order. */
const PROBE_COST = 12;
/**
 * A query that would read more postings than this, for a first few pages, reads only each
 * common term's champions: the postings where it scores best. Matches are still counted exactly
 * (from a bit set per term); only documents that are nowhere near the top are left unscored.
 */
const CAPPED_ABOVE = 8000;
export const CHAMPIONS = 1000;
/** Deeper pages than this many results are ranked from every posting. */
const MAX_CAPPED_RANK = 200;
/** Documents per segment of a full build. */
const SEGMENT_SIZE = 16384;
/** Champion lists and bit sets kept, most recently used; dropped whenever the index changes. */
const TERMS_KEPT = 512;

/** A growable array of unsigned 32-bit integers. */
class Uint32List {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }
  /** Takes `values` as the list's contents, without copying them: nothing else may use them after. */
  adopt(values: Uint32Array): void {
    this.data = values;
    this.length = values.length;
  }
  /** Makes room for `size` values, zero-filled beyond the current length. */
  grow(size: number): void {
    if (size <= this.data.length) return;
    const next = new Uint32Array(Math.max(size, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

/** Postings of the documents added together, term by term (compressed sparse rows). */
interface Segment {
  firstDoc: number;
  docCount: number;
  /** Postings of term t are at offsets[t] .. offsets[t + 1]; terms added later have none. */
  offsets: Uint32Array;
  docs: Uint32Array;
  tfs: Uint32Array;
}

/** A segment being written (see InvertedIndex.writer): its postings in the order they were found. */
interface PendingSegment {
  firstDoc: number;
  pTerm: Uint32List;
  pDoc: Uint32List;
  pTf: Uint32List;
}

/** Adds documents to an index one at a time (see InvertedIndex.writer). */
export interface IndexWriter<T> {
  add(doc: T, fields: FieldTexts): number;
  close(): void;
}

/** What an index holds but its documents (see InvertedIndex.state). */
export interface IndexState {
  tokens: string[];
  hashes: Int32Array;
  terms: Int32Array;
  counts: Int32Array;
  slots: Int32Array;
  termText: string[];
  df: Uint32Array;
  lengths: Uint32Array;
  totals: number[];
  documents: number;
  segments: Segment[];
}

/** What a token of text reads as, remembered for every token seen. */
interface Token {
  /** The token as written. */
  raw: string;
  hash: number;
  /** The term id, or -1 for a word search ignores. */
  term: number;
  lower: string;
  /** The last field this token was counted in, for field lengths (distinct tokens, as minisearch counts them). */
  seen: number;
  /** How many times it occurs in live documents. */
  count: number;
}

/** One word of a query: the term, and whether it may be the start of a longer one or misspelt. */
export interface TermQuery {
  term: string;
  prefix: boolean;
  /** Edits allowed (0: none). */
  fuzzy: number;
}

/** Terms that must all match, weighted (1 as typed, less for another word meaning the same). */
export interface PhraseQuery {
  terms: TermQuery[];
  weight: number;
}

/** Phrases of which any may match: what was typed, or its synonyms. */
export type GroupQuery = PhraseQuery[];

export interface RankedMatches<T> {
  total: number;
  /** Whether document number `n` is among the matches. */
  has(n: number): boolean;
  /** Documents ranked `from` to `from + count`, best first, with the index terms each matched and its score. */
  page(from: number, count: number): { doc: T; terms: string[]; score: number }[];
}

const bitCount = (n: number): number => {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/**
 * Per-document working space for one query, made once per index size and reused: a phrase's,
 * a group's and the whole query's scores, what each document matched, and the documents
 * touched at each level. A stamp says whether a slot belongs to the current phrase, term,
 * group or query, so nothing is cleared between queries.
 */
class Scratch {
  readonly phraseScore: Float64Array;
  readonly phraseStamp: Int32Array;
  readonly phraseCount: Uint16Array;
  readonly phraseTerms: Uint32Array;
  readonly termStamp: Int32Array;
  readonly groupScore: Float64Array;
  readonly groupStamp: Int32Array;
  readonly groupTerms: Uint32Array;
  readonly queryScore: Float64Array;
  readonly queryStamp: Int32Array;
  readonly queryCount: Uint16Array;
  readonly queryTerms: Uint32Array;
  readonly queryGroups: Uint32Array;
  readonly phraseTouched: Uint32Array;
  readonly groupTouched: Uint32Array;
  readonly queryTouched: Uint32Array;
  private epoch = 0;
  constructor(readonly size: number) {
    this.phraseScore = new Float64Array(size);
    this.phraseStamp = new Int32Array(size);
    this.phraseCount = new Uint16Array(size);
    this.phraseTerms = new Uint32Array(size);
    this.termStamp = new Int32Array(size);
    this.groupScore = new Float64Array(size);
    this.groupStamp = new Int32Array(size);
    this.groupTerms = new Uint32Array(size);
    this.queryScore = new Float64Array(size);
    this.queryStamp = new Int32Array(size);
    this.queryCount = new Uint16Array(size);
    this.queryTerms = new Uint32Array(size);
    this.queryGroups = new Uint32Array(size);
    this.phraseTouched = new Uint32Array(size);
    this.groupTouched = new Uint32Array(size);
    this.queryTouched = new Uint32Array(size);
  }
  /** A stamp no slot holds yet. */
  next(): number {
    if (this.epoch >= 0x7ffffff0) {
      for (const stamps of [this.phraseStamp, this.termStamp, this.groupStamp, this.queryStamp]) stamps.fill(0);
      this.epoch = 0;
    }
    this.epoch += 1;
    return this.epoch;
  }
}

export class InvertedIndex<T> {
  /** Every token seen, and an open-addressing table of them by hash, looked up without slicing the text. */
  private readonly tokens: Token[] = [];
  private slots: Int32Array = new Int32Array(1 << 12);
  private readonly termIds = new Map<string, number>();
  private readonly termText: string[] = [];
  /** Live documents with each term, per field: [term * 3 + field]. */
  private readonly df = new Uint32List();
  private readonly docs: (T | undefined)[] = [];
  private readonly fields: (FieldTexts | undefined)[] = [];
  /** Distinct tokens per field: [doc * 3 + field]. */
  private readonly lengths = new Uint32List();
  private readonly deleted = new Uint32List();
  /** Each document's place in the list it was last given in: ties rank in that order. */
  private order = new Uint32Array(0);
  private readonly totals = [0, 0, 0];
  private alive = 0;
  private readonly segments: Segment[] = [];
  private tree: SearchableMap<number> | undefined;
  private norms: Float64Array[] | undefined;
  private stamp = 0;
  /** Scratch space for one document's term frequencies while it is added, and the terms it holds. */
  private scratch = new Uint32Array(1024);
  private readonly touched: number[] = [];
  private scratchFor: Scratch | undefined;
  private readonly champions = new Map<number, { docs: Uint32Array; tfs: Uint32Array }>();
  private readonly sets = new Map<number, Uint32Array>();

  /**
   * `updatable` (the default) keeps each document's text, for `remove` and `fieldsOf`; an index
   * that is never updated need not hold an array of them per document.
   */
  constructor(
    private readonly processTerm: TermProcessor,
    private readonly updatable = true,
  ) {}

  /** Live documents. */
  get size(): number {
    return this.alive;
  }

  /** Documents ever added, live or removed: document numbers are below this. */
  get documentCount(): number {
    return this.docs.length;
  }

  /** How many removed documents are still held, and in how many segments: when to build afresh. */
  get waste(): { removed: number } {
    return { removed: this.docs.length - this.alive };
  }

  /** Every word of live documents, lower case, with how often it occurs (for spelling suggestions). */
  wordCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { lower, count } of this.tokens) if (count > 0) counts.set(lower, (counts.get(lower) ?? 0) + count);
    return counts;
  }

  /**
   * Adds documents and returns their numbers. They are sorted into segments of at most
   * SEGMENT_SIZE documents, so that the sort's working set stays small as the site grows.
   */
  add(items: readonly { doc: T; fields: FieldTexts }[]): number[] {
    const writer = this.writer(items.length);
    const numbers = items.map(({ doc, fields }) => writer.add(doc, fields));
    writer.close();
    return numbers;
  }

  /**
   * Adds documents one at a time, as their text becomes known (see IndexWriter): `add` returns
   * each one's number; `close` makes what was added searchable. Nothing else may change the
   * index until then. `expected`, how many documents may come, sizes the first buffers.
   */
  writer(expected = 1024): IndexWriter<T> {
    let segment: PendingSegment | undefined;
    return {
      add: (doc, fields) => {
        segment ??= this.beginSegment(Math.min(expected, SEGMENT_SIZE));
        const n = this.analyseDocument(segment, doc, fields);
        if (this.docs.length - segment.firstDoc >= SEGMENT_SIZE) {
          this.endSegment(segment);
          segment = undefined;
        }
        return n;
      },
      close: () => {
        if (segment) this.endSegment(segment);
        segment = undefined;
      },
    };
  }

  /** A segment for about `documents` documents: room for 64 postings each, grown as needed. */
  private beginSegment(documents: number): PendingSegment {
    const capacity = Math.max(1024, documents * 64);
    return { firstDoc: this.docs.length, pTerm: new Uint32List(capacity), pDoc: new Uint32List(capacity), pTf: new Uint32List(capacity) };
  }

  /** Counts one document's terms into the segment's postings and the document frequencies. */
  private analyseDocument(segment: PendingSegment, doc: T, fields: FieldTexts): number {
    const { pTerm, pDoc, pTf } = segment;
    const touched = this.touched;
    const n = this.docs.length;
    this.docs.push(doc);
    this.fields.push(this.updatable ? fields : undefined);
    this.deleted.push(0);
    for (let f = 0; f < FIELDS; f += 1) {
      const length = this.analyse(fields[f]!, f, touched, 1);
      this.lengths.push(length);
      this.totals[f]! += length;
    }
    for (const term of touched) {
      const packed = this.scratch[term]!;
      pTerm.push(term);
      pDoc.push(n);
      pTf.push(packed);
      for (let f = 0; f < FIELDS; f += 1) if ((packed >>> SHIFT[f]!) & MAX_TF[f]!) this.df.data[term * FIELDS + f]! += 1;
      this.scratch[term] = 0;
    }
    touched.length = 0;
    this.alive += 1;
    return n;
  }

  /** Counting sort by term: each term's postings end up together, in document order. */
  private endSegment({ firstDoc, pTerm, pDoc, pTf }: PendingSegment): void {
    const termCount = this.termText.length;
    const offsets = new Uint32Array(termCount + 1);
    for (let i = 0; i < pTerm.length; i += 1) offsets[pTerm.data[i]! + 1]! += 1;
    for (let t = 0; t < termCount; t += 1) offsets[t + 1]! += offsets[t]!;
    const cursor = offsets.slice(0, termCount);
    const docs = new Uint32Array(pTerm.length);
    const tfs = new Uint32Array(pTerm.length);
    for (let i = 0; i < pTerm.length; i += 1) {
      const at = cursor[pTerm.data[i]!]!++;
      docs[at] = pDoc.data[i]!;
      tfs[at] = pTf.data[i]!;
    }
    this.segments.push({ firstDoc, docCount: this.docs.length - firstDoc, offsets, docs, tfs });
    this.changed();
  }

  /**
   * Everything the index holds but its documents and their text, in arrays that another thread
   * can be sent (the typed arrays can be transferred): see fromState. For an index made not
   * updatable, with no document removed. The state shares the index's own arrays: once they are
   * transferred, this index must not be used again.
   */
  state(): IndexState {
    if (this.updatable || this.alive !== this.docs.length)
      throw new Error('only an index made not updatable, with nothing removed, can be sent');
    return {
      tokens: this.tokens.map((token) => token.raw),
      hashes: Int32Array.from(this.tokens, (token) => token.hash),
      terms: Int32Array.from(this.tokens, (token) => token.term),
      counts: Int32Array.from(this.tokens, (token) => token.count),
      slots: this.slots,
      termText: this.termText,
      df: this.df.data.slice(0, this.df.length),
      lengths: this.lengths.data.slice(0, this.lengths.length),
      totals: [...this.totals],
      documents: this.docs.length,
      segments: this.segments,
    };
  }

  /** The typed arrays of a state, to transfer rather than copy. */
  static transferList(state: IndexState): ArrayBuffer[] {
    const buffers = [
      state.hashes,
      state.terms,
      state.counts,
      state.slots,
      state.df,
      state.lengths,
      ...state.segments.flatMap((s) => [s.offsets, s.docs, s.tfs]),
    ];
    return [...new Set(buffers.map((array) => array.buffer as ArrayBuffer))];
  }

  /**
   * The index a state was taken from (see state), made not updatable, holding `docs` as its
   * documents: docs[n] for document number n. `processTerm` must be what that index used. The
   * index takes the state's arrays as its own: nothing else may use them after.
   */
  static fromState<T>(processTerm: TermProcessor, state: IndexState, docs: readonly T[]): InvertedIndex<T> {
    if (docs.length !== state.documents) throw new Error(`the state holds ${state.documents} documents, not ${docs.length}`);
    const index = new InvertedIndex<T>(processTerm, false);
    state.tokens.forEach((raw, i) => {
      index.tokens.push({ raw, hash: state.hashes[i]!, term: state.terms[i]!, lower: raw.toLowerCase(), seen: 0, count: state.counts[i]! });
    });
    index.slots = state.slots;
    state.termText.forEach((term, id) => {
      index.termIds.set(term, id);
      index.termText.push(term);
    });
    index.df.adopt(state.df);
    index.lengths.adopt(state.lengths);
    index.deleted.adopt(new Uint32Array(docs.length));
    for (const doc of docs) {
      index.docs.push(doc);
      index.fields.push(undefined);
    }
    state.totals.forEach((total, f) => (index.totals[f] = total));
    index.alive = docs.length;
    index.segments.push(...state.segments);
    if (index.scratch.length < index.termText.length) index.scratch = new Uint32Array(index.termText.length * 2);
    return index;
  }

  /** Removes a document: it is no longer found or counted. */
  remove(n: number): void {
    if (!this.updatable) throw new Error('an index made not updatable keeps no text to remove a document by');
    const fields = this.fields[n];
    if (!fields || this.deleted.data[n]) return;
    this.deleted.data[n] = 1;
    const touched: number[] = [];
    for (let f = 0; f < FIELDS; f += 1) {
      this.analyse(fields[f]!, f, touched, -1);
      this.totals[f]! -= this.lengths.data[n * FIELDS + f]!;
    }
    for (const term of touched) {
      const packed = this.scratch[term]!;
      for (let f = 0; f < FIELDS; f += 1) if ((packed >>> SHIFT[f]!) & MAX_TF[f]!) this.df.data[term * FIELDS + f]! -= 1;
      this.scratch[term] = 0;
    }
    this.docs[n] = undefined;
    this.fields[n] = undefined;
    this.alive -= 1;
    this.changed();
  }

  /** Statistics changed: what was worked out from them is out of date. */
  private changed(): void {
    this.norms = undefined;
    this.champions.clear();
    this.sets.clear();
  }

  /** The text document `n` was indexed with, while it is live. */
  fieldsOf(n: number): FieldTexts | undefined {
    return this.fields[n];
  }

  /** Replaces the document kept for number `n` (the same text, from a newer build). */
  replace(n: number, doc: T, fields: FieldTexts): void {
    this.docs[n] = doc;
    this.fields[n] = fields;
  }

  /** Sets the order ties rank in: document numbers in the order of the current list. */
  setOrder(numbers: readonly number[]): void {
    this.order = new Uint32Array(this.docs.length);
    numbers.forEach((n, i) => {
      this.order[n] = i;
    });
  }

  /**
   * Counts one field's tokens into the scratch term frequencies and the word counts (`sign` 1
   * when adding, -1 when removing), and returns its length: its distinct tokens.
   */
  private analyse(text: string, field: number, touched: number[], sign: 1 | -1): number {
    const stamp = ++this.stamp;
    const shift = SHIFT[field]!;
    const max = MAX_TF[field]!;
    const step = 2 ** shift;
    let length = 0;
    let start = -1;
    let hash = 0;
    const end = text.length;
    for (let i = 0; i <= end; i += 1) {
      const code = i < end ? text.charCodeAt(i) : 32;
      if (!(code < 128 ? ASCII_SEPARATOR[code] === 1 : separatesAt(text, i))) {
        if (start < 0) {
          start = i;
          hash = 0x811c9dc5;
        }
        hash = Math.imul(hash ^ code, 0x01000193);
        if (code >= 0xd800 && code < 0xdc00 && i + 1 < end) {
          i += 1;
          hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
        }
        continue;
      }
      if (start < 0) continue;
      const token = this.find(text, start, i, hash);
      start = -1;
      token.count += sign;
      const term = token.term;
      if (term < 0) continue;
      if (token.seen !== stamp) {
        token.seen = stamp;
        length += 1;
      }
      const packed = this.scratch[term]!;
      if (packed === 0) touched.push(term);
      if (((packed >>> shift) & max) < max) this.scratch[term] = packed + step;
    }
    return length;
  }

  /** The token text.slice(from, to), whose hash is `hash`: found in the table, or added to it. */
  private find(text: string, from: number, to: number, hash: number): Token {
    const mask = this.slots.length - 1;
    const length = to - from;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const slot = this.slots[at]!;
      if (slot === 0) {
        const token = this.token(text.slice(from, to), hash);
        this.slots[at] = this.tokens.length;
        if (this.tokens.length * 2 > this.slots.length) this.rehash();
        return token;
      }
      const token = this.tokens[slot - 1]!;
      if (token.hash === hash && token.raw.length === length && text.startsWith(token.raw, from)) return token;
    }
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    this.tokens.forEach((token, i) => {
      let at = token.hash & mask;
      while (this.slots[at] !== 0) at = (at + 1) & mask;
      this.slots[at] = i + 1;
    });
  }

  private token(raw: string, hash: number): Token {
    const processed = this.processTerm(raw);
    let term = -1;
    if (processed) {
      term = this.termIds.get(processed) ?? -1;
      if (term < 0) {
        term = this.termText.length;
        this.termIds.set(processed, term);
        this.termText.push(processed);
        this.df.grow((term + 1) * FIELDS);
        this.df.length = (term + 1) * FIELDS;
        if (term >= this.scratch.length) {
          const next = new Uint32Array(this.scratch.length * 2);
          next.set(this.scratch);
          this.scratch = next;
        }
        this.tree?.set(processed, term);
      }
    }
    const token: Token = { raw, hash, term, lower: raw.toLowerCase(), seen: 0, count: 0 };
    this.tokens.push(token);
    return token;
  }

  /** True when some live document holds the term. */
  has(term: string): boolean {
    const id = this.termIds.get(term);
    return id !== undefined && this.documentFrequency(id) > 0;
  }

  /** How many live documents hold the term, in any field (0 for a term the index does not know). */
  frequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.documentFrequency(id);
  }

  private documentFrequency(id: number): number {
    const df = this.df.data;
    return Math.max(df[id * FIELDS]!, df[id * FIELDS + 1]!, df[id * FIELDS + 2]!);
  }

  private terms(): SearchableMap<number> {
    if (!this.tree) {
      this.tree = new SearchableMap<number>();
      for (const [term, id] of this.termIds) this.tree.set(term, id);
    }
    return this.tree;
  }

  /** The index terms a word of the query matches, each with its weight, as minisearch weighs them. */
  private expand(query: TermQuery): [number, number][] {
    const found: [number, number][] = [];
    const exact = this.termIds.get(query.term);
    if (exact !== undefined) found.push([exact, 1]);
    const prefixed = new Set<string>();
    if (query.prefix) {
      const longer: [number, number, number][] = [];
      for (const [term, id] of this.terms().atPrefix(query.term)) {
        if (term === query.term) continue;
        prefixed.add(term);
        const distance = term.length - query.term.length;
        longer.push([id, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance), this.documentFrequency(id)]);
      }
      if (longer.length > MAX_EXPANSIONS) longer.sort((a, b) => b[2] - a[2]).length = MAX_EXPANSIONS;
      for (const [id, weight] of longer) found.push([id, weight]);
    }
    if (query.fuzzy > 0) {
      for (const [term, [id, distance]] of this.terms().fuzzyGet(query.term, query.fuzzy)) {
        if (distance === 0 || prefixed.has(term)) continue;
        found.push([id, (FUZZY_WEIGHT * term.length) / (term.length + distance)]);
      }
    }
    return found;
  }

  private fieldNorms(): Float64Array[] {
    if (!this.norms) {
      const count = this.docs.length;
      const lengths = this.lengths.data;
      this.norms = [0, 1, 2].map((f) => {
        const average = this.alive > 0 ? this.totals[f]! / this.alive : 1;
        const norm = new Float64Array(count);
        for (let n = 0; n < count; n += 1) norm[n] = K * (1 - B + (B * lengths[n * FIELDS + f]!) / (average || 1));
        return norm;
      });
    }
    return this.norms;
  }

  /**
   * Adds the score of every live document holding term `id` to the current phrase's scores, and
   * counts the word matched once per document; returns how many documents the phrase touched.
   */
  private scoreInto(
    x: Scratch,
    id: number,
    weight: number,
    bit: number,
    phraseStamp: number,
    termStamp: number,
    touched: number,
    /** Look up only the first `probe` documents of the query's matches so far (-1: read every posting). */
    probe: number,
    /** Read only the term's champions, when it has more postings than that. */
    champions: boolean,
  ): number {
    const scoreOf = this.scorer(id, weight);
    const deleted = this.deleted.data;
    const { phraseStamp: pStamp, phraseScore, phraseCount, phraseTerms, phraseTouched, termStamp: tStamp, queryTouched } = x;
    let count = touched;
    const visit = (doc: number, tf: number): void => {
      const score = scoreOf(doc, tf);
      if (pStamp[doc] !== phraseStamp) {
        pStamp[doc] = phraseStamp;
        phraseScore[doc] = score;
        phraseCount[doc] = 1;
        phraseTerms[doc] = bit;
        tStamp[doc] = termStamp;
        phraseTouched[count++] = doc;
      } else {
        phraseScore[doc]! += score;
        if (tStamp[doc] !== termStamp) {
          tStamp[doc] = termStamp;
          phraseCount[doc]! += 1;
          phraseTerms[doc]! |= bit;
        }
      }
    };
    if (champions && probe < 0) {
      const best = this.championsOf(id);
      for (let i = 0; i < best.docs.length; i += 1) visit(best.docs[i]!, best.tfs[i]!);
      return count;
    }
    for (const segment of this.segments) {
      if (id + 1 >= segment.offsets.length) continue;
      const { docs, tfs, firstDoc, docCount } = segment;
      const start = segment.offsets[id]!;
      const end = segment.offsets[id + 1]!;
      if (probe < 0) {
        for (let p = start; p < end; p += 1) {
          const doc = docs[p]!;
          if (!deleted[doc]) visit(doc, tfs[p]!);
        }
        continue;
      }
      for (let i = 0; i < probe; i += 1) {
        const doc = queryTouched[i]!;
        if (doc < firstDoc || doc >= firstDoc + docCount) continue;
        const p = lowerBound(docs, start, end, doc);
        if (p < end && docs[p] === doc) visit(doc, tfs[p]!);
      }
    }
    return count;
  }

  /** The score of a document for term `id` from its packed term frequencies: BM25+ per field, as minisearch scores. */
  private scorer(id: number, weight: number): (doc: number, tf: number) => number {
    const [n0, n1, n2] = this.fieldNorms() as [Float64Array, Float64Array, Float64Array];
    const df = this.df.data;
    const idf = (f: number): number => {
      const matching = df[id * FIELDS + f]!;
      return Math.log(1 + (this.alive - matching + 0.5) / (matching + 0.5));
    };
    const w0 = weight * FIELD_BOOSTS[0] * idf(0);
    const w1 = weight * FIELD_BOOSTS[1] * idf(1);
    const w2 = weight * FIELD_BOOSTS[2] * idf(2);
    return (doc, tf) => {
      const h = tf >>> 24;
      const t = (tf >>> 16) & 255;
      const b = tf & 65535;
      let score = 0;
      if (h) score += w0 * (D + (h * (K + 1)) / (h + n0[doc]!));
      if (t) score += w1 * (D + (t * (K + 1)) / (t + n1[doc]!));
      if (b) score += w2 * (D + (b * (K + 1)) / (b + n2[doc]!));
      return score;
    };
  }

  /** Every live posting of term `id`, in document order. */
  private livePostings(id: number, visit: (doc: number, tf: number) => void): void {
    const deleted = this.deleted.data;
    for (const segment of this.segments) {
      if (id + 1 >= segment.offsets.length) continue;
      for (let p = segment.offsets[id]!, end = segment.offsets[id + 1]!; p < end; p += 1) {
        const doc = segment.docs[p]!;
        if (!deleted[doc]) visit(doc, segment.tfs[p]!);
      }
    }
  }

  /** A value kept per term, most recently used last, made when missing. */
  private kept<V>(cache: Map<number, V>, id: number, make: () => V): V {
    let value = cache.get(id);
    if (value === undefined) {
      value = make();
      if (cache.size >= TERMS_KEPT) cache.delete(cache.keys().next().value!);
    } else cache.delete(id);
    cache.set(id, value);
    return value;
  }

  /** The CHAMPIONS postings of term `id` that score best for it, in document order. */
  private championsOf(id: number): { docs: Uint32Array; tfs: Uint32Array } {
    return this.kept(this.champions, id, () => {
      const scoreOf = this.scorer(id, 1);
      const docs: number[] = [];
      const tfs: number[] = [];
      const scores: number[] = [];
      this.livePostings(id, (doc, tf) => {
        docs.push(doc);
        tfs.push(tf);
        scores.push(scoreOf(doc, tf));
      });
      const best = topMatches(docs.length, CHAMPIONS, (i, j) => scores[i]! < scores[j]! || (scores[i] === scores[j] && i > j));
      best.sort((i, j) => i - j);
      return { docs: Uint32Array.from(best, (i) => docs[i]!), tfs: Uint32Array.from(best, (i) => tfs[i]!) };
    });
  }

  /** The live documents holding term `id`, one bit each. */
  private setOf(id: number): Uint32Array {
    return this.kept(this.sets, id, () => {
      const set = new Uint32Array((this.docs.length + 31) >>> 5);
      this.livePostings(id, (doc) => {
        set[doc >>> 5]! |= 1 << (doc & 31);
      });
      return set;
    });
  }

  /** The documents matching the expanded query, counted exactly from bit sets. */
  private matchSet(expanded: { expansions: [number, number][] }[][][], combineWith: 'AND' | 'OR'): Uint32Array {
    const words = (this.docs.length + 31) >>> 5;
    let query: Uint32Array | undefined;
    for (const group of expanded) {
      const groupSet = new Uint32Array(words);
      for (const phrase of group) {
        let phraseSet: Uint32Array | undefined;
        for (const { expansions } of phrase) {
          const termSet = new Uint32Array(words);
          for (const [id] of expansions) {
            const set = this.setOf(id);
            for (let w = 0; w < words; w += 1) termSet[w]! |= set[w]!;
          }
          if (!phraseSet) phraseSet = termSet;
          else for (let w = 0; w < words; w += 1) phraseSet[w]! &= termSet[w]!;
        }
        if (phraseSet) for (let w = 0; w < words; w += 1) groupSet[w]! |= phraseSet[w]!;
      }
      if (!query) query = groupSet;
      else if (combineWith === 'AND') for (let w = 0; w < words; w += 1) query[w]! &= groupSet[w]!;
      else for (let w = 0; w < words; w += 1) query[w]! |= groupSet[w]!;
    }
    return query ?? new Uint32Array(words);
  }

  /** How many postings term `id` has, live or not. */
  private postingCount(id: number): number {
    let count = 0;
    for (const segment of this.segments) if (id + 1 < segment.offsets.length) count += segment.offsets[id + 1]! - segment.offsets[id]!;
    return count;
  }

  private scratchSpace(): Scratch {
    if (!this.scratchFor || this.scratchFor.size < this.docs.length) this.scratchFor = new Scratch(this.docs.length);
    return this.scratchFor;
  }

  /**
   * Every live document matching the groups (all of them, or any), ranked: the sum of its scores
   * for each word, multiplied by the number of words of the query it matched, or, when a group
   * has synonyms, by the number of groups it matched (so a section that names a thing three
   * ways does not outrank one that answers the whole question). A phrase matches when all its
   * words do; a group scores the sum of the phrases it matched. The answer is valid until the
   * next search of this index.
   */
  search(groups: readonly GroupQuery[], combineWith: 'AND' | 'OR', want = Infinity): RankedMatches<T> {
    const x = this.scratchSpace();
    const bits = new Map<string, number>();
    const bitOf = (term: string): number => {
      let bit = bits.get(term);
      if (bit === undefined) {
        bit = 2 ** Math.min(bits.size, 31);
        bits.set(term, bit);
      }
      return bit;
    };
    const derived = new Set<number>();
    const queryStamp = x.next();
    let queryTouched = 0;
    // Each word's expansions, and how many postings each group would read.
    const expanded = groups.map((group) =>
      group.map((phrase) => phrase.terms.map((query) => ({ bit: bitOf(query.term), expansions: this.expand(query) }))),
    );
    const postings = expanded.map((group) =>
      group.reduce(
        (sum, phrase) => sum + phrase.reduce((n, term) => n + term.expansions.reduce((m, [id]) => m + this.postingCount(id), 0), 0),
        0,
      ),
    );
    // Under AND, the group with the fewest postings goes first: the others need only be looked up
    // for the documents it matched, when that is cheaper than reading their postings.
    const capped = want <= MAX_CAPPED_RANK && postings.reduce((a, b) => a + b, 0) > CAPPED_ABOVE;
    const sequence = groups.map((_, g) => g);
    if (combineWith === 'AND') sequence.sort((a, b) => postings[a]! - postings[b]!);
    sequence.forEach((g, step) => {
      const group = groups[g]!;
      const groupStamp = x.next();
      let groupTouched = 0;
      const lookups = expanded[g]!.reduce((sum, phrase) => sum + phrase.reduce((n, term) => n + term.expansions.length, 0), 0);
      const probe = step > 0 && combineWith === 'AND' && queryTouched * lookups * PROBE_COST < postings[g]! ? queryTouched : -1;
      group.forEach((phrase, k) => {
        const phraseStamp = x.next();
        let phraseTouched = 0;
        for (const { bit, expansions } of expanded[g]![k]!) {
          const termStamp = x.next();
          for (const [id, weight] of expansions) {
            derived.add(id);
            const champions = capped && this.postingCount(id) > CHAMPIONS;
            phraseTouched = this.scoreInto(x, id, weight, bit, phraseStamp, termStamp, phraseTouched, probe, champions);
          }
        }
        const needed = phrase.terms.length;
        for (let i = 0; i < phraseTouched; i += 1) {
          const doc = x.phraseTouched[i]!;
          if (x.phraseCount[doc]! < needed) continue;
          if (x.groupStamp[doc] !== groupStamp) {
            x.groupStamp[doc] = groupStamp;
            x.groupScore[doc] = 0;
            x.groupTerms[doc] = 0;
            x.groupTouched[groupTouched++] = doc;
          }
          x.groupScore[doc]! += x.phraseScore[doc]! * phrase.weight;
          x.groupTerms[doc]! |= x.phraseTerms[doc]!;
        }
      });
      const groupBit = 2 ** Math.min(g, 31);
      for (let i = 0; i < groupTouched; i += 1) {
        const doc = x.groupTouched[i]!;
        if (x.queryStamp[doc] !== queryStamp) {
          // Under AND, a document the first group did not match can never match.
          if (combineWith === 'AND' && step > 0) continue;
          x.queryStamp[doc] = queryStamp;
          x.queryScore[doc] = 0;
          x.queryCount[doc] = 0;
          x.queryTerms[doc] = 0;
          x.queryGroups[doc] = 0;
          x.queryTouched[queryTouched++] = doc;
        }
        x.queryScore[doc]! += x.groupScore[doc]!;
        x.queryCount[doc]! += 1;
        x.queryTerms[doc]! |= x.groupTerms[doc]!;
        x.queryGroups[doc]! |= groupBit;
      }
      if (combineWith === 'AND') {
        // Keep only the documents every group so far matched: the candidates for the next.
        let kept = 0;
        for (let i = 0; i < queryTouched; i += 1) {
          const doc = x.queryTouched[i]!;
          if (x.queryCount[doc] === step + 1) x.queryTouched[kept++] = doc;
        }
        queryTouched = kept;
      }
    });
    // The matches, and their final scores.
    const needed = combineWith === 'AND' ? groups.length : 1;
    const docs = new Uint32Array(queryTouched);
    let total = 0;
    for (let i = 0; i < queryTouched; i += 1) {
      const doc = x.queryTouched[i]!;
      if (x.queryCount[doc]! >= needed) docs[total++] = doc;
    }
    const found = docs.subarray(0, total);
    let has = (n: number): boolean => found.indexOf(n) >= 0;
    if (capped) {
      const set = this.matchSet(expanded, combineWith);
      let count = 0;
      for (let w = 0; w < set.length; w += 1) count += bitCount(set[w]!);
      // Too few scored to fill the pages asked for: score every posting.
      if (total < Math.min(want, count)) return this.search(groups, combineWith);
      total = count;
      has = (n) => ((set[n >>> 5]! >>> (n & 31)) & 1) === 1;
    }
    const bySynonym = groups.some((group) => group.length > 1);
    const scored = found.length;
    const scores = new Float64Array(scored);
    for (let i = 0; i < scored; i += 1) {
      const doc = found[i]!;
      scores[i] = x.queryScore[doc]! * bitCount(bySynonym ? x.queryGroups[doc]! : x.queryTerms[doc]!);
    }
    const order = this.order;
    /** True when match i ranks below match j. */
    const below = (i: number, j: number): boolean =>
      scores[i]! < scores[j]! || (scores[i] === scores[j] && (order[found[i]!] ?? 0) > (order[found[j]!] ?? 0));
    return {
      total,
      has,
      page: (from, count) =>
        topMatches(scored, from + count, below)
          .slice(from)
          .map((i) => {
            const doc = found[i]!;
            // Worked out only for the hits shown: a second look reads more matches than it shows.
            let terms: string[] | undefined;
            const termsOf = (): string[] => (terms ??= [...derived].filter((id) => this.holds(id, doc)).map((id) => this.termText[id]!));
            return {
              doc: this.docs[doc]!,
              score: scores[i]!,
              get terms() {
                return termsOf();
              },
            };
          }),
    };
  }

  /** Whether document `doc` holds term `id`. */
  private holds(id: number, doc: number): boolean {
    for (const segment of this.segments) {
      if (doc < segment.firstDoc || doc >= segment.firstDoc + segment.docCount) continue;
      if (id + 1 >= segment.offsets.length) return false;
      const end = segment.offsets[id + 1]!;
      const at = lowerBound(segment.docs, segment.offsets[id]!, end, doc);
      return at < end && segment.docs[at] === doc;
    }
    return false;
  }
}

/** The first position from `lo` to `hi` whose value is not below `value`, in ascending values. */
function lowerBound(values: Uint32Array, lo: number, hi: number, value: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first `k` of `length` items, best first, keeping only `k` at a time (a binary heap of the worst kept). */
export function topMatches(length: number, k: number, below: (i: number, j: number) => boolean): number[] {
  const size = Math.min(k, length);
  if (size <= 0) return [];
  const heap: number[] = [];
  const siftDown = (at: number): void => {
    for (;;) {
      const left = at * 2 + 1;
      const right = left + 1;
      let worst = at;
      if (left < heap.length && below(heap[left]!, heap[worst]!)) worst = left;
      if (right < heap.length && below(heap[right]!, heap[worst]!)) worst = right;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst]!, heap[at]!];
      at = worst;
    }
  };
  for (let i = 0; i < length; i += 1) {
    if (heap.length < size) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0;) {
        const parent = (at - 1) >>> 1;
        if (!below(heap[at]!, heap[parent]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (below(heap[0]!, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((i, j) => (below(i, j) ? 1 : below(j, i) ? -1 : 0));
}
