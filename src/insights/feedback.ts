import type { Page, Site } from '../content/site';
import { redactPersonalData } from './redact';
import type { Helpful } from './store';

/** The longest comment kept, in characters, as the form's character count says. */
export const COMMENT_MAX = 500;

export interface FeedbackAnswer {
  page: Page;
  section: string;
  helpful: Helpful;
  /** Redacted; only with a "no". */
  comment?: string;
}

function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}

/** True when a section id is one of the page's headings. */
export function isSectionOf(page: Page, section: string): boolean {
  return page.headings.some((heading) => heading.id === section);
}

/**
 * Reads a posted feedback form: `page` must be a page of the site, `helpful` yes or no,
 * `section` empty or a heading id of that page, `comment` at most 500 characters. Returns the
 * answer with its comment redacted, or what is wrong with it (a 400).
 */
export function readFeedback(site: Pick<Site, 'byUrl'>, body: unknown): { answer: FeedbackAnswer } | { problem: string } {
  if (!body || typeof body !== 'object') return { problem: 'not a form' };
  const fields = body as Record<string, unknown>;
  const pageUrl = field(fields, 'page');
  const page = pageUrl !== undefined && pageUrl.length <= 300 ? site.byUrl.get(pageUrl) : undefined;
  if (!page) return { problem: 'page is not a page of this site' };
  const helpful = field(fields, 'helpful');
  if (helpful !== 'yes' && helpful !== 'no') return { problem: 'helpful must be yes or no' };
  const section = field(fields, 'section') ?? '';
  if (section !== '' && !isSectionOf(page, section)) return { problem: 'section is not a heading of the page' };
  const rawComment = fields.comment;
  if (rawComment !== undefined && typeof rawComment !== 'string') return { problem: 'comment must be text' };
  const comment = (rawComment ?? '').replace(/\r\n?/g, '\n').trim();
  if ([...comment].length > COMMENT_MAX) return { problem: `comment must be at most ${COMMENT_MAX} characters` };
  // A comment is only asked for after "No".
  const kept = helpful === 'no' && comment !== '' ? redactPersonalData(comment) : undefined;
  return { answer: { page, section, helpful, ...(kept ? { comment: kept } : {}) } };
}
