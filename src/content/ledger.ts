import type { Problem } from './errors';
import type { SourceFile } from './files';
import { nearest } from './nearest';
import { normaliseCode } from './reference-codes';
import { RETIRED_CODES_FILE } from './retired-codes';
import { redirectKey } from './schema';
import type { Page, Site } from './site';

/**
 * The ledger of what has been published: every page URL, section (`URL#id`) and code that the site
 * has served, one a line, sorted. Entries are only ever added (`npm run ledger`); the content check
 * fails when one stops resolving, so that nobody breaks a shared link by accident.
 */
export const LEDGER_FILE = 'published.txt';

/** Every entry the site serves now: pages, their heading ids and the codes sections explain. */
export function ledgerEntries(site: Site): string[] {
  const entries: string[] = [];
  for (const page of site.pages) {
    entries.push(page.url);
    for (const heading of page.headings) entries.push(`${page.url}#${heading.id}`);
  }
  entries.push(...site.codes.keys());
  return sortEntries(entries);
}

/** The ledger's order: plain code-unit order, so that it never depends on the machine's locale. */
export function sortEntries(entries: Iterable<string>): string[] {
  return [...new Set(entries)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The entries of a ledger file, with their lines; blank lines and `#` comments are skipped. */
export function parseLedger(text: string): { entry: string; line: number }[] {
  return text
    .split('\n')
    .map((raw, i) => ({ entry: raw.trim(), line: i + 1 }))
    .filter(({ entry }) => entry !== '' && !entry.startsWith('#'));
}

/** The ledger with every new entry added and none removed. */
export function mergeLedger(existing: string, site: Site): { text: string; added: string[] } {
  const known = new Set(parseLedger(existing).map((e) => e.entry));
  const added = ledgerEntries(site).filter((entry) => !known.has(entry));
  const header = existing.split('\n').filter((line) => line.startsWith('#'));
  const text = [...header, ...sortEntries([...known, ...added])].join('\n');
  return { text: `${text}\n`, added };
}

function pageFor(site: Site, url: string): Page | undefined {
  return site.byUrl.get(url) ?? site.redirects.get(redirectKey(url));
}

/** Why one ledger entry no longer resolves, with the usual fix; undefined when it does. */
export function unresolved(site: Site, entry: string): string | undefined {
  if (/^CID\d+$/.test(entry)) {
    const code = normaliseCode(entry);
    if (code && (site.codes.has(code) || site.retired.has(code))) return undefined;
    return `${entry} was published, but no section explains it now: name it in a heading again, or add it to content/_data/${RETIRED_CODES_FILE} with a note`;
  }
  const match = /^(\/[^#\s]*)(?:#([^#\s]+))?$/.exec(entry);
  if (!match) return `"${entry}" is not a ledger entry: write a page URL (/manage), a section (/manage#id) or a code (CID3006)`;
  const [, url, id] = match as unknown as [string, string, string | undefined];
  const page = pageFor(site, url);
  if (!page) {
    const suggestion = nearest(url, site.byUrl.keys());
    return `${url} was published, but is no longer a page: add it to "redirect_from" in the page that replaced it${suggestion ? ` (perhaps ${suggestion})` : ''}`;
  }
  if (id === undefined || page.headings.some((h) => h.id === id) || page.sectionAliases.has(id)) return undefined;
  const suggestion = nearest(id, page.headings.map((h) => h.id));
  return `${entry} was published, but ${page.url} has no heading "${id}" now: give the heading that replaced it {#${id}}, or add "${id}: <its id>" to "section_aliases" in ${page.file}${suggestion ? ` (perhaps ${suggestion})` : ''}`;
}

/** Every ledger entry that no longer resolves, at its line of the ledger file. */
export function checkLedger(site: Site, ledger: SourceFile | undefined): Problem[] {
  if (!ledger) return [];
  const problems: Problem[] = [];
  for (const { entry, line } of parseLedger(ledger.text)) {
    const message = unresolved(site, entry);
    if (message) problems.push({ file: ledger.displayPath, line, message });
  }
  return problems;
}
