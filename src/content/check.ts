import type { Problem } from './errors';
import type { SourceFile } from './files';
import { checkLedger } from './ledger';
import type { Site } from './site';

export const MAX_SUBTITLE = 160;

/**
 * The editorial checks a site must pass on top of loading: complete articles, unique positions,
 * one owner per code, no empty hubs, and every entry of the ledger of published links still
 * resolving. (Links that do not resolve stop the site loading: see links.ts.)
 * Returns every problem at once, each with its file and line.
 */
export function checkContent(site: Site, ledger?: SourceFile): Problem[] {
  const problems: Problem[] = [];

  for (const page of site.pages) {
    if (page.kind === 'article') {
      if (!page.subtitle) problems.push({ file: page.file, line: 1, message: '"subtitle" is required (it is the meta description)' });
      if (page.subtitle.length > MAX_SUBTITLE) {
        problems.push({ file: page.file, line: page.lines.subtitle, message: `"subtitle" is ${page.subtitle.length} characters; keep it to ${MAX_SUBTITLE} or fewer` });
      }
      if (!page.headings.some((h) => h.level === 2)) problems.push({ file: page.file, line: 1, message: 'has no ## heading' });
    } else if (page.children.length === 0) {
      problems.push({ file: page.file, line: 1, message: `hub "${page.name}" is empty: no page names it in "hub"` });
    }
  }

  for (const hub of site.hubs.values()) {
    const seen = new Map<number, string>();
    for (const child of hub.children) {
      const other = seen.get(child.position);
      if (other) problems.push({ file: child.file, line: child.lines.position, message: `position ${child.position} in hub "${hub.name}" is also used by ${other}` });
      else seen.set(child.position, child.file);
    }
  }

  for (const owner of site.codes.values()) {
    for (const mention of owner.otherMentions) {
      problems.push({
        file: mention.file,
        line: mention.line,
        message: `${owner.code} is explained in ${owner.page.file}:${owner.line} ("${owner.section.text}"); link to /cid/${owner.code} with words instead of naming the code here`,
      });
    }
  }

  problems.push(...checkLedger(site, ledger));

  return problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
}
