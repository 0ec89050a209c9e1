/**
 * Reading age of body text: the Flesch-Kincaid grade level plus 5.
 *
 * Syllables are counted by the `syllable` package (words/syllable); the formula is
 * Flesch-Kincaid (1975): 0.39 × words per sentence + 11.8 × syllables per word − 15.59.
 * A block of text (a paragraph, a list item, a line of a table) always ends a sentence,
 * so list items without a full stop are sentences of their own.
 */

import countSyllablesInWord from 'syllable';

/** A block of body text and the line it starts on. Line breaks inside it are `\n`. */
export interface ProseBlock {
  text: string;
  line: number;
}

export interface Sentence {
  text: string;
  line: number;
  words: number;
}

export interface Readability {
  words: number;
  sentences: number;
  syllables: number;
  /** Flesch-Kincaid grade, or 0 when there is no text. */
  grade: number;
  /** Grade + 5, rounded to one decimal place. */
  readingAge: number;
  /** Sentences longer than the `maxWords` asked for. */
  longSentences: Sentence[];
}

/** What the difference between grade and reading age is: a US grade 1 reader is about 6. */
export const GRADE_TO_AGE = 5;

const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;
/** A sentence ends at . ! or ? (perhaps followed by a closing quote or bracket) and a space. */
const SENTENCE_END = /[.!?]+["'’”)\]]*(?=\s|$)/g;

/** The words of a piece of text: runs of letters and digits, with inner apostrophes, hyphens and dots. */
export function wordsOf(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Syllables in one word, at least 1 (numbers and codes count as one). */
export function syllablesOf(word: string): number {
  if (/\d/.test(word)) return 1;
  return Math.max(1, countSyllablesInWord(word));
}

/** Splits blocks into sentences, each with the line it starts on. Empty sentences are dropped. */
export function splitSentences(blocks: ProseBlock[]): Sentence[] {
  const sentences: Sentence[] = [];
  for (const block of blocks) {
    let start = 0;
    const push = (end: number): void => {
      const raw = block.text.slice(start, end);
      const words = wordsOf(raw).length;
      if (words > 0) {
        const lead = raw.length - raw.trimStart().length;
        const line = block.line + (block.text.slice(0, start + lead).match(/\n/g)?.length ?? 0);
        sentences.push({ text: raw.trim().replace(/\s+/g, ' '), line, words });
      }
      start = end;
    };
    for (const match of block.text.matchAll(SENTENCE_END)) push(match.index + match[0].length);
    push(block.text.length);
  }
  return sentences;
}

/** The Flesch-Kincaid grade level for counts of words, sentences and syllables. */
export function fleschKincaidGrade(words: number, sentences: number, syllables: number): number {
  if (words === 0 || sentences === 0) return 0;
  return 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59;
}

/** Reading age (grade + 5) of some body text, and its sentences longer than `maxWords`. */
export function measureReadability(blocks: ProseBlock[], maxWords = 20): Readability {
  const sentences = splitSentences(blocks);
  let words = 0;
  let syllables = 0;
  for (const sentence of sentences) {
    const list = wordsOf(sentence.text);
    words += list.length;
    for (const word of list) syllables += syllablesOf(word);
  }
  const grade = fleschKincaidGrade(words, sentences.length, syllables);
  return {
    words,
    sentences: sentences.length,
    syllables,
    grade,
    readingAge: words === 0 ? 0 : Math.round((grade + GRADE_TO_AGE) * 10) / 10,
    longSentences: sentences.filter((s) => s.words > maxWords),
  };
}
