import type { Problem } from './errors';
import { ContentError } from './errors';
import type { SourceFile } from './files';
import type { Heading, Link, RenderedMarkdown, Section } from './markdown';
import { compareCodes, normaliseCode } from './reference-codes';
import type { ArticleSource, HubSource, PageSource } from './schema';
import { HOME_HUB, parsePage } from './schema';

export type Hub = Omit<HubSource, 'body'> & Built & { children: Page[] };
export type Article = Omit<ArticleSource, 'body'> & Built;
export type Page = Hub | Article;

interface Built {
  html: string;
  headings: Heading[];
  sections: Section[];
  links: Link[];
}

/** The section that explains a reference code. */
export interface CodeOwner {
  code: string;
  page: Article | Hub;
  section: Section;
  /** The file line of the heading or mention that gives ownership. */
  line: number;
  /** Every other place the code is written in body text: `file:line`. */
  otherMentions: { file: string; line: number }[];
}

export interface Site {
  home: Hub;
  /** Every page, sorted by URL. */
  pages: Page[];
  byUrl: Map<string, Page>;
  hubs: Map<string, Hub>;
  /** Every reference code, in numeric order. */
  codes: Map<string, CodeOwner>;
  ancestorsOf(page: Page): Hub[];
}

export interface BuildOptions {
  renderMarkdown: (source: string) => RenderedMarkdown;
  /** Layouts that exist under views/, e.g. `layouts/article.njk`. */
  layouts: Set<string>;
}

/** The section that explains a code typed in any accepted form (`CID3006`, `cid3006`, `3006`), if any. */
export function ownerOf(site: Pick<Site, 'codes'>, input: unknown): CodeOwner | undefined {
  const code = normaliseCode(input);
  return code ? site.codes.get(code) : undefined;
}

/** Total, stable order used everywhere: position, then title. */
export function byPosition(a: { position: number; title: string }, b: { position: number; title: string }): number {
  return a.position - b.position || a.title.localeCompare(b.title, 'en');
}

function build(source: PageSource, rendered: RenderedMarkdown): Page {
  const { body: _body, ...fields } = source;
  const built: Built = {
    html: rendered.html,
    headings: rendered.headings,
    sections: rendered.sections,
    links: rendered.links,
  };
  return source.kind === 'hub' ? { ...(fields as Omit<HubSource, 'body'>), ...built, children: [] } : { ...(fields as Omit<ArticleSource, 'body'>), ...built };
}

function findCycles(hubs: Map<string, Hub>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  for (const start of hubs.keys()) {
    const chain: string[] = [];
    let name: string | undefined = start;
    while (name && hubs.has(name) && !done.has(name)) {
      const seen = chain.indexOf(name);
      if (seen >= 0) {
        cycles.push(chain.slice(seen));
        break;
      }
      chain.push(name);
      name = hubs.get(name)!.hub;
    }
    chain.forEach((n) => done.add(n));
  }
  return cycles;
}

/**
 * Builds the site from its files once: parses and validates every file, renders markdown,
 * checks the cross-file rules and indexes pages by URL, hubs by name and codes by owner.
 * Throws a ContentError listing every problem found.
 */
export function buildSite(files: SourceFile[], options: BuildOptions): Site {
  const problems: Problem[] = [];
  const pages: Page[] = [];
  const renderedBy = new Map<Page, { bodyLine: number; orphans: RenderedMarkdown['orphanCodes'] }>();

  for (const file of files) {
    const result = parsePage(file);
    problems.push(...result.problems);
    if (!result.page) continue;
    const source = result.page;
    const rendered = options.renderMarkdown(source.body);
    const offset = source.bodyLine - 1;
    const shift = <T extends { line: number }>(items: T[]): T[] => items.map((item) => ({ ...item, line: item.line + offset }));
    rendered.headings = shift(rendered.headings);
    rendered.links = shift(rendered.links);
    rendered.sections = shift(rendered.sections).map((s) => ({ ...s, bodyCodes: shift(s.bodyCodes), prose: shift(s.prose) }));
    for (const problem of shift(rendered.problems)) problems.push({ file: source.file, ...problem });
    const page = build(source, rendered);
    renderedBy.set(page, { bodyLine: source.bodyLine, orphans: shift(rendered.orphanCodes) });
    if (source.kind === 'article' && !options.layouts.has(source.layout)) {
      problems.push({
        file: source.file,
        line: source.lines.layout,
        message: `unknown layout "${source.layout}" (known: ${[...options.layouts].sort().join(', ')})`,
      });
    }
    pages.push(page);
  }

  const byUrl = new Map<string, Page>();
  for (const page of pages) {
    const other = byUrl.get(page.url);
    if (other) problems.push({ file: page.file, message: `has the same URL ${page.url} as ${other.file}` });
    else byUrl.set(page.url, page);
  }

  const hubs = new Map<string, Hub>();
  for (const page of pages) {
    if (page.kind !== 'hub') continue;
    const other = hubs.get(page.name);
    if (other) problems.push({ file: page.file, message: `hub name "${page.name}" is already used by ${other.file}` });
    else hubs.set(page.name, page);
  }
  const home = hubs.get(HOME_HUB);
  if (!home && pages.length > 0) problems.push({ file: pages[0]!.file.replace(/[^/]*$/, ''), message: `no hub is named "${HOME_HUB}": the home page needs one (type: hub, name: home)` });

  for (const page of pages) {
    if (page.hub === undefined) continue;
    const parent = hubs.get(page.hub);
    if (!parent) {
      problems.push({ file: page.file, message: `"hub" names "${page.hub}", but no hub has that name (hubs: ${[...hubs.keys()].sort().join(', ')})` });
    } else {
      parent.children.push(page);
    }
  }
  for (const cycle of findCycles(hubs)) {
    const files = cycle.map((name) => `${hubs.get(name)!.file} (${name})`);
    problems.push({ file: hubs.get(cycle[0]!)!.file, message: `hubs form a cycle: ${files.join(' -> ')} -> back to the first` });
  }
  for (const hub of hubs.values()) hub.children.sort(byPosition);

  const codes = new Map<string, CodeOwner>();
  const sorted = [...pages].sort((a, b) => a.url.localeCompare(b.url));
  for (const page of sorted) {
    for (const section of page.sections) {
      for (const code of section.headingCodes) {
        const other = codes.get(code);
        if (other) {
          problems.push({
            file: page.file,
            line: section.line,
            message: `heading "${section.text}" names ${code}, but so does "${other.section.text}" in ${other.page.file}:${other.line}; a code belongs to one section`,
          });
        } else {
          codes.set(code, { code, page, section, line: section.line, otherMentions: [] });
        }
      }
    }
  }
  for (const page of sorted) {
    for (const section of page.sections) {
      for (const mention of section.bodyCodes) {
        const owner = codes.get(mention.code);
        if (!owner) codes.set(mention.code, { code: mention.code, page, section, line: mention.line, otherMentions: [] });
        else if (owner.section !== section) owner.otherMentions.push({ file: page.file, line: mention.line });
      }
    }
    for (const orphan of renderedBy.get(page)?.orphans ?? []) {
      problems.push({ file: page.file, line: orphan.line, message: `${orphan.code} is mentioned before the first heading, so no section can explain it` });
    }
  }

  if (problems.length > 0) throw new ContentError(problems);
  if (!home) throw new ContentError([{ file: '(content)', message: 'the content folder has no pages' }]);

  const ancestorsOf = (page: Page): Hub[] => {
    const chain: Hub[] = [];
    let parent = page.hub ? hubs.get(page.hub) : undefined;
    while (parent && !chain.includes(parent)) {
      chain.unshift(parent);
      parent = parent.hub ? hubs.get(parent.hub) : undefined;
    }
    return chain;
  };

  const orderedCodes = new Map([...codes.entries()].sort(([a], [b]) => compareCodes(a, b)));
  return { home, pages: sorted, byUrl, hubs, codes: orderedCodes, ancestorsOf };
}
