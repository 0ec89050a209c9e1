import SearchableMap from 'minisearch/SearchableMap';
import type { TermProcessor } from './terms';

/** The words of the indexed text, as written, with how often each appears. */
export interface Vocabulary {
  /** True when the index holds the term this word becomes. */
  knows(word: string): boolean;
  /** The closest word the index holds, one or two letters away; most used first. */
  closest(word: string): string | undefined;
}

const MIN_WORD = 4;

/**
 * A vocabulary from counts of every word indexed (see vocabularyOf); `known` adds terms the
 * content team taught search (synonyms), which are never misspellings.
 */
export function buildVocabulary(
  counts: ReadonlyMap<string, number>,
  processTerm: TermProcessor,
  known: Set<string> = new Set(),
): Vocabulary {
  const terms = new Set<string>(known);
  for (const word of counts.keys()) {
    const term = processTerm(word);
    if (term) terms.add(term);
  }
  return vocabularyOf(
    () => counts,
    processTerm,
    (term) => terms.has(term),
  );
}

/**
 * A vocabulary that knows a word when `knowsTerm` knows the term it becomes. Close spellings come
 * from a radix tree of the words counted (made on the first look-up, so start-up does not pay
 * for it), looked up with the same edit-distance search over a tree that search uses, not by
 * comparing against every word.
 */
export function vocabularyOf(
  counts: () => ReadonlyMap<string, number>,
  processTerm: TermProcessor,
  knowsTerm: (term: string) => boolean,
): Vocabulary {
  let tree: SearchableMap<number> | undefined;
  const words = (): SearchableMap<number> => {
    if (!tree) {
      tree = new SearchableMap<number>();
      for (const [word, count] of counts()) if (word.length >= 3 && !/\d/.test(word)) tree.set(word, count);
    }
    return tree;
  };
  return {
    knows: (word) => {
      const term = processTerm(word);
      return term === null || knowsTerm(term);
    },
    closest(word) {
      const lower = word.toLowerCase();
      if (lower.length < MIN_WORD || /\d/.test(lower)) return undefined;
      const distance = lower.length >= 7 ? 2 : 1;
      let best: { word: string; distance: number; count: number } | undefined;
      for (const [candidate, [count]] of words().fuzzyGet(lower, distance)) {
        const d = editDistance(lower, candidate);
        if (candidate === lower || d > distance) continue;
        if (!best || d < best.distance || (d === best.distance && count > best.count)) best = { word: candidate, distance: d, count };
      }
      return best?.word;
    },
  };
}

/** Levenshtein distance with adjacent swaps counted as one edit ("pasword", "pssaword"). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The query with each word the index does not know replaced by its closest known spelling, or
 * undefined when there is nothing to correct. Words, spacing and case elsewhere are kept.
 */
export function correctSpelling(query: string, vocabulary: Vocabulary): string | undefined {
  let changed = false;
  const corrected = query.replace(/[\p{L}\p{N}]+/gu, (word) => {
    if (vocabulary.knows(word)) return word;
    const closest = vocabulary.closest(word);
    if (!closest) return word;
    changed = true;
    return closest;
  });
  return changed ? corrected : undefined;
}
