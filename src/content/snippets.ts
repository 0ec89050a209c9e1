import fs from 'node:fs';
import path from 'node:path';
import { ContentError } from './errors';

/**
 * Snippets: passages written once and included in many articles, so repeated advice stays
 * identical. `content/_snippets/never-share-your-code.md` is included with a line of its own:
 * `{{snippet never-share-your-code}}`. Snippet files are plain markdown with no front matter;
 * they are not pages, because names starting with `_` are skipped (see files.ts).
 */

export const SNIPPETS_FOLDER = '_snippets';

/** A whole line that includes a snippet: `{{snippet name}}`. */
export const SNIPPET_LINE = /^\{\{\s*snippet\s+([^\s}]+)\s*\}\}\s*$/;

/** Anything that looks like a snippet include, used to catch ones that are not on a line of their own. */
export const SNIPPET_LIKE = /\{\{\s*snippet\b/;

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Every snippet in `content/_snippets/`, by name (the file name without `.md`). Empty if the folder is missing. */
export function readSnippets(contentDir: string): Map<string, string> {
  const dir = path.join(contentDir, SNIPPETS_FOLDER);
  const snippets = new Map<string, string>();
  if (!fs.existsSync(dir)) return snippets;
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.md')) continue;
    const key = name.slice(0, -3);
    if (!NAME.test(key)) {
      const file = path.relative(process.cwd(), path.join(dir, name)).split(path.sep).join('/');
      throw new ContentError([{ file, message: 'a snippet name must be lower-case letters, digits and hyphens' }]);
    }
    snippets.set(key, fs.readFileSync(path.join(dir, name), 'utf8'));
  }
  return snippets;
}
