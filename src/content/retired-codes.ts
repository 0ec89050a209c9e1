import type { Problem } from './errors';
import type { SourceFile } from './files';
import { normaliseCode } from './reference-codes';
import { parseYaml } from './yaml';

/** The data file of codes NHS login no longer shows. */
export const RETIRED_CODES_FILE = 'retired-codes.yml';

/** A code NHS login no longer shows: `/cid/CODE` explains that, and where to get help. */
export interface RetiredCode {
  code: string;
  /** What happened to the code, in plain words. */
  note: string;
  /** A page (optionally with #section) that helps instead; the help centre home when absent. */
  see?: string;
  file: string;
  line: number;
}

const KEYS = new Set(['code', 'note', 'see']);

/** The file line of the list item that starts at the n-th `- ` at the top level. */
function itemLines(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^-\s/.test(line) || line === '-') lines.push(i + 1);
  });
  return lines;
}

/**
 * Reads content/_data/retired-codes.yml: a list of `code` (CID1234), `note` (required) and `see`
 * (optional site path). Returns the codes, or every problem with the file, each at its line.
 */
export function parseRetiredCodes(file: SourceFile | undefined): { retired: Map<string, RetiredCode>; problems: Problem[] } {
  const retired = new Map<string, RetiredCode>();
  const problems: Problem[] = [];
  if (!file) return { retired, problems };
  const parsed = parseYaml(file.text, 1);
  if (parsed.problem) return { retired, problems: [{ file: file.displayPath, line: parsed.problem.line, message: parsed.problem.message }] };
  if (parsed.value === undefined || parsed.value === null) return { retired, problems };
  if (!Array.isArray(parsed.value)) {
    return { retired, problems: [{ file: file.displayPath, line: 1, message: 'must be a list of codes, each starting "- code: CID1234"' }] };
  }
  const lines = itemLines(file.text);
  parsed.value.forEach((item: unknown, index) => {
    const line = lines[index] ?? 1;
    const at = (message: string): void => {
      problems.push({ file: file.displayPath, line, message });
    };
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      at('each entry needs "code" and "note", like  - code: CID1234');
      return;
    }
    const entry = item as Record<string, unknown>;
    for (const key of Object.keys(entry)) if (!KEYS.has(key)) at(`unknown key "${key}" (keys: code, note, see)`);
    const code = typeof entry.code === 'string' ? normaliseCode(entry.code) : undefined;
    if (!code || code !== entry.code) at(`"code" must be written like CID1234 (got ${JSON.stringify(entry.code)})`);
    const note = typeof entry.note === 'string' ? entry.note.trim() : '';
    if (!note) at('"note" is required: say in plain words that NHS login no longer shows the code');
    const see = entry.see;
    if (see !== undefined && (typeof see !== 'string' || !see.startsWith('/') || see.startsWith('//'))) {
      at(`"see" must be a page on this site, like /setting-up or /manage/password#section (got ${JSON.stringify(see)})`);
    }
    if (!code || code !== entry.code || !note) return;
    const other = retired.get(code);
    if (other) at(`${code} is already listed at line ${other.line}`);
    else retired.set(code, { code, note, see: typeof see === 'string' ? see : undefined, file: file.displayPath, line });
  });
  return { retired, problems };
}
