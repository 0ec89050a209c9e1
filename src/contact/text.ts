/**
 * Text safe to store, show in a terminal and put in a ticket: no C0 or C1 control characters
 * (a C1 code such as U+009B starts a terminal escape sequence) and no bidirectional controls
 * (U+202E and friends make text read differently from how it is stored). Tabs are kept, and
 * line breaks when `lines` is set.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /[\n\r\u2028\u2029]/g;

export function plainText(text: string, options: { lines?: boolean } = {}): string {
  const cleaned = text.replace(CONTROLS, '');
  return options.lines ? cleaned.replace(/[\u2028\u2029]/g, '\n') : cleaned.replace(LINE_BREAKS, ' ');
}
