import stem from 'wink-porter2-stemmer';

/**
 * Words that carry no meaning in a help search, dropped from the index and from queries alike.
 * Question words are here because patients ask questions ("how do I ..."), and no heading is
 * found by its "how" or "what does it mean". "not" is kept: "does not work" is what many headings say.
 */
export const STOP_WORDS = new Set(
  'a about am an and any are as at be been but by can could did do does doing for from had has have how i if im in into is it its me mean means meaning my need needs of on or our say said says so than that the their them then there these they this to want was we were what when where which who why will with would you your'.split(
    ' ',
  ),
);

/**
 * The halves of "doesn't", "can't", "won't" that are left when an apostrophe splits a word, and
 * the same words typed without one. They all mean "not", which is what the articles say.
 */
const NEGATIONS = new Set(
  'doesn don didn isn wasn aren weren won wouldn couldn shouldn hasn haven hadn cant cannot dont doesnt didnt isnt wont wasnt arent couldnt wouldnt'.split(
    ' ',
  ),
);

/** Where minisearch splits text into words: line breaks, spaces and punctuation. */
const SEPARATOR = /[\n\r\p{Z}\p{P}]/u;
/** For each ASCII character, 1 when it separates words. */
export const ASCII_SEPARATOR = Uint8Array.from({ length: 128 }, (_, code) => (SEPARATOR.test(String.fromCharCode(code)) ? 1 : 0));
const separates = new Map<number, boolean>();

/** Whether the character at `i` (not ASCII) separates words. */
export function separatesAt(text: string, i: number): boolean {
  const point = text.codePointAt(i)!;
  let known = separates.get(point);
  if (known === undefined) {
    known = SEPARATOR.test(String.fromCodePoint(point));
    if (separates.size < 10_000) separates.set(point, known);
  }
  return known;
}

/**
 * Calls `visit` with each word of the text, split the way minisearch's default tokenizer splits
 * (at line breaks, spaces and punctuation, keeping symbols and marks), without its empty
 * strings. A loop over character codes: indexing every section at start-up splits millions of
 * words, and a Unicode regular expression split costs several times more.
 */
export function forEachWord(text: string, visit: (word: string) => void): void {
  let start = -1;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const separator = code < 128 ? ASCII_SEPARATOR[code] === 1 : separatesAt(text, i);
    // A character beyond the Basic Multilingual Plane takes two code units: skip both.
    const width = code >= 0xd800 && code < 0xdc00 && i + 1 < text.length ? 2 : 1;
    if (separator) {
      if (start >= 0) {
        visit(text.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
    i += width - 1;
  }
  if (start >= 0) visit(text.slice(start));
}

/** The words of the text, split as forEachWord splits them. */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  forEachWord(text, (word) => words.push(word));
  return words;
}

const MAX_REMEMBERED_STEMS = 100_000;

/** Turns one word into the term the index stores, or null for a word search ignores. */
export type TermProcessor = (word: string) => string | null;

/**
 * Lower case, no stop words, and (when `stemming`) the Porter2 stem, so "registering",
 * "registered" and "register" are one term, and "doesn't" or "cannot" reads as "not". Words with digits are kept whole: `cid3006` is a
 * code, not a word to stem.
 */
export function createTermProcessor(options: { stemming: boolean }): TermProcessor {
  // Stemming is the costly step, and text repeats its words: remember each word's stem, up to a
  // bound so that queries full of invented words cannot grow the memory without limit.
  const stems = new Map<string, string>();
  return (word) => {
    const lower = word.toLowerCase();
    if (lower.length < 2 || STOP_WORDS.has(lower)) return null;
    if (NEGATIONS.has(lower)) return 'not';
    if (!options.stemming || /\d/.test(lower)) return lower;
    let stemmed = stems.get(lower);
    if (stemmed === undefined) {
      stemmed = stem(lower);
      if (stems.size < MAX_REMEMBERED_STEMS) stems.set(lower, stemmed);
    }
    return stemmed;
  };
}

/** The terms of a piece of text as an index with this processor sees them. */
export function termsOf(text: string, processTerm: TermProcessor): string[] {
  return tokenize(text)
    .map(processTerm)
    .filter((term): term is string => Boolean(term));
}
