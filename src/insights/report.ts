import type { OutboxMessage } from '../contact/outbox';
import type { Site } from '../content/site';
import type { CountTotal, FeedbackComment, VoteTotal } from './store';
import { dayOf } from './store';

/**
 * What `npm run insights` shows the content team, built from the insight store and the contact
 * outbox over a period. Pure: the CLI reads the data, this shapes it, the formatters print it.
 */

const DAY_MS = 24 * 60 * 60_000;

export interface Votes {
  yes: number;
  no: number;
  /** Yes as a share of all votes, 0 to 1; null with no votes. */
  helpfulRate: number | null;
}

export interface SectionVotes extends Votes {
  section: string;
  heading: string;
  codes: string[];
}

export interface PageVotes extends Votes {
  page: string;
  title: string;
  /** Votes given from a section link (`#heading` in the address), most votes first. */
  sections: SectionVotes[];
}

export interface ReportComment {
  page: string;
  title: string;
  section: string;
  heading: string;
  comment: string;
  createdAt: string;
}

export interface CodeCount {
  code: string;
  count: number;
}

export interface UnknownCode extends CodeCount {
  /** How often it was typed at /cid and in search. */
  cid: number;
  search: number;
}

export interface LookedUpCode extends CodeCount {
  page: string;
  heading: string;
}

export interface ContactSource {
  /** The page that explains the code the patient came with; '' when they came with no known code. */
  page: string;
  title: string;
  code: string;
  messages: number;
}

export interface InsightReport {
  /** First day counted, `2025-03-01` (UTC), and when the report was made. */
  since: string;
  generatedAt: string;
  days: number;
  totals: { votes: number; yes: number; no: number; noResults: number; unknownCodes: number; lookups: number; contactMessages: number };
  pages: PageVotes[];
  comments: ReportComment[];
  noResults: { query: string; count: number }[];
  unknownCodes: UnknownCode[];
  lookedUp: LookedUpCode[];
  contact: ContactSource[];
}

/** Parses `--since`: `30d`, `12w`, or a date `2025-03-01`. Returns the start time, or undefined. */
export function parseSince(value: string, now: number): number | undefined {
  const relative = /^(\d{1,4})([dw])$/.exec(value.trim());
  if (relative) {
    const days = Number(relative[1]) * (relative[2] === 'w' ? 7 : 1);
    if (days < 1) return undefined;
    // Whole UTC days: today counts as the first of them.
    const today = Date.parse(`${dayOf(now)}T00:00:00Z`);
    return today - (days - 1) * DAY_MS;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
    const time = Date.parse(`${value.trim()}T00:00:00Z`);
    return Number.isNaN(time) || time > now ? undefined : time;
  }
  return undefined;
}

function votes(yes: number, no: number): Votes {
  return { yes, no, helpfulRate: yes + no === 0 ? null : yes / (yes + no) };
}

const byCount =
  <T extends { count: number }>(key: (item: T) => string) =>
  (a: T, b: T) =>
    b.count - a.count || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export interface ReportInput {
  site: Pick<Site, 'byUrl' | 'codes'>;
  since: number;
  now: number;
  votes: VoteTotal[];
  comments: FeedbackComment[];
  counts: CountTotal[];
  messages: OutboxMessage[];
  /** Rows in each list (pages, queries, codes). */
  limit?: number;
}

/** Shapes the store's totals into the report. */
export function buildReport(input: ReportInput): InsightReport {
  const { site, since, now } = input;
  const limit = input.limit ?? 20;
  const headingOf = (page: string, section: string): string =>
    site.byUrl.get(page)?.headings.find((heading) => heading.id === section)?.text ?? section;
  const codesOf = (page: string, section: string): string[] =>
    [...site.codes.values()].filter((owner) => owner.page.url === page && owner.section.id === section).map((owner) => owner.code);
  const titleOf = (page: string): string => site.byUrl.get(page)?.title ?? page;

  const byPage = new Map<string, PageVotes>();
  for (const row of input.votes) {
    let entry = byPage.get(row.page);
    if (!entry) {
      entry = { page: row.page, title: titleOf(row.page), ...votes(0, 0), sections: [] };
      byPage.set(row.page, entry);
    }
    Object.assign(entry, votes(entry.yes + row.yes, entry.no + row.no));
    if (row.section)
      entry.sections.push({
        section: row.section,
        heading: headingOf(row.page, row.section),
        codes: codesOf(row.page, row.section),
        ...votes(row.yes, row.no),
      });
  }
  const pages = [...byPage.values()]
    .map((page) => ({
      ...page,
      sections: page.sections.sort((a, b) => b.yes + b.no - (a.yes + a.no) || a.section.localeCompare(b.section)),
    }))
    // Pages with the most "No" first: that is where content needs work.
    .sort((a, b) => b.no - a.no || b.yes + b.no - (a.yes + a.no) || a.page.localeCompare(b.page));

  const counted = (kind: CountTotal['kind']) => input.counts.filter((row) => row.kind === kind);
  const noResults = counted('no-results')
    .map((row) => ({ query: row.key, count: row.count }))
    .sort(byCount((row) => row.query));
  const unknown = new Map<string, UnknownCode>();
  for (const row of [...counted('unknown-code/cid'), ...counted('unknown-code/search')]) {
    const entry = unknown.get(row.key) ?? { code: row.key, count: 0, cid: 0, search: 0 };
    entry.count += row.count;
    if (row.kind === 'unknown-code/cid') entry.cid += row.count;
    else entry.search += row.count;
    unknown.set(row.key, entry);
  }
  const lookedUp = counted('code-lookup')
    .map((row) => {
      const owner = site.codes.get(row.key);
      return { code: row.key, count: row.count, page: owner?.page.url ?? '', heading: owner?.section.text ?? '' };
    })
    .sort(byCount((row) => row.code));

  const sources = new Map<string, ContactSource>();
  const recent = input.messages.filter((message) => message.createdAt >= since);
  for (const message of recent) {
    const code = message.payload.referenceCode?.code ?? '';
    const owner = code ? site.codes.get(code) : undefined;
    const id = `${owner?.page.url ?? ''}\u0000${code}`;
    const entry = sources.get(id) ?? { page: owner?.page.url ?? '', title: owner?.page.title ?? '', code, messages: 0 };
    entry.messages += 1;
    sources.set(id, entry);
  }
  const contact = [...sources.values()].sort((a, b) => b.messages - a.messages || `${a.page}${a.code}`.localeCompare(`${b.page}${b.code}`));

  const sum = (rows: { count: number }[]) => rows.reduce((total, row) => total + row.count, 0);
  const yes = pages.reduce((total, page) => total + page.yes, 0);
  const no = pages.reduce((total, page) => total + page.no, 0);
  const unknownCodes = [...unknown.values()].sort(byCount((row) => row.code));
  return {
    since: dayOf(since),
    generatedAt: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    days: Math.max(1, Math.round((Date.parse(`${dayOf(now)}T00:00:00Z`) - since) / DAY_MS) + 1),
    totals: {
      votes: yes + no,
      yes,
      no,
      noResults: sum(noResults),
      unknownCodes: sum(unknownCodes),
      lookups: sum(lookedUp),
      contactMessages: recent.length,
    },
    pages: pages.slice(0, limit),
    comments: input.comments.map((row) => ({
      page: row.page,
      title: titleOf(row.page),
      section: row.section,
      heading: row.section ? headingOf(row.page, row.section) : '',
      comment: row.comment,
      createdAt: new Date(row.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    })),
    noResults: noResults.slice(0, limit),
    unknownCodes: unknownCodes.slice(0, limit),
    lookedUp: lookedUp.slice(0, limit),
    contact: contact.slice(0, limit),
  };
}

/** A rate as a whole percentage, or a dash. */
export function percent(rate: number | null): string {
  return rate === null ? '-' : `${Math.round(rate * 100)}%`;
}
