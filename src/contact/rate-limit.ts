import crypto from 'node:crypto';
import type { Pool } from 'pg';

/**
 * Counts accepted messages per client in a sliding window. `take` is the only decision: it
 * counts the message and says yes, or counts nothing and says how long to wait, in one step,
 * so parallel posts cannot all slip under the limit.
 */
export interface RateLimiter {
  /** 0 when the client may send now (and this message is counted), else seconds to wait. */
  take(client: string): Promise<number>;
  close?(): Promise<void>;
}

export interface MemoryRateLimiter extends RateLimiter {
  /** Seconds until the client may send again, or 0 when it may send now. */
  retryAfter(client: string): number;
  record(client: string): void;
}

/**
 * In memory, for one process: each replica counts its own clients. With several replicas use
 * the PostgreSQL limiter, which counts for all of them.
 */
export function createRateLimiter(options: { max: number; windowMs: number; now?: () => number; maxClients?: number }): MemoryRateLimiter {
  const now = options.now ?? Date.now;
  const maxClients = options.maxClients ?? 10_000;
  const hits = new Map<string, number[]>();

  const recent = (client: string): number[] => {
    const since = now() - options.windowMs;
    const times = (hits.get(client) ?? []).filter((time) => time > since);
    if (times.length === 0) hits.delete(client);
    else hits.set(client, times);
    return times;
  };

  const limiter: MemoryRateLimiter = {
    retryAfter(client) {
      const times = recent(client);
      if (times.length < options.max) return 0;
      return Math.max(1, Math.ceil((times[times.length - options.max]! + options.windowMs - now()) / 1000));
    },
    record(client) {
      const times = recent(client);
      times.push(now());
      hits.delete(client);
      hits.set(client, times);
      // Forget the least recently seen clients rather than grow without bound.
      while (hits.size > maxClients) hits.delete(hits.keys().next().value as string);
    },
    take(client) {
      // Synchronous between the check and the count, so nothing can come in between.
      const wait = limiter.retryAfter(client);
      if (wait === 0) limiter.record(client);
      return Promise.resolve(wait);
    },
  };
  return limiter;
}

export const RATE_LIMIT_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS contact_rate_limit (
    client TEXT NOT NULL,
    at BIGINT NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS contact_rate_limit_client ON contact_rate_limit (client, at)',
];

/** Any number, so replicas creating the table at the same moment take turns. */
const SCHEMA_LOCK = 7_340_212;

/**
 * In PostgreSQL, shared by every replica. Each `take` runs in one transaction holding an
 * advisory lock on the client, so the count and the insert are atomic. Client addresses are
 * stored as an HMAC, never as they are.
 */
export async function createPostgresRateLimiter(
  pool: Pool,
  options: { max: number; windowMs: number; secret: string; now?: () => number },
): Promise<RateLimiter> {
  const now = options.now ?? Date.now;
  const setup = await pool.connect();
  try {
    await setup.query('BEGIN');
    await setup.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    for (const statement of RATE_LIMIT_SCHEMA) await setup.query(statement);
    await setup.query('COMMIT');
  } catch (error) {
    await setup.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    setup.release();
  }
  const key = crypto.createHash('sha256').update(`contact-rate-limit:${options.secret}`).digest();
  const keyFor = (client: string): string => crypto.createHmac('sha256', key).update(client).digest('base64url');

  return {
    async take(client) {
      const id = keyFor(client);
      const at = now();
      const since = at - options.windowMs;
      const db = await pool.connect();
      let failed: unknown;
      try {
        await db.query('BEGIN');
        await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [id]);
        await db.query('DELETE FROM contact_rate_limit WHERE client = $1 AND at <= $2', [id, since]);
        const { rows } = await db.query<{ at: string }>('SELECT at FROM contact_rate_limit WHERE client = $1 ORDER BY at DESC LIMIT $2', [
          id,
          options.max,
        ]);
        if (rows.length >= options.max) {
          await db.query('COMMIT');
          const oldest = Number(rows[rows.length - 1]!.at);
          return Math.max(1, Math.ceil((oldest + options.windowMs - at) / 1000));
        }
        await db.query('INSERT INTO contact_rate_limit (client, at) VALUES ($1, $2)', [id, at]);
        await db.query('COMMIT');
        return 0;
      } catch (error) {
        failed = error;
        await db.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        // A connection that failed mid-transaction is not given back to the pool.
        db.release(failed instanceof Error ? failed : undefined);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
