import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { openSqliteFile } from '../storage/sqlite-file';
import type { CountTotal, FeedbackComment, InsightStore, VoteTotal } from './store';
import { INSIGHT_SCHEMA, isCountKind, mergeCounts } from './store';

/** A sibling of the contact outbox's file, so each can be backed up or removed on its own. */
export const INSIGHTS_SQLITE_FILE = 'insights.sqlite';

/**
 * The insight store in `dataDir/insights.sqlite`. WAL with synchronous=FULL, as the outbox: a
 * vote is on disk when `addVote` returns, so a crash straight after the answer keeps it. Kept by
 * openSqliteFile as the outbox is: if DATA_DIR is removed while it is open, the file is made
 * again with every vote, count and rate window the old one held.
 */
export function openSqliteInsightStore(dataDir: string, options: { logger?: Pick<Logger, 'warn' | 'error'> } = {}): InsightStore {
  const { logger } = options;
  const file = openSqliteFile({
    dataDir,
    name: INSIGHTS_SQLITE_FILE,
    schema: INSIGHT_SCHEMA,
    busyTimeoutMs: 5000,
    prepare: prepareStatements,
    release: (prepared) => {
      if (prepared.fast.open) prepared.fast.close();
    },
    onRecovered: ({ file: at, copied, failed }) =>
      logger?.warn(
        { file: at, copied, failed },
        'the insight store file was removed or replaced: made it again with every row the old one held',
      ),
    onRecoveryFailed: (error, at) =>
      logger?.error(
        { file: at, err: { message: error.message } },
        'the insight store file was removed or replaced and cannot be made again',
      ),
  });
  const use = (): ReturnType<typeof prepareStatements> => file.current().prepared;

  return {
    kind: 'sqlite',
    async addVote(vote) {
      use().insertVote.run(crypto.randomUUID(), vote.page, vote.section, vote.helpful, vote.comment ?? null, vote.createdAt);
    },
    async addCounts(rows) {
      if (rows.length > 0) use().addCounts.immediate(mergeCounts(rows));
    },
    async hit(key, windowStart) {
      return (use().hit.get(key, windowStart) as { hits: number }).hits;
    },
    async purge({ commentsBefore, queriesBeforeDay, windowsBefore }) {
      use().dropWindows.run(windowsBefore);
      return { comments: use().dropComments.run(commentsBefore).changes, queries: use().dropQueries.run(queriesBeforeDay).changes };
    },
    async voteTotals(since): Promise<VoteTotal[]> {
      return (use().totals.all(since) as { page: string; section: string; yes: number; no: number }[]).map((row) => ({
        page: row.page,
        section: row.section,
        yes: Number(row.yes),
        no: Number(row.no),
      }));
    },
    async comments(since, limit): Promise<FeedbackComment[]> {
      return (use().comments.all(since, limit) as { page: string; section: string; comment: string; created_at: number }[]).map((row) => ({
        page: row.page,
        section: row.section,
        comment: row.comment,
        createdAt: Number(row.created_at),
      }));
    },
    async countTotals(sinceDay): Promise<CountTotal[]> {
      return (use().counts.all(sinceDay) as { kind: string; key: string; count: number }[]).flatMap((row) =>
        isCountKind(row.kind) ? [{ kind: row.kind, key: row.key, count: Number(row.count) }] : [],
      );
    },
    async close() {
      file.close();
    },
  };
}

function prepareStatements(db: Database.Database) {
  // Counters get their own connection without an fsync per commit: the batch written every few
  // seconds must not hold up requests waiting on the disk, and a power cut costing the last few
  // seconds of counts is acceptable where losing a vote is not. A crash of the process loses nothing written.
  const fast = new Database(db.name);
  fast.pragma('synchronous = NORMAL');
  fast.pragma('busy_timeout = 5000');

  const insertVote = db.prepare('INSERT INTO feedback (id, page, section, helpful, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const upsertCount = fast.prepare(
    `INSERT INTO insight_counts (kind, key, day, count) VALUES (@kind, @key, @day, @count)
     ON CONFLICT (kind, key, day) DO UPDATE SET count = insight_counts.count + excluded.count`,
  );
  const hit = db.prepare(
    `INSERT INTO feedback_rate (key, window_start, hits) VALUES (?, ?, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET hits = feedback_rate.hits + 1 RETURNING hits`,
  );
  const dropComments = db.prepare('UPDATE feedback SET comment = NULL WHERE comment IS NOT NULL AND created_at < ?');
  const dropQueries = db.prepare(`DELETE FROM insight_counts WHERE kind = 'no-results' AND day < ?`);
  const dropWindows = db.prepare('DELETE FROM feedback_rate WHERE window_start < ?');
  const totals = db.prepare(
    `SELECT page, section, SUM(CASE WHEN helpful = 'yes' THEN 1 ELSE 0 END) AS yes, SUM(CASE WHEN helpful = 'no' THEN 1 ELSE 0 END) AS no
     FROM feedback WHERE created_at >= ? GROUP BY page, section`,
  );
  const comments = db.prepare(
    `SELECT page, section, comment, created_at FROM feedback
     WHERE comment IS NOT NULL AND created_at >= ? ORDER BY created_at DESC, id LIMIT ?`,
  );
  const counts = db.prepare('SELECT kind, key, SUM(count) AS count FROM insight_counts WHERE day >= ? GROUP BY kind, key');

  const addCounts = fast.transaction((rows: ReturnType<typeof mergeCounts>) => {
    for (const row of rows) upsertCount.run(row);
  });
  return { fast, insertVote, upsertCount, hit, dropComments, dropQueries, dropWindows, totals, comments, counts, addCounts };
}
