import type { RankedMatches } from './inverted-index';
import type { QueryGroup } from './query';
import type { TermProcessor } from './terms';
import { termsOf } from './terms';

/**
 * The second look at the best matches: BM25 scores each word on its own, so a heading that has
 * the query's distinctive words, next to each other, or that answers the kind of question asked
 * ("how do I …" → "How to …"), is not told apart from one that shares a common word and a
 * long text. The first RERANKED matches are scored again with what their headings say.
 */
export const RERANKED = 30;
/** How much a heading with every distinctive word of the query adds (×1.5 at most). */
const COVERAGE_BONUS = 0.5;
/** How much a heading with every pair of consecutive query words, in order, adds. */
const ADJACENT_BONUS = 0.25;
/** How much a heading of the kind the question asks for adds. */
const QUESTION_BONUS = 0.3;

/**
 * A section with no text of its own is a heading over the sections that follow it: it answers
 * nothing itself, so it ranks below a section under it that matches as well.
 */
export const EMPTY_SECTION_FACTOR = 0.75;

/** What a query looks for in headings. */
export interface HeadingQuery {
  /** Each group of the query: its phrases as terms (what was typed first), and how distinctive it is. */
  groups: { phrases: string[][]; weight: number; prefix: boolean }[];
  /** Consecutive words as typed, with how distinctive the pair is (the less distinctive word's weight). */
  pairs: { first: string; second: string; weight: number }[];
  /** How a heading that answers this kind of question starts ("how", "what you need"), as terms. */
  opener?: string[];
}

/**
 * Question forms and how headings that answer them start: "how do I delete …" is answered by
 * "How to delete …", "what is NHS login" by "What NHS login is", "what do I need" by
 * "What you need …". Matched on the lower-case query, before stop words are dropped.
 */
const QUESTIONS: [RegExp, string][] = [
  [/^(?:what do i need|what do you need|what i need|what will i need|what is needed)\b/, 'what you need'],
  [/^(?:how do i|how do you|how can i|how to|how should i|how would i|how)\b/, 'how'],
  [/^(?:what is|what are|what's|whats|what does|what)\b/, 'what'],
  [/^(?:why)\b/, 'why'],
];

/**
 * How distinctive a term is: its inverse document frequency over every field, as BM25 reads
 * it (a word in nearly every section, such as "NHS" or "login", weighs almost nothing).
 */
export function distinctiveness(documentFrequency: number, documents: number): number {
  if (documentFrequency <= 0) return 0;
  return Math.log(1 + (documents - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** What the query looks for in headings, from its groups; `weightOf` gives a term's distinctiveness. */
export function headingQuery(
  query: string,
  groups: QueryGroup[],
  processTerm: TermProcessor,
  weightOf: (term: string) => number,
): HeadingQuery {
  const typed = groups.map((group) => termsOf(group.typed, processTerm));
  const heading: HeadingQuery = { groups: [], pairs: [] };
  groups.forEach((group, g) => {
    const phrases = [typed[g]!, ...group.alternatives.map((text) => termsOf(text, processTerm))].filter((p) => p.length > 0);
    // A phrase weighs as its most distinctive word; a group as its phrase that the index knows best.
    const weights = phrases.map((terms) => (terms.some((t) => weightOf(t) === 0) ? 0 : Math.max(...terms.map(weightOf))));
    const known = weights.filter((w) => w > 0);
    const weight = weights[0]! > 0 ? weights[0]! : known.length > 0 ? Math.min(...known) : 0;
    heading.groups.push({ phrases, weight, prefix: group.last });
  });
  const words = typed.flat();
  for (let i = 0; i + 1 < words.length; i += 1) {
    const weight = Math.min(weightOf(words[i]!), weightOf(words[i + 1]!));
    if (weight > 0 && words[i] !== words[i + 1]) heading.pairs.push({ first: words[i]!, second: words[i + 1]!, weight });
  }
  const asked = query.toLowerCase().replace(/[’']/g, "'").trim();
  const question = QUESTIONS.find(([pattern]) => pattern.test(asked));
  if (question) heading.opener = question[1].split(' ');
  return heading;
}

/**
 * How much better a heading answers the query than its BM25 score says, as a factor of 1 or
 * more: for the share of the query's distinctive weight its words cover, for pairs of
 * consecutive query words it has in the same order, and for starting as the question's answer
 * does. `terms` are the heading's terms; `words` its lower-case words, stop words included.
 */
export function headingFactor(query: HeadingQuery, terms: string[], words: string[]): number {
  let total = 0;
  let covered = 0;
  const has = new Set(terms);
  for (let g = 0; g < query.groups.length; g += 1) {
    const { phrases, weight, prefix } = query.groups[g]!;
    total += weight;
    if (weight === 0) continue;
    const inHeading = phrases.some((phrase, p) =>
      phrase.every((term, k) => has.has(term) || (prefix && p === 0 && k === phrase.length - 1 && terms.some((t) => t.startsWith(term)))),
    );
    if (inHeading) covered += weight;
  }
  let factor = 1;
  if (total > 0) factor += (COVERAGE_BONUS * covered) / total;
  if (query.pairs.length > 0 && total > 0) {
    let adjacent = 0;
    let pairTotal = 0;
    for (const { first, second, weight } of query.pairs) {
      pairTotal += weight;
      for (let i = 0; i + 1 < terms.length; i += 1) {
        if (terms[i] === first && terms[i + 1] === second) {
          adjacent += weight;
          break;
        }
      }
    }
    factor += (ADJACENT_BONUS * adjacent) / pairTotal;
  }
  if (query.opener && query.opener.every((word, i) => words[i] === word)) factor += QUESTION_BONUS;
  return factor;
}

/** The lower-case words of a heading, stop words included. */
export function headingWords(heading: string): string[] {
  return heading
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter((w) => w.length > 0);
}

/**
 * The matches with the first RERANKED ordered again by score × `factor(doc)` (ties keep their
 * order); those below keep theirs. Counting and `has` are unchanged.
 */
export function rerank<T>(found: RankedMatches<T>, factor: (doc: T) => number): RankedMatches<T> {
  let best: { doc: T; terms: string[]; score: number }[] | undefined;
  return {
    total: found.total,
    has: (n) => found.has(n),
    page: (from, count) => {
      if (!best) {
        best = found
          .page(0, RERANKED)
          .map((hit, i) => ({ hit, i, score: hit.score * factor(hit.doc) }))
          .sort((a, b) => b.score - a.score || a.i - b.i)
          .map(({ hit }) => hit);
      }
      if (from + count <= best.length) return best.slice(from, from + count);
      return [...best, ...found.page(best.length, from + count - best.length)].slice(from, from + count);
    },
  };
}
