import yaml from 'js-yaml';

/**
 * YAML for front matter and data files, parsed by the project's one js-yaml, with errors in
 * plain words: the line as the editor sees it in the file, what is wrong and the usual fix.
 */

interface YamlException {
  reason?: string;
  message?: string;
  mark?: { line?: number };
}

export interface YamlProblem {
  /** 1-based line in the file. */
  line?: number;
  message: string;
}

/** `key: value` where the value itself holds `: ` (the most common front-matter mistake). */
const COLON_IN_VALUE = /^(\s*[A-Za-z_][\w-]*):\s+([^"'\s[{|>][^#]*?:\s.*)$/;

function unclosedQuoteLine(lines: string[], upTo: number): number | undefined {
  for (let i = 0; i <= upTo && i < lines.length; i += 1) {
    const value = /^\s*(?:-\s+)?[A-Za-z_][\w-]*:\s+(["'])(.*)$/.exec(lines[i]!);
    if (value && !value[2]!.trimEnd().endsWith(value[1]!)) return i;
  }
  return undefined;
}

/**
 * Turns a js-yaml error into a problem at the right line of the file. `firstLine` is the file
 * line of the YAML text's first line (2 for front matter, after the opening `---`).
 */
export function explainYamlError(error: unknown, text: string, firstLine: number): YamlProblem {
  const { reason, message, mark } = (error ?? {}) as YamlException;
  const lines = text.split('\n');
  const index = typeof mark?.line === 'number' ? Math.min(mark.line, Math.max(lines.length - 1, 0)) : undefined;
  const at = (i: number | undefined): number | undefined => (i === undefined ? undefined : i + firstLine);
  const lineText = index === undefined ? '' : (lines[index] ?? '');
  const what = reason ?? message ?? String(error);

  const colon = COLON_IN_VALUE.exec(lineText);
  if (colon) {
    const value = colon[2]!.trim().replace(/"/g, '\\"');
    return {
      line: at(index),
      message: `YAML: this value contains a colon, which YAML reads as the start of another key. Put quotes around the value: ${colon[1]!.trim()}: "${value}"`,
    };
  }
  const quote = index === undefined ? undefined : unclosedQuoteLine(lines, index);
  if (quote !== undefined) {
    return { line: at(quote), message: 'YAML: a quoted value is not closed. Add the closing quote at the end of the value' };
  }
  if (/\t/.test(lineText) || /tab characters/.test(what)) {
    return { line: at(index), message: 'YAML: a tab is used for indenting. Indent with spaces only' };
  }
  if (/duplicated mapping key/.test(what)) {
    const key = /^\s*([^:]+):/.exec(lineText)?.[1]?.trim() ?? 'a key';
    return { line: at(index), message: `YAML: "${key}" is written twice. Keep one of them` };
  }
  if (/indentation|mapping entry/.test(what)) {
    return {
      line: at(index),
      message: 'YAML: this line is indented differently from the lines around it. Start each key at the beginning of the line, and indent list items under their key with spaces',
    };
  }
  return { line: at(index), message: `YAML: this line cannot be read (${what}). Check the quotes, colons and indentation` };
}

/** A key of a simple mapping line: lower case, so never `__proto__` or anything YAML reads specially. */
const SIMPLE_KEY = /^[a-z][a-z0-9_]*$/;
/** A whole number as js-yaml reads one: no sign, no leading zero, no underscores, safe as a double. */
const SIMPLE_INT = /^(?:0|[1-9][0-9]{0,14})$/;
/**
 * A plain value js-yaml reads as this very string: it starts with a letter (so it is no number,
 * date or indicator), holds no colon, `#`, tab or control character, and ends with no space.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it must refuse
const SIMPLE_STRING = /^[A-Za-z](?:[^\x00-\x1f\x7f-\x9f:#\u2028\u2029\ud800-\uffff]*[^\s:#\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\uffff])?$/;
/** A date written year first, which js-yaml's default schema reads as the string it is. */
const SIMPLE_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
/** Plain values that YAML reads as true, false or null, or that other YAML versions do: left to js-yaml. */
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n)$/i;

/**
 * The value of YAML text that is only `key: value` lines (and empty lines), each value a whole
 * number, a year-first date (a string, as js-yaml reads it) or a plain string as SIMPLE_STRING allows, with no key twice: what js-yaml would give,
 * made without it (most front matter is like this, and js-yaml takes about 40 µs a file). For any
 * other text, or none, undefined.
 */
export function simpleMapping(text: string): Record<string, string | number> | undefined {
  const value: Record<string, string | number> = {};
  let simple = true;
  eachLine(text, 0, (start, end) => {
    if (end === start) return true;
    const colon = text.indexOf(': ', start);
    if (colon < 0 || colon >= end) return (simple = false);
    const key = text.slice(start, colon);
    const raw = text.slice(colon + 2, end);
    if (!SIMPLE_KEY.test(key) || Object.hasOwn(value, key)) return (simple = false);
    if (SIMPLE_INT.test(raw)) value[key] = Number(raw);
    else if (SIMPLE_DATE.test(raw) || (SIMPLE_STRING.test(raw) && !RESERVED.test(raw))) value[key] = raw;
    else return (simple = false);
    return true;
  });
  // Empty text is no mapping: js-yaml reads it as undefined.
  return simple && Object.keys(value).length > 0 ? value : undefined;
}

/**
 * Calls `visit` with where each line of `text` from `from` starts and ends (before its line
 * break; the last line too, with or without one), until it returns false. Finds each line's end
 * with indexOf, without splitting the text.
 */
export function eachLine(text: string, from: number, visit: (start: number, end: number) => boolean): void {
  for (let start = from; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    if (!visit(start, end)) return;
    start = end + 1;
  }
}

/** Parses YAML text whose first line is file line `firstLine`. */
export function parseYaml(text: string, firstLine: number): { value?: unknown; problem?: YamlProblem } {
  const simple = simpleMapping(text);
  if (simple) return { value: simple };
  try {
    return { value: yaml.load(text) };
  } catch (error) {
    return { problem: explainYamlError(error, text, firstLine) };
  }
}
