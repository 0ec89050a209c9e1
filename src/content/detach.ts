/**
 * V8 keeps a substring (13 characters or more) as a slice of the string it was cut from, and a
 * joined string as the pieces it was joined from. Headings, links and section text are cut from
 * their file's text, so a page kept for the life of the server would keep its whole file's text,
 * and many small pieces, alive. A copy owns its characters, in one piece.
 */
export function ownCopy(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}
