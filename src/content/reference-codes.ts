/** Reference codes: `CID` and 4 or 5 digits, always stored in capitals (`CID3006`). */

const CODE_IN_TEXT = /\bCID(\d{4,5})\b/g;
const ACCEPTED_FORM = /^(?:cid)?(\d{4,5})$/i;

/** Every distinct code named in a piece of text, in order of first appearance. */
export function findCodes(text: string): string[] {
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
