import type { Problem } from './errors';
import { measureReadability } from './readability';
import type { Article, Site } from './site';
import { ownerOf } from './site';

export const MAX_SUBTITLE = 160;

/** The highest reading age (Flesch-Kincaid grade + 5) an article may have. */
export const MAX_READING_AGE = 9;
/** Sentences longer than this are listed as warnings. */
export const MAX_SENTENCE_WORDS = 20;
/** Articles whose reading age is reported but never fails the check: the seed ships unchanged. */
export const READING_AGE_REPORTED_ONLY = new Set(['/manage/mobile-phone']);

/** An article's reading age, worked out from its body text (not headings, not code). */
export interface ArticleReadability {
  file: string;
  url: string;
  readingAge: number;
  grade: number;
  words: number;
  sentences: number;
  /** True for articles that are reported only (the seed). */
  reportedOnly: boolean;
  /** One warning for each sentence over MAX_SENTENCE_WORDS words, with its line. */
  longSentences: Problem[];
}

/** The reading age of every article, in URL order, with its long sentences. */
export function readabilityOf(site: Site): ArticleReadability[] {
  const articles = site.pages.filter((page): page is Article => page.kind === 'article');
  return articles.map((page) => {
    const result = measureReadability(page.sections.flatMap((section) => section.prose), MAX_SENTENCE_WORDS);
    return {
      file: page.file,
      url: page.url,
      readingAge: result.readingAge,
      grade: Math.round(result.grade * 10) / 10,
      words: result.words,
      sentences: result.sentences,
      reportedOnly: READING_AGE_REPORTED_ONLY.has(page.url),
      longSentences: result.longSentences.map((sentence) => ({
        file: page.file,
        line: sentence.line,
        message: `sentence of ${sentence.words} words; keep to ${MAX_SENTENCE_WORDS} or fewer: "${sentence.text.length > 70 ? `${sentence.text.slice(0, 67)}...` : sentence.text}"`,
      })),
    };
  });
}

/** Paths served by routes rather than content, that content may link to. */
export const ROUTE_PATHS = new Set(['/search', '/cid', '/cid.json', '/contact', '/sitemap.xml']);

/**
 * The editorial checks a site must pass on top of loading: complete articles, unique positions,
 * links that resolve, contact codes that exist, one owner per code, no empty hubs and a reading
 * age of MAX_READING_AGE or below (long sentences are warnings: see readabilityOf).
 * Returns every problem at once, each with its file and line.
 */
export function checkContent(site: Site): Problem[] {
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

    for (const link of page.links) {
      const problem = checkLink(site, link.href);
      if (problem) problems.push({ file: page.file, line: link.line, message: problem });
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

  for (const article of readabilityOf(site)) {
    if (article.reportedOnly || article.readingAge <= MAX_READING_AGE) continue;
    problems.push({
      file: article.file,
      line: 1,
      message: `reading age is ${article.readingAge.toFixed(1)} (Flesch-Kincaid grade ${article.grade.toFixed(1)} + 5); keep it to ${MAX_READING_AGE} or below with shorter sentences and shorter words`,
    });
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

  return problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Why an internal link does not resolve, or undefined when it does (or is external). */
export function checkLink(site: Site, href: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return undefined;
  let url: URL;
  try {
    url = new URL(href, 'http://site.invalid/');
  } catch {
    return `link "${href}" is not a valid address`;
  }
  const path = url.pathname;
  const fragment = safeDecode(url.hash.slice(1));
  if (fragment === undefined) return `link "${href}" has a malformed #fragment`;

  const cid = /^\/cid\/([^/]+)$/.exec(path);
  if (cid) {
    return ownerOf(site, safeDecode(cid[1]!)) ? undefined : `link "${href}" names a reference code no section explains`;
  }
  if (path === '/contact') {
    const error = url.searchParams.get('error');
    if (error === null) return undefined;
    return ownerOf(site, error) ? undefined : `contact link "${href}" names ${error}, which no section explains`;
  }
  if (ROUTE_PATHS.has(path)) return undefined;
  if (href.startsWith('#') || path === '') return undefined;

  const target = site.byUrl.get(path);
  if (!target) return `link "${href}" goes to ${path}, which is not a page`;
  if (fragment && !target.headings.some((h) => h.id === fragment)) {
    return `link "${href}" goes to #${fragment}, which is not a heading on ${path}`;
  }
  return undefined;
}
