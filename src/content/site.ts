import { ownCopy } from './detach';
import type { Problem } from './errors';
import { ContentError } from './errors';
import type { ImageFile, SourceFile } from './files';
import { FileChangedError, readAgain } from './files';
import type { SiteImage } from './images';
import { buildImages, resolveImage } from './images';
import type { LinkTargets } from './links';
import { ROUTE_PATHS, checkLink } from './links';
import type { Heading, Link, MarkdownContext, RenderedMarkdown, Section } from './markdown';
import { compareCodes, normaliseCode } from './reference-codes';
import type { RetiredCode } from './retired-codes';
import { parseRetiredCodes } from './retired-codes';
import type { ArticleSource, HubSource, PageSource } from './schema';
import { HOME_HUB, parsePage } from './schema';

export type Hub = Omit<HubSource, 'body'> & Built & { children: Page[] };
export type Article = Omit<ArticleSource, 'body'> & Built;
export type Page = Hub | Article;

interface Built {
  /**
   * The markdown rendered to HTML, as UTF-8 (half the memory of a string of curly quotes and
   * dashes), when the site keeps it (see BuildOptions.keepHtml); Site.htmlOf gives it either way.
   */
  html?: Buffer;
  /** The file the page was read from, without its text: to render its HTML when first needed. */
  source: Omit<SourceFile, 'text'>;
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
  /** Old URLs (`redirect_from`) and the page each now answers with, by redirect key. */
  redirects: Map<string, Page>;
  /** Codes NHS login no longer shows, from content/_data/retired-codes.yml, in numeric order. */
  retired: Map<string, RetiredCode>;
  /** Every image under content/_images, by the `/images/<name>` that markdown uses. */
  images: Map<string, SiteImage>;
  ancestorsOf(page: Page): Hub[];
  /** A page's markdown as HTML: kept, or rendered from its file (read again) when not. */
  htmlOf(page: Page): string;
}

export interface BuildOptions {
  renderMarkdown: (source: string, context?: MarkdownContext) => RenderedMarkdown;
  /** Layouts that exist under views/, e.g. `layouts/article.njk`. */
  layouts: Set<string>;
  /** The files under content/_images. */
  images?: ImageFile[];
  /** content/_data/retired-codes.yml, when there is one. */
  retiredCodes?: SourceFile;
  /** Keep each section's prose blocks, for the reading-age checks (costs memory; the server does not need them). */
  prose?: boolean;
  /**
   * Files loaded by an earlier build, for development mode: a file read again only when it
   * changed is the same object, and is not parsed or rendered again. Only valid while the
   * images, snippets and views are unchanged.
   */
  cache?: WeakMap<SourceFile, LoadedFile>;
  /**
   * Keep each page's HTML (the default). Without it, loading only parses and checks, and a page's
   * HTML is rendered from its file, read again, when first asked for: the server renders each page
   * once and keeps the whole page, so the markdown's HTML would be held twice.
   */
  keepHtml?: boolean;
}

/** Paths an old URL cannot take over: the routes and the asset folders. */
function isReservedPath(url: string): boolean {
  return ROUTE_PATHS.has(url) || /^\/(?:cid|static|assets|contact)(?:\/|$)/.test(url);
}

/** The section that explains a code typed in any accepted form (`CID3006`, `cid3006`, `3006`), if any. */
export function ownerOf(site: Pick<Site, 'codes'>, input: unknown): CodeOwner | undefined {
  const code = normaliseCode(input);
  return code ? site.codes.get(code) : undefined;
}

/** The order of the site's pages (`Site.pages`): by URL. */
export function pageOrder(a: { url: string }, b: { url: string }): number {
  return a.url.localeCompare(b.url);
}

/** Total, stable order used everywhere: position, then title. */
export function byPosition(a: { position: number; title: string }, b: { position: number; title: string }): number {
  return a.position - b.position || a.title.localeCompare(b.title, 'en');
}

/** A page as the site keeps it: its fields, and its markdown's HTML as UTF-8, headings, sections and links. */
function build(source: PageSource, rendered: RenderedMarkdown, file: SourceFile, keepHtml: boolean): Page {
  const { body: _body, ...fields } = source;
  const { text: _text, ...from } = file;
  const built: Built = {
    html: keepHtml ? Buffer.from(rendered.html, 'utf8') : undefined,
    source: from,
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

/** One file parsed and its markdown rendered, with every line a file line: the same for the same file and images. */
export interface LoadedFile {
  page?: Page;
  bodyLine: number;
  orphans: RenderedMarkdown['orphanCodes'];
  problems: Problem[];
}

/**
 * The list a section without codes shares (most sections), here and in what is made from the
 * site: one empty array rather than two or three for each of a large site's sections. Frozen, as
 * nothing may add to a loaded section.
 */
export const NONE: never[] = Object.freeze([]) as unknown as never[];

function loadPageFile(file: SourceFile, options: BuildOptions, images: Map<string, SiteImage>, keepHtml = options.keepHtml !== false): LoadedFile {
  const result = parsePage(file);
  if (!result.page) return { problems: result.problems, bodyLine: 1, orphans: [] };
  const source = result.page;
  const problems = [...result.problems];
  const rendered = options.renderMarkdown(source.body, {
    aliases: source.sectionAliases,
    resolveImage: (src) => resolveImage(images, src),
    html: keepHtml,
  });
  const offset = source.bodyLine - 1;
  for (const problem of rendered.problems ?? []) problems.push({ file: source.file, line: problem.line + offset, message: problem.message });
  const shift = <T extends { line: number }>(items: T[]): T[] => items.map((item) => ({ ...item, line: item.line + offset }));
  // File lines, and copies of the text cut from the file (see ownCopy), made once here.
  rendered.links = rendered.links.map((link) => ({ href: ownCopy(link.href), line: link.line + offset }));
  rendered.sections = rendered.sections.map((s) => ({
    id: ownCopy(s.id),
    text: ownCopy(s.text),
    level: s.level,
    line: s.line + offset,
    body: s.body,
    headingCodes: s.headingCodes.length > 0 ? s.headingCodes : NONE,
    bodyCodes: s.bodyCodes.length > 0 ? shift(s.bodyCodes) : NONE,
    prose: options.prose && s.prose ? shift(s.prose) : undefined,
  }));
  // Every h2 and h3 is a section, in the same order: a heading shares its section's strings.
  rendered.headings = rendered.sections.map(({ id, text, level, line }) => ({ id, text, level, line }));
  return { page: build(source, rendered, file, keepHtml), bodyLine: source.bodyLine, orphans: shift(rendered.orphanCodes), problems };
}

/** Loads files one by one, as buildSite does first (for start-up, which shares them out between threads); images are sized once. */
export function pageLoader(options: BuildOptions): (files: readonly SourceFile[]) => LoadedFile[] {
  const { images } = buildImages(options.images ?? []);
  return (files) => files.map((file) => loadPageFile(file, options, images));
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
  const imageSet = buildImages(options.images ?? []);
  problems.push(...imageSet.problems);
  const { images } = imageSet;

  for (const file of files) {
    let loaded = options.cache?.get(file);
    if (!loaded) {
      loaded = loadPageFile(file, options, images);
      options.cache?.set(file, loaded);
    }
    problems.push(...loaded.problems);
    if (!loaded.page) continue;
    // A fresh page each build: hubs gather their children, and the rest is never changed.
    const page: Page = loaded.page.kind === 'hub' ? { ...loaded.page, children: [] } : { ...loaded.page };
    const source = page;
    renderedBy.set(page, { bodyLine: loaded.bodyLine, orphans: loaded.orphans });
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
  const sorted = [...pages].sort(pageOrder);
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

  const redirects = checkRedirects(pages, byUrl, problems);
  checkAliases(pages, problems);
  const { retired, problems: retiredProblems } = parseRetiredCodes(options.retiredCodes);
  problems.push(...retiredProblems);
  for (const entry of retired.values()) {
    const owner = codes.get(entry.code);
    if (owner) {
      problems.push({
        file: entry.file,
        line: entry.line,
        message: `${entry.code} is marked retired, but "${owner.section.text}" in ${owner.page.file}:${owner.line} still explains it; remove one of them`,
      });
    }
  }
  const targets: LinkTargets = { byUrl, redirects, hasCode: (code) => codes.has(code) || retired.has(code) };
  for (const page of pages) {
    for (const link of page.links) {
      const problem = checkLink(targets, link.href, page);
      if (problem) problems.push({ file: page.file, line: link.line, message: problem });
    }
  }
  for (const entry of retired.values()) {
    const problem = entry.see === undefined ? undefined : checkLink(targets, entry.see);
    if (problem) problems.push({ file: entry.file, line: entry.line, message: `"see": ${problem}` });
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
  const orderedRetired = new Map([...retired.entries()].sort(([a], [b]) => compareCodes(a, b)));
  const htmlOf = (page: Page): string => {
    if (page.html) return page.html.toString('utf8');
    const again = loadPageFile(readAgain(page.source), options, images, true);
    if (!again.page?.html || again.problems.length > 0) throw new FileChangedError(`${page.file} no longer loads as it did when the server started; restart the server`);
    return again.page.html.toString('utf8');
  };

  return { home, pages: sorted, byUrl, hubs, codes: orderedCodes, redirects, retired: orderedRetired, images, ancestorsOf, htmlOf };
}

/** Every old URL and the page it redirects to; an old URL claimed twice, or still a page, is a problem. */
function checkRedirects(pages: Page[], byUrl: Map<string, Page>, problems: Problem[]): Map<string, Page> {
  const redirects = new Map<string, Page>();
  for (const page of pages) {
    const line = page.lines.redirect_from;
    for (const old of page.redirectFrom) {
      const live = byUrl.get(old);
      const other = redirects.get(old);
      if (live) problems.push({ file: page.file, line, message: `"redirect_from" lists ${old}, but that is the address of ${live.file}; a live page cannot redirect` });
      else if (isReservedPath(old)) problems.push({ file: page.file, line, message: `"redirect_from" lists ${old}, which the site itself serves` });
      else if (other && other !== page) problems.push({ file: page.file, line, message: `"redirect_from" lists ${old}, but ${other.file} lists it too; an old address can go to one page only` });
      else redirects.set(old, page);
    }
  }
  return new Map([...redirects.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** A section alias must point at a heading on its page, and must not be a heading id itself. */
function checkAliases(pages: Page[], problems: Problem[]): void {
  for (const page of pages) {
    const ids = new Set(page.headings.map((h) => h.id));
    const line = page.lines.section_aliases;
    for (const [old, target] of page.sectionAliases) {
      if (ids.has(old)) problems.push({ file: page.file, line, message: `"section_aliases": "${old}" is still the id of a heading on this page; an alias is for an id that is gone` });
      else if (!ids.has(target)) {
        problems.push({ file: page.file, line, message: `"section_aliases": "${old}" points to "${target}", which is not a heading id on this page (ids: ${[...ids].join(', ')})` });
      }
    }
  }
}
