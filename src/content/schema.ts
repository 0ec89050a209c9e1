import type { Problem } from './errors';
import type { YamlProblem } from './yaml';
import { eachLine, parseYaml } from './yaml';
import { ownCopy } from './detach';
import type { SourceFile } from './files';
import { urlFromPath } from './files';

/** The one module that knows front-matter keys and their spellings. */

interface PageFields {
  url: string;
  file: string;
  title: string;
  subtitle: string;
  shortTitle?: string;
  /** The parent hub's name; undefined only for the home hub. */
  hub?: string;
  position: number;
  reviewed?: Date;
  nextReview?: Date;
  /** When the page last changed: `reviewed`, else its last git commit, else its modification time. */
  lastModified: Date;
  /** The markdown body and the file line it starts on. */
  body: string;
  bodyLine: number;
  /** Line of each front-matter key, for messages. */
  lines: Record<string, number>;
  /** Old URLs that answer with a 301 to this page (`redirect_from`), in canonical form. */
  redirectFrom: string[];
  /** Old section ids kept working on this page (`section_aliases`): old id -> current heading id. */
  sectionAliases: Map<string, string>;
}

export interface HubSource extends PageFields {
  kind: 'hub';
  name: string;
}

export interface ArticleSource extends PageFields {
  kind: 'article';
  layout: string;
  /** Front matter `related`: URLs of pages to suggest at the foot of the article, in order. */
  related: string[];
}

export type PageSource = HubSource | ArticleSource;

export const DEFAULT_LAYOUT = 'layouts/article.njk';
export const HUB_LAYOUT = 'layouts/hub.njk';
export const HOME_HUB = 'home';
const NAME = /^[a-z0-9][a-z0-9-]*$/;
const LAYOUT = /^layouts\/[a-z0-9][a-z0-9-]*\.njk$/;

function frontMatterLines(text: string): Record<string, number> {
  const lines: Record<string, number> = {};
  const first = text.indexOf('\n');
  if (first < 0) return lines;
  // Line by line from the second up to the closing `---`: splitting the whole file took longer than all the rest.
  let number = 1;
  eachLine(text, first + 1, (start, end) => {
    number += 1;
    const line = text.slice(start, end);
    if (line.trim() === '---') return false;
    const key = /^([A-Za-z_][\w-]*)\s*:/.exec(line);
    if (key && !(key[1]! in lines)) lines[key[1]!] = number;
    return true;
  });
  return lines;
}

function asDate(value: unknown): Date | undefined | null {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** Heading ids and their aliases: lower-case letters, digits and hyphens. */
export const SECTION_ID = /^[a-z0-9][a-z0-9-]*$/;

/** An old URL as the redirect lookup keys it: lower case, no trailing slash or `/index`. */
export function redirectKey(url: string): string {
  return url.toLowerCase().replace(/\/+$/, '').replace(/\/index$/, '') || '/';
}

/**
 * Splits a file that starts with a `---` line into its front matter and its body: the front
 * matter runs to the next line starting with `---`, and the body starts on the line after it.
 * The front matter keeps the newline after the opening `---`, so its first line is file line 1.
 * A file without a closing line is all front matter.
 */
export function splitFrontMatter(text: string): { frontMatter: string; body: string } {
  const rest = text.slice(3);
  const close = rest.indexOf('\n---');
  // The front matter is copied: the fields read from it outlive the file's text (see ownCopy).
  if (close === -1) return { frontMatter: ownCopy(rest), body: '' };
  let body = rest.slice(close + 4);
  if (body.startsWith('\r')) body = body.slice(1);
  if (body.startsWith('\n')) body = body.slice(1);
  return { frontMatter: ownCopy(rest.slice(0, close)), body };
}

/** The fields of the front matter, or the YAML problem with its file line. Comments alone are no fields. */
function parseFrontMatter(frontMatter: string): { data: Record<string, unknown>; problem?: YamlProblem } {
  if (frontMatter.replace(/^\s*#[^\n]+/gm, '').trim() === '') return { data: {} };
  const result = parseYaml(frontMatter, 1);
  if (result.problem) return { data: {}, problem: result.problem };
  return { data: result.value && typeof result.value === 'object' ? { ...(result.value as Record<string, unknown>) } : {} };
}

function parseRedirects(value: unknown, at: (message: string) => void): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) {
    at(`"redirect_from" must be a list of old addresses, like - /manage/old-name (got ${JSON.stringify(value)})`);
    return [];
  }
  const urls: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string' || !/^\/[^\s?#\\]*$/.test(item.trim()) || item.trim().startsWith('//')) {
      at(`"redirect_from" entries must be site paths starting with one /, without ? or # (got ${JSON.stringify(item)})`);
      continue;
    }
    urls.push(redirectKey(item.trim()));
  }
  return urls;
}

function parseAliases(value: unknown, at: (message: string) => void): Map<string, string> {
  const aliases = new Map<string, string>();
  if (value === undefined || value === null) return aliases;
  if (typeof value !== 'object' || Array.isArray(value)) {
    at(`"section_aliases" must map each old id to a heading id, like  old-id: new-id  (got ${JSON.stringify(value)})`);
    return aliases;
  }
  for (const [oldId, target] of Object.entries(value as Record<string, unknown>)) {
    if (!SECTION_ID.test(oldId)) at(`"section_aliases": "${oldId}" is not an id (lower-case letters, digits and hyphens)`);
    else if (typeof target !== 'string' || !SECTION_ID.test(target)) {
      at(`"section_aliases": "${oldId}" must name the id of a heading on this page (got ${JSON.stringify(target)})`);
    } else aliases.set(oldId, target);
  }
  return aliases;
}

/** The most related answers an article may name: the foot of the page shows up to three. */
export const MAX_RELATED = 3;

/**
 * Front matter `related`: a list of site URLs such as `/manage/password`. Whether each names a
 * page is checked once every page is known.
 */
function relatedUrls(value: unknown, problem: (message: string) => void): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string' || !/^\/[a-z0-9/-]*$/.test(item) || /.\/$/.test(item))) {
    problem(`"related" must be a list of page URLs like /manage/password (got ${JSON.stringify(value)})`);
    return [];
  }
  if (list.length > MAX_RELATED) problem(`"related" names ${list.length} pages; the foot of an article shows at most ${MAX_RELATED}`);
  return [...new Set(list as string[])];
}

/**
 * Turns one file into a typed hub or article, or a list of every problem with it.
 */
export function parsePage(file: SourceFile): { page?: PageSource; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (message: string, line?: number): void => {
    problems.push({ file: file.displayPath, line, message });
  };

  if (!/^---\r?\n/.test(file.text)) {
    at('front matter is missing: the file must start with a line of three dashes (---)', 1);
    return { problems };
  }
  const { frontMatter, body } = splitFrontMatter(file.text);
  const { data, problem } = parseFrontMatter(frontMatter);
  if (problem) {
    at(`front matter: ${problem.message}`, problem.line);
    return { problems };
  }
  const lines = frontMatterLines(file.text);
  const lineOf = (key: string): number | undefined => lines[key] ?? 1;

  const text = (key: string, required: boolean): string | undefined => {
    const value = data[key];
    if (value === undefined || value === null || value === '') {
      if (required) at(`"${key}" is required`, 1);
      return undefined;
    }
    if (typeof value !== 'string') {
      at(`"${key}" must be text (got ${JSON.stringify(value)})`, lineOf(key));
      return undefined;
    }
    return value.trim();
  };

  const type = text('type', true);
  if (type !== undefined && type !== 'hub' && type !== 'article') {
    at(`"type" must be "hub" or "article" (got "${type}")`, lineOf('type'));
  }
  const title = text('title', true);
  const subtitle = text('subtitle', false) ?? '';
  const shortTitle = text('short_title', false);
  const name = type === 'hub' ? text('name', true) : undefined;
  if (name !== undefined && !NAME.test(name)) {
    at(`"name" must be lower-case letters, digits and hyphens (got "${name}")`, lineOf('name'));
  }
  const isHome = type === 'hub' && name === HOME_HUB;
  const hub = text('hub', !isHome);
  if (isHome && hub !== undefined) at(`the home hub cannot have a parent "hub" (got "${hub}")`, lineOf('hub'));

  let position = 0;
  const rawPosition = data.position;
  if (rawPosition === undefined || rawPosition === null) {
    if (!isHome) at('"position" is required', 1);
  } else if (typeof rawPosition !== 'number' || !Number.isFinite(rawPosition)) {
    at(`"position" must be a number (got ${JSON.stringify(rawPosition)})`, lineOf('position'));
  } else {
    position = rawPosition;
  }

  let layout = DEFAULT_LAYOUT;
  if (data.layout !== undefined) {
    const value = text('layout', false);
    if (value !== undefined && !LAYOUT.test(value)) {
      at(`"layout" must look like "layouts/name.njk" (got "${value}")`, lineOf('layout'));
    } else if (value !== undefined) {
      layout = value;
    }
    if (type === 'hub') at('"layout" is for articles only', lineOf('layout'));
  }

  const reviewed = asDate(data.reviewed);
  if (reviewed === null) at(`"reviewed" must be a date like 2026-11-25 (got ${JSON.stringify(data.reviewed)})`, lineOf('reviewed'));
  const nextReviewRaw = asDate(data.next_review);
  if (nextReviewRaw === null) {
    at(`"next_review" must be a date like 2027-05-25 (got ${JSON.stringify(data.next_review)})`, lineOf('next_review'));
  }

  const redirectFrom = parseRedirects(data.redirect_from, (message) => at(message, lineOf('redirect_from')));
  const sectionAliases = parseAliases(data.section_aliases, (message) => at(message, lineOf('section_aliases')));

  const known = new Set([
    'type',
    'name',
    'title',
    'subtitle',
    'short_title',
    'hub',
    'position',
    'layout',
    'reviewed',
    'next_review',
    'redirect_from',
    'section_aliases',
    'related',
  ]);
  const related = relatedUrls(data.related, (message) => at(message, lineOf('related')));
  if (type === 'hub' && data.related !== undefined) at('"related" is for articles only', lineOf('related'));

  for (const key of Object.keys(data)) {
    if (!known.has(key)) at(`unknown front-matter key "${key}"`, lineOf(key));
  }

  if (problems.length > 0 || !title || !type) return { problems };

  const bodyLine = file.text.slice(0, file.text.length - body.length).split('\n').length;
  const fields: PageFields = {
    url: urlFromPath(file.relativePath),
    file: file.displayPath,
    title,
    subtitle,
    shortTitle,
    hub,
    position,
    reviewed: reviewed ?? undefined,
    nextReview: nextReviewRaw ?? (reviewed ? addMonths(reviewed, 6) : undefined),
    lastModified: reviewed ?? file.committed ?? file.modified,
    body,
    bodyLine,
    lines,
    redirectFrom,
    sectionAliases,
  };
  const page: PageSource = type === 'hub' ? { ...fields, kind: 'hub', name: name! } : { ...fields, kind: 'article', layout, related };
  return { page, problems };
}
