import crypto from 'node:crypto';
import { Pool } from 'pg';
import { prepareSchema } from '../storage/postgres-schema';
import type { CountTotal, FeedbackComment, InsightStore, VoteTotal } from './store';
import { INSIGHT_SCHEMA, isCountKind, mergeCounts } from './store';

/** Any number, so replicas creating the tables at the same moment take turns. */
const SCHEMA_LOCK = 7_340_214;

/**
 * The insight store in PostgreSQL, shared by every replica. Counters and rate-limit windows are
 * single-statement upserts, so two replicas adding to the same row at once both count.
 */
export async function openPostgresInsightStore(databaseUrl: string, options: { poolSize?: number } = {}): Promise<InsightStore> {
  const pool = new Pool({ connectionString: databaseUrl, max: options.poolSize ?? 4 });
  pool.on('error', () => undefined);

  await prepareSchema(pool, SCHEMA_LOCK, INSIGHT_SCHEMA);

  return {
    kind: 'postgres',
    async addVote(vote) {
      await pool.query('INSERT INTO feedback (id, page, section, helpful, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        crypto.randomUUID(),
        vote.page,
        vote.section,
        vote.helpful,
        vote.comment ?? null,
        vote.createdAt,
      ]);
    },
    async addCounts(rows) {
      if (rows.length === 0) return;
      const merged = mergeCounts(rows);
      await pool.query(
        `INSERT INTO insight_counts (kind, key, day, count)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
         ON CONFLICT (kind, key, day) DO UPDATE SET count = insight_counts.count + EXCLUDED.count`,
        [merged.map((row) => row.kind), merged.map((row) => row.key), merged.map((row) => row.day), merged.map((row) => row.count)],
      );
    },
    async hit(key, windowStart) {
      const result = await pool.query<{ hits: number }>(
        `INSERT INTO feedback_rate (key, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET hits = feedback_rate.hits + 1 RETURNING hits`,
        [key, windowStart],
      );
      return Number(result.rows[0]!.hits);
    },
    async purge({ commentsBefore, queriesBeforeDay, windowsBefore }) {
      await pool.query('DELETE FROM feedback_rate WHERE window_start < $1', [windowsBefore]);
      const comments = await pool.query('UPDATE feedback SET comment = NULL WHERE comment IS NOT NULL AND created_at < $1', [
        commentsBefore,
      ]);
      const queries = await pool.query(`DELETE FROM insight_counts WHERE kind = 'no-results' AND day < $1`, [queriesBeforeDay]);
      return { comments: comments.rowCount ?? 0, queries: queries.rowCount ?? 0 };
    },
    async voteTotals(since): Promise<VoteTotal[]> {
      const result = await pool.query<{ page: string; section: string; yes: string; no: string }>(
        `SELECT page, section, COUNT(*) FILTER (WHERE helpful = 'yes') AS yes, COUNT(*) FILTER (WHERE helpful = 'no') AS no
         FROM feedback WHERE created_at >= $1 GROUP BY page, section`,
        [since],
      );
      return result.rows.map((row) => ({ page: row.page, section: row.section, yes: Number(row.yes), no: Number(row.no) }));
    },
    async comments(since, limit): Promise<FeedbackComment[]> {
      const result = await pool.query<{ page: string; section: string; comment: string; created_at: string }>(
        `SELECT page, section, comment, created_at FROM feedback
         WHERE comment IS NOT NULL AND created_at >= $1 ORDER BY created_at DESC, id LIMIT $2`,
        [since, limit],
      );
      return result.rows.map((row) => ({ page: row.page, section: row.section, comment: row.comment, createdAt: Number(row.created_at) }));
    },
    async countTotals(sinceDay): Promise<CountTotal[]> {
      const result = await pool.query<{ kind: string; key: string; count: string }>(
        'SELECT kind, key, SUM(count) AS count FROM insight_counts WHERE day >= $1 GROUP BY kind, key',
        [sinceDay],
      );
      return result.rows.flatMap((row) => (isCountKind(row.kind) ? [{ kind: row.kind, key: row.key, count: Number(row.count) }] : []));
    },
    async close() {
      await pool.end();
    },
  };
}
