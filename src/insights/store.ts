/**
 * The insight store: feedback votes and comments, daily counters of what search and /cid could
 * not answer, and the feedback form's rate-limit windows. It sits next to the contact outbox:
 * an SQLite file in DATA_DIR by default, the same PostgreSQL database when DATABASE_URL is set.
 * Nothing in it names a person: no IP address, no user agent, no cookie; comments and queries
 * are redacted before they are written.
 */

export type Helpful = 'yes' | 'no';

export interface NewVote {
  /** The page URL, e.g. `/manage/password`. */
  page: string;
  /** A heading id on that page, or '' for the page as a whole. */
  section: string;
  helpful: Helpful;
  /** Already redacted; only with a "no". */
  comment?: string;
  createdAt: number;
}

/** What the counters count: one row per kind, key and UTC day. */
export type CountKind = 'no-results' | 'unknown-code/cid' | 'unknown-code/search' | 'code-lookup';

export const COUNT_KINDS: readonly CountKind[] = ['no-results', 'unknown-code/cid', 'unknown-code/search', 'code-lookup'];

export interface CountRow {
  kind: CountKind;
  /** A redacted query or a code such as CID3006. */
  key: string;
  /** The UTC day, `2025-03-14`. */
  day: string;
  count: number;
}

export interface VoteTotal {
  page: string;
  section: string;
  yes: number;
  no: number;
}

export interface FeedbackComment {
  page: string;
  section: string;
  comment: string;
  createdAt: number;
}

export interface CountTotal {
  kind: CountKind;
  key: string;
  count: number;
}

export interface PurgeResult {
  comments: number;
  queries: number;
}

export interface InsightStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Durably stores one vote: it is on disk (or committed) when this resolves. */
  addVote(vote: NewVote): Promise<void>;
  /** Adds each row's count to its counter, atomically, so replicas writing at once lose nothing. */
  addCounts(rows: CountRow[]): Promise<void>;
  /** Counts one request for `key` in the window that started at `windowStart`; returns the window's count so far. */
  hit(key: string, windowStart: number): Promise<number>;
  /**
   * Deletes comments written before `commentsBefore` (the votes stay), no-results queries counted
   * before `queriesBeforeDay`, and rate-limit windows that started before `windowsBefore`.
   */
  purge(options: { commentsBefore: number; queriesBeforeDay: string; windowsBefore: number }): Promise<PurgeResult>;
  /** Yes and No per page and section, for votes since `since`. */
  voteTotals(since: number): Promise<VoteTotal[]>;
  /** The newest comments since `since`, newest first. */
  comments(since: number, limit: number): Promise<FeedbackComment[]>;
  /** Each counter summed over the days from `sinceDay` on. */
  countTotals(sinceDay: string): Promise<CountTotal[]>;
  close(): Promise<void>;
}

/** The tables, the same for both databases. */
export const INSIGHT_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS feedback (
    id TEXT PRIMARY KEY,
    page TEXT NOT NULL,
    section TEXT NOT NULL DEFAULT '',
    helpful TEXT NOT NULL CHECK (helpful IN ('yes', 'no')),
    comment TEXT,
    created_at BIGINT NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS feedback_created ON feedback (created_at)',
  `CREATE TABLE IF NOT EXISTS insight_counts (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    day TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (kind, key, day)
  )`,
  'CREATE INDEX IF NOT EXISTS insight_counts_day ON insight_counts (day)',
  `CREATE TABLE IF NOT EXISTS feedback_rate (
    key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
  )`,
];

/** The UTC day of a time: `2025-03-14`. */
export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * Sums rows with the same kind, key and day, and sorts them, so one batch touches each counter
 * once and every replica takes the row locks in the same order.
 */
export function mergeCounts(rows: CountRow[]): CountRow[] {
  const merged = new Map<string, CountRow>();
  for (const row of rows) {
    const id = `${row.kind}\u0000${row.key}\u0000${row.day}`;
    const existing = merged.get(id);
    if (existing) existing.count += row.count;
    else merged.set(id, { ...row });
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

export function isCountKind(value: string): value is CountKind {
  return (COUNT_KINDS as readonly string[]).includes(value);
}
