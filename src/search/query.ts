import type { Synonyms } from './synonyms';
import type { TermProcessor } from './terms';
import { tokenize } from './terms';

/** A synonym phrase as the index reads it. */
interface Phrase {
  text: string;
  terms: string[];
}

/** Synonym phrases by their first term, longest first, for matching against a query. */
export type SynonymTable = Map<string, { phrase: Phrase; group: Phrase[] }[]>;

export function compileSynonyms(synonyms: Synonyms, processTerm: TermProcessor): SynonymTable {
  const table: SynonymTable = new Map();
  for (const group of synonyms) {
    const phrases = group.map((text) => ({
      text,
      terms: tokenize(text)
        .map(processTerm)
        .filter((term): term is string => Boolean(term)),
    }));
    for (const phrase of phrases) {
      const first = phrase.terms[0];
      if (!first) continue;
      table.set(first, [...(table.get(first) ?? []), { phrase, group: phrases }]);
    }
  }
  for (const entries of table.values()) entries.sort((a, b) => b.phrase.terms.length - a.phrase.terms.length);
  return table;
}

/** One word of a query, or one phrase from a synonym group, and what else it may be written as. */
export interface QueryGroup {
  /** What was typed: a word, or the words of a phrase found in the synonyms. */
  typed: string;
  /** Other words and phrases of its synonym group. */
  alternatives: string[];
  /** The last word of the query, which may still be being typed. */
  last: boolean;
}

/**
 * Splits a query into the words it searches for, reading the longest synonym phrase at each
 * point first: "how do I sign up for an account" gives "sign up" (or "register", or "create an
 * account") and "account". Words search ignores ("how", "do", "I") are dropped.
 */
export function groupQuery(query: string, synonyms: SynonymTable, processTerm: TermProcessor): QueryGroup[] {
  const words = tokenize(query)
    .map((word) => ({ word, term: processTerm(word) }))
    .filter((w): w is { word: string; term: string } => Boolean(w.term));
  const groups: QueryGroup[] = [];
  for (let i = 0; i < words.length;) {
    const candidates = synonyms.get(words[i]!.term) ?? [];
    const match = candidates.find(({ phrase }) => phrase.terms.every((term, k) => words[i + k]?.term === term));
    const length = match ? match.phrase.terms.length : 1;
    const typed = words
      .slice(i, i + length)
      .map((w) => w.word)
      .join(' ');
    const alternatives = match ? match.group.filter((p) => p !== match.phrase).map((p) => p.text) : [];
    i += length;
    groups.push({ typed, alternatives, last: i === words.length });
  }
  return groups;
}

/** Every term of every synonym phrase: words the content team has taught search, so never misspellings. */
export function synonymTerms(table: SynonymTable): Set<string> {
  const terms = new Set<string>();
  for (const entries of table.values()) for (const { phrase } of entries) for (const term of phrase.terms) terms.add(term);
  return terms;
}
