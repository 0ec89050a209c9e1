import type { Problem } from './errors';
import { measureReadability } from './readability';
import type { SourceFile } from './files';
import { checkLedger } from './ledger';
import { relatedProblems } from './related';
import type { Article, Site } from './site';

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
    const prose = page.sections.flatMap((section) => {
      if (!section.prose) throw new Error('Reading age needs the prose of each section: load the site with { prose: true }');
      return section.prose;
    });
    const result = measureReadability(prose, MAX_SENTENCE_WORDS);
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

/**
 * The editorial checks a site must pass on top of loading: complete articles, unique positions,
 * one owner per code, no empty hubs, a reading age of MAX_READING_AGE or below (long sentences
 * are warnings: see readabilityOf), and every entry of the ledger of published links still
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

  problems.push(...relatedProblems(site));
  problems.push(...checkLedger(site, ledger));

  return problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
}
