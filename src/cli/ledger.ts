import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { ContentError } from '../content/errors';
import { DATA_DIR } from '../content/files';
import { LEDGER_FILE, mergeLedger } from '../content/ledger';
import { loadSite } from '../render/rendered-site';
import { createViews } from '../render/views';

const HEADER = [
  '# Every page, section and reference code the help centre has published, one a line.',
  '# Never remove a line: support replies and search engines still hold these links.',
  '# Add new ones with: npm run ledger. npm run check:content fails when one stops resolving.',
].join('\n');

/**
 * `npm run ledger`: adds every page URL, section (URL#id) and code the content serves now to
 * content/_data/published.txt. It never removes an entry.
 */
function main(): number {
  const config = loadConfig(process.env);
  let site;
  try {
    site = loadSite(config.contentDir, config.viewsDir, createViews(config.viewsDir));
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    process.stderr.write(`${error.message}\nFix these first: the ledger lists what a working site serves.\n`);
    return 1;
  }
  const file = path.join(config.contentDir, DATA_DIR, LEDGER_FILE);
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `${HEADER}\n`;
  const { text, added } = mergeLedger(existing, site);
  if (added.length > 0) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  process.stdout.write(`${added.length} new entr${added.length === 1 ? 'y' : 'ies'} added to ${path.relative(process.cwd(), file)}\n`);
  for (const entry of added) process.stdout.write(`  + ${entry}\n`);
  return 0;
}

process.exitCode = main();
