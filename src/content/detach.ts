/** Where ownCopy writes a string's bytes before reading them back: one buffer, grown as needed up to its cap. */
let scratch = Buffer.allocUnsafe(1 << 16);
/** Strings longer than this (in UTF-16 code units) are copied through a Buffer of their own, so the scratch stays small. */
const SCRATCH_LIMIT = 1 << 16;

/**
 * V8 keeps a substring (13 characters or more) as a slice of the string it was cut from, and a
 * joined string as the pieces it was joined from. Headings, links and section text are cut from
 * their file's text, so a page kept for the life of the server would keep its whole file's text,
 * and many small pieces, alive. A copy owns its characters, in one piece. It goes through one
 * scratch buffer: a new Buffer for each string took a third of the time, making Buffer pools.
 */
export function ownCopy(text: string): string {
  if (text.length < 13) return text;
  if (text.length > SCRATCH_LIMIT) return Buffer.from(text, 'utf8').toString('utf8');
  // UTF-8 takes at most 3 bytes for each UTF-16 code unit.
  if (text.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(text.length * 3);
  const length = scratch.write(text, 0, 'utf8');
  return scratch.toString('utf8', 0, length);
}
