/** Reference codes: `CID` and 4 or 5 digits, always stored in capitals (`CID3006`). */

const CODE_IN_TEXT = /\bCID(\d{4,5})\b/g;
const ACCEPTED_FORM = /^(?:cid)?(\d{4,5})$/i;

/** Every distinct code named in a piece of text, in order of first appearance. */
export function findCodes(text: string): string[] {
  if (!text.includes('CID')) return [];
  const found = new Set<string>();
  for (const match of text.matchAll(CODE_IN_TEXT)) found.add(`CID${match[1]}`);
  return [...found];
}

/**
 * The only place that accepts the forms people type: `CID3006`, `cid3006`, ` 3006 `.
 * Returns `CID3006`, or undefined when the input is not a well-formed code.
 */
export function normaliseCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 40) return undefined;
  const match = ACCEPTED_FORM.exec(input.trim());
  return match ? `CID${match[1]}` : undefined;
}

/**
 * The forms of a code people type, each of which must lead to its section: CID3006, cid3006,
 * Cid3006 and 3006. The server accepts any case; a static export writes a redirect for each of these.
 */
export function codeForms(code: string): string[] {
  return [code, code.toLowerCase(), `Cid${code.slice(3)}`, code.slice(3)];
}

/** Sorts codes by number: CID0003 before CID1001 before CID10001. */
export function compareCodes(a: string, b: string): number {
  return Number(a.slice(3)) - Number(b.slice(3)) || a.localeCompare(b);
}

/**
 * A code as people type it in a sentence: `CID3006`, `CID 3006`, `cid-3006`, `cid:3006`, `CID3006.`
 * or the bare number. Never part of a longer word or number, so `CID202101` and `XCID1234` are not
 * codes, and `CID20210` is never read as `CID2021`.
 */
const CODE_IN_QUERY = /(?<![\p{L}\p{N}])(?:(cid)[\s:#_-]{0,3})?(\d{4,5})(?![\p{L}\p{N}])/giu;

/** Words that only introduce a code: "my reference code is 3006" is a query for the code alone. */
const CODE_WORDS = new Set(
  'a an the my i it is was am got get getting have had has see saw seeing seen says said say shows showed showing shown error errors reference references ref code codes number no num cid what does do mean means meaning message with on of for and or'.split(
    ' ',
  ),
);

/** A code found in a query. `explicit` when it was written with CID, not as a bare number. */
export interface CodeInQuery {
  code: string;
  explicit: boolean;
}

/** What a query says about codes. */
export interface QueryCodes {
  /** Codes in order of first appearance, each once. */
  codes: CodeInQuery[];
  /** The query with the codes taken out, for searching the text. */
  words: string;
  /** True when nothing but codes and words that introduce them is left: "my reference code is 3006". */
  onlyCodes: boolean;
}

/** The codes in what someone typed, and the rest of the query once they are taken out. */
export function codesInQuery(text: string): QueryCodes {
  const codes = new Map<string, CodeInQuery>();
  const rest = text.replace(CODE_IN_QUERY, (_match, cid: string | undefined, digits: string) => {
    const code = `CID${digits}`;
    codes.set(code, { code, explicit: Boolean(cid) || Boolean(codes.get(code)?.explicit) });
    return ' ';
  });
  const meaningful = (rest.match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !CODE_WORDS.has(word.toLowerCase()));
  return { codes: [...codes.values()], words: rest.replace(/\s+/g, ' ').trim(), onlyCodes: codes.size > 0 && meaningful.length === 0 };
}
