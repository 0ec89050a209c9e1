import MiniSearch from 'minisearch';
import type { TermProcessor } from './terms';
import { tokenize } from './terms';

/** The words of the indexed text, as written, with how often each appears. */
export interface Vocabulary {
  /** True when the index holds the term this word becomes. */
  knows(word: string): boolean;
  /** The closest word the index holds, one or two letters away; most used first. */
  closest(word: string): string | undefined;
}

const MIN_WORD = 4;

/**
 * A vocabulary from counts of every word indexed. Close spellings come from a small minisearch
 * index of the words themselves, so a misspelling is looked up with the same fuzzy matching
 * (edit distance over a radix tree) that search uses, not by comparing against every word.
 */
export function buildVocabulary(counts: Map<string, number>, processTerm: TermProcessor, known: Set<string> = new Set()): Vocabulary {
  const terms = new Set<string>(known);
  const words: { id: string; count: number }[] = [];
  for (const [word, count] of counts) {
    const term = processTerm(word);
    if (term) terms.add(term);
    if (word.length >= 3 && !/\d/.test(word)) words.push({ id: word, count });
  }
  const index = new MiniSearch<{ id: string; count: number }>({ fields: ['id'], storeFields: ['count'] });
  index.addAll(words);
  return {
    knows: (word) => {
      const term = processTerm(word);
      return term === null || terms.has(term);
    },
    closest(word) {
      const lower = word.toLowerCase();
      if (lower.length < MIN_WORD || /\d/.test(lower)) return undefined;
      const distance = lower.length >= 7 ? 2 : 1;
      let best: { word: string; distance: number; count: number } | undefined;
      for (const result of index.search(lower, { fuzzy: distance, prefix: false })) {
        const candidate = result.id as string;
        const d = editDistance(lower, candidate);
        const count = result.count as number;
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

/** Counts each word of a field's text as it is indexed. */
export function countWords(counts: Map<string, number>): (text: string) => string[] {
  return (text) => {
    const words = tokenize(text);
    for (const word of words) {
      const lower = word.toLowerCase();
      counts.set(lower, (counts.get(lower) ?? 0) + 1);
    }
    return words;
  };
}
