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

/** Parses YAML text whose first line is file line `firstLine`. */
export function parseYaml(text: string, firstLine: number): { value?: unknown; problem?: YamlProblem } {
  try {
    return { value: yaml.load(text) };
  } catch (error) {
    return { problem: explainYamlError(error, text, firstLine) };
  }
}
