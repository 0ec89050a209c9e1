import matter from 'gray-matter';
import type { Problem } from './errors';
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
  const all = text.split('\n');
  for (let i = 1; i < all.length && all[i]!.trim() !== '---'; i += 1) {
    const key = /^([A-Za-z_][\w-]*)\s*:/.exec(all[i]!);
    if (key && !(key[1]! in lines)) lines[key[1]!] = i + 1;
  }
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

interface YamlError {
  reason?: string;
  mark?: { line?: number };
  message?: string;
}

/**
 * Turns one file into a typed hub or article, or a list of every problem with it.
 * gray-matter caches parsed data by content, so its `data` is read, never changed.
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
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(file.text);
  } catch (error) {
    const yaml = error as YamlError;
    const line = typeof yaml.mark?.line === 'number' ? yaml.mark.line + 2 : undefined;
    at(`YAML syntax error in front matter: ${yaml.reason ?? yaml.message ?? String(error)}`, line);
    return { problems };
  }
  const data: Record<string, unknown> =
    parsed.data && typeof parsed.data === 'object' ? { ...(parsed.data as Record<string, unknown>) } : {};
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

  const related = relatedUrls(data.related, (message) => at(message, lineOf('related')));
  if (type === 'hub' && data.related !== undefined) at('"related" is for articles only', lineOf('related'));

  const known = new Set(['type', 'name', 'title', 'subtitle', 'short_title', 'hub', 'position', 'layout', 'reviewed', 'next_review', 'related']);
  for (const key of Object.keys(data)) {
    if (!known.has(key)) at(`unknown front-matter key "${key}"`, lineOf(key));
  }

  if (problems.length > 0 || !title || !type) return { problems };

  const bodyLine = file.text.slice(0, file.text.length - parsed.content.length).split('\n').length;
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
    body: parsed.content,
    bodyLine,
    lines,
  };
  const page: PageSource = type === 'hub' ? { ...fields, kind: 'hub', name: name! } : { ...fields, kind: 'article', layout, related };
  return { page, problems };
}
