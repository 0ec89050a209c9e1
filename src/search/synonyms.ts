import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Problem } from '../content/errors';
import { ContentError } from '../content/errors';
import { codesInQuery } from '../content/reference-codes';
import type { TermProcessor } from './terms';
import { createTermProcessor, termsOf } from './terms';

/** Groups of words and phrases that mean the same thing to a patient: `["sign up", "register"]`. */
export type Synonyms = string[][];

export const SYNONYMS_FILE = path.join('_data', 'synonyms.yml');
const MAX_PHRASE_LENGTH = 60;

/** The line each top-level list item starts on. */
function groupLines(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (/^-(\s|$)/.test(line)) lines.push(index + 1);
  });
  return lines;
}

/** The line a phrase is written on, between a group's first line and the next group's. */
function phraseLine(lines: string[], phrase: string, from: number, to: number): number {
  for (let n = from; n < to; n += 1) if (lines[n - 1]?.includes(phrase)) return n;
  return from;
}

/**
 * Turns the text of synonyms.yml into groups, or every problem with it. Search reads each phrase
 * through the same stemmer as the index, so two phrases that search reads alike ("sign up" and
 * "signing up") may not sit in different groups. `file` is the path used in messages.
 */
export function parseSynonyms(text: string, file: string): { synonyms: Synonyms; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (message: string, line?: number): void => {
    problems.push({ file, line, message });
  };
  let data: unknown;
  try {
    data = text.trim() === '' ? [] : yaml.load(text);
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? String(error);
    at(`YAML syntax error: ${reason}`, typeof mark?.line === 'number' ? mark.line + 1 : undefined);
    return { synonyms: [], problems };
  }
  if (data === null || data === undefined) data = [];
  if (!Array.isArray(data)) {
    at('must be a list of groups, each a list of words or phrases, like: - [sign up, register, create an account]', 1);
    return { synonyms: [], problems };
  }

  const textLines = text.split('\n');
  const starts = groupLines(text);
  const processTerm: TermProcessor = createTermProcessor({ stemming: true });
  const seen = new Map<string, { phrase: string; line: number; group: number }>();
  const synonyms: Synonyms = [];
  data.forEach((group: unknown, index) => {
    const start = starts[index] ?? 1;
    const end = starts[index + 1] ?? textLines.length + 1;
    if (!Array.isArray(group)) {
      at(`group ${index + 1} must be a list of words or phrases, like [sign up, register] (got ${JSON.stringify(group)})`, start);
      return;
    }
    const phrases: string[] = [];
    for (const item of group as unknown[]) {
      const line = typeof item === 'string' ? phraseLine(textLines, item, start, end) : start;
      if (typeof item !== 'string' || item.trim() === '' || item.length > MAX_PHRASE_LENGTH) {
        at(`each word or phrase must be text of up to ${MAX_PHRASE_LENGTH} characters (got ${JSON.stringify(item)})`, line);
        continue;
      }
      const phrase = item.trim().replace(/\s+/g, ' ');
      const terms = termsOf(phrase, processTerm);
      if (terms.length === 0) {
        at(`"${phrase}" has no word that search uses (words like "the", "how" and "my" are ignored)`, line);
        continue;
      }
      if (codesInQuery(phrase).codes.length > 0) {
        at(`"${phrase}" looks like a reference code; codes are found without synonyms`, line);
        continue;
      }
      const key = terms.join(' ');
      const earlier = seen.get(key);
      if (earlier?.group === index) continue; // "log on" and "log in" in one group: harmless
      if (earlier) {
        const same =
          earlier.phrase.toLowerCase() === phrase.toLowerCase() ? '' : ` (search reads it as the same words as "${earlier.phrase}")`;
        at(`"${phrase}" is already in the group on line ${earlier.line}${same}; a phrase can be in only one group`, line);
        continue;
      }
      seen.set(key, { phrase, line, group: index });
      phrases.push(phrase);
    }
    if (phrases.length === 1 && group.length === 1)
      at(`group ${index + 1} needs at least two words or phrases that mean the same thing`, start);
    if (phrases.length > 1) synonyms.push(phrases);
  });
  return { synonyms: problems.length === 0 ? synonyms : [], problems };
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative.split(path.sep).join('/');
}

/**
 * Reads and checks `<content>/_data/synonyms.yml`: no file means no synonyms. Throws ContentError
 * naming the file, the line and every problem when it is invalid.
 */
export function loadSynonyms(contentDir: string): Synonyms {
  const file = path.join(contentDir, SYNONYMS_FILE);
  if (!fs.existsSync(file)) return [];
  const { synonyms, problems } = parseSynonyms(fs.readFileSync(file, 'utf8'), displayPath(file));
  if (problems.length > 0) throw new ContentError(problems);
  return synonyms;
}
