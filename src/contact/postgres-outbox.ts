import crypto from 'node:crypto';
import { Pool } from 'pg';
import { prepareSchema } from '../storage/postgres-schema';
import type { ClaimedMessage, FormTokenRow, MessageRow, MessageStatus, Outbox, OutboxMessage } from './outbox';
import {
  DuplicateReferenceError,
  FormTokenUsedError,
  formTokenFromRow,
  OUTBOX_SCHEMA,
  OutboxUnavailableError,
  dueCondition,
  quarantineError,
  readRow,
  requeueResultFor,
  splitRows,
  withTimeout,
} from './outbox';

/** Any number, so replicas creating the table at the same moment take turns. */
const SCHEMA_LOCK = 7_340_211;

function byDue(a: OutboxMessage, b: OutboxMessage): number {
  return a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const DUE = dueCondition('$1');

export interface PostgresOptions {
  poolSize?: number;
  /**
   * The longest any database call may take, connecting included (5 s by default). A stopped or
   * frozen database then gives an error the patient sees at once, never a request that hangs.
   */
  timeoutMs?: number;
  /** False for tools that read an existing outbox: a database without the table is an error, not a new outbox. */
  create?: boolean;
}

/** A pool whose every connection and statement is bounded by `timeoutMs`. */
export function boundedPool(databaseUrl: string, options: PostgresOptions = {}): Pool {
  const timeoutMs = options.timeoutMs ?? 5000;
  const pool = new Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: timeoutMs,
    // Client side: gives up on an answer that does not come (a frozen server).
    query_timeout: timeoutMs,
    // Server side: the server stops the statement too, so it holds no locks afterwards.
    statement_timeout: timeoutMs,
    idle_in_transaction_session_timeout: 2 * timeoutMs,
    keepAlive: true,
  });
  // An idle connection that drops must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * The outbox in PostgreSQL, for several replicas. `claim` locks due rows with
 * FOR UPDATE SKIP LOCKED, so each message is held by exactly one sender at a time.
 */
export async function openPostgresOutbox(databaseUrl: string, options: PostgresOptions = {}): Promise<Outbox> {
  const pool = boundedPool(databaseUrl, options);

  await prepareSchema(
    pool,
    SCHEMA_LOCK,
    OUTBOX_SCHEMA,
    options.create === false
      ? async (client) => {
          const { rows } = await client.query<{ found: string | null }>(`SELECT to_regclass('contact_messages')::text AS found`);
          if (!rows[0]?.found)
            throw new OutboxUnavailableError('There is no outbox in that database. Check DATABASE_URL where the server runs.');
        }
      : undefined,
  );

  const rows = async (text: string, values: unknown[]): Promise<MessageRow[]> => (await pool.query<MessageRow>(text, values)).rows;
  const changed = async (text: string, values: unknown[]): Promise<boolean> => ((await pool.query(text, values)).rowCount ?? 0) === 1;
  const settle = `AND status = 'sending' AND lease_token = $2`;

  return {
    kind: 'postgres',
    async add(message) {
      const values = [message.id, message.reference, message.createdAt, JSON.stringify(message.payload)];
      try {
        const token = message.formToken;
        if (!token) {
          await pool.query(
            `INSERT INTO contact_messages (id, reference, created_at, status, attempts, next_attempt_at, payload)
             VALUES ($1, $2, $3, 'queued', 0, $3, $4)`,
            values,
          );
          return;
        }
        // One statement: the message is stored only if its token row is. A second post with the
        // same token, from any replica, waits for the first to commit and then stores nothing.
        const stored = await pool.query(
          `WITH token AS (
             INSERT INTO contact_form_tokens (id, message_id, reference, digest, expires_at) VALUES ($5, $1, $2, $6, $7)
             ON CONFLICT (id) DO NOTHING RETURNING id)
           INSERT INTO contact_messages (id, reference, created_at, status, attempts, next_attempt_at, payload)
           SELECT $1, $2, $3, 'queued', 0, $3, $4 FROM token`,
          [...values, token.id, token.digest, token.expiresAt],
        );
        if (stored.rowCount === 0) throw new FormTokenUsedError();
      } catch (error) {
        const { code, constraint } = error as { code?: string; constraint?: string };
        if (code === '23505' && constraint?.includes('reference')) throw new DuplicateReferenceError();
        throw error;
      }
    },
    async findFormToken(id) {
      const { rows: found } = await pool.query<FormTokenRow>(
        'SELECT message_id, reference, digest FROM contact_form_tokens WHERE id = $1',
        [id],
      );
      return formTokenFromRow(found[0]);
    },
    async deleteExpiredFormTokens(time) {
      return (await pool.query('DELETE FROM contact_form_tokens WHERE expires_at < $1', [time])).rowCount ?? 0;
    },
    async claim({ now, leaseMs, limit, id, onQuarantine, quarantineMs }) {
      const token = crypto.randomUUID();
      const picked = await rows(
        `UPDATE contact_messages SET status = 'sending', attempts = attempts + 1, lease_until = $2, lease_token = $3
         WHERE id IN (
           SELECT id FROM contact_messages
           WHERE ${DUE} ${id ? 'AND id = $5' : ''}
           ORDER BY next_attempt_at, created_at, id
           LIMIT $4
           FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [now, now + leaseMs, token, limit, ...(id ? [id] : [])],
      );
      const claimed: ClaimedMessage[] = [];
      for (const row of picked) {
        const read = readRow(row);
        if ('message' in read) {
          claimed.push({ message: read.message, token });
          continue;
        }
        await pool.query(
          `UPDATE contact_messages SET status = 'failed', next_attempt_at = $3, last_error = $4, lease_until = NULL, lease_token = NULL
           WHERE id = $1 ${settle}`,
          [row.id, token, now + (quarantineMs ?? 0), quarantineError(read.unreadable.problem)],
        );
        onQuarantine?.(read.unreadable);
      }
      // RETURNING has no order of its own: give the messages back in the order they were picked.
      return claimed.sort((a, b) => byDue(a.message, b.message));
    },
    markSent: (claimed, { now, ticketId }) =>
      changed(
        `UPDATE contact_messages SET status = 'sent', sent_at = $3, ticket_id = $4, last_error = NULL, lease_until = NULL, lease_token = NULL
         WHERE id = $1 ${settle}`,
        [claimed.message.id, claimed.token, now, ticketId],
      ),
    markRetry: (claimed, { nextAttemptAt, error }) =>
      changed(
        `UPDATE contact_messages SET status = 'queued', next_attempt_at = $3, last_error = $4, lease_until = NULL, lease_token = NULL
         WHERE id = $1 ${settle}`,
        [claimed.message.id, claimed.token, nextAttemptAt, error],
      ),
    markFailed: (claimed, { error, nextAttemptAt }) =>
      changed(
        `UPDATE contact_messages SET status = 'failed', next_attempt_at = $4, last_error = $3, lease_until = NULL, lease_token = NULL
         WHERE id = $1 ${settle}`,
        [claimed.message.id, claimed.token, error, nextAttemptAt ?? Number.MAX_SAFE_INTEGER],
      ),
    async list() {
      return splitRows(await rows('SELECT * FROM contact_messages ORDER BY created_at, id', [])).messages;
    },
    async unreadable() {
      return splitRows(await rows('SELECT * FROM contact_messages ORDER BY created_at, id', [])).unreadable;
    },
    async find(key) {
      const [row] = await rows('SELECT * FROM contact_messages WHERE id = $1 OR reference = $1', [key]);
      const read = row ? readRow(row) : undefined;
      return read && 'message' in read ? read.message : undefined;
    },
    async requeue(id, now) {
      const [row] = await rows(
        `WITH target AS (SELECT id, status FROM contact_messages WHERE id = $1 FOR UPDATE),
         updated AS (
           UPDATE contact_messages m SET status = 'queued', next_attempt_at = $2, last_error = NULL
           FROM target WHERE m.id = target.id AND target.status IN ('queued', 'failed') RETURNING m.id)
         SELECT target.status FROM target`,
        [id, now],
      );
      return requeueResultFor(row?.status as MessageStatus | undefined);
    },
    async requeueFailed(now) {
      const result = await pool.query(
        `UPDATE contact_messages SET status = 'queued', next_attempt_at = $1, last_error = NULL WHERE status = 'failed'`,
        [now],
      );
      return result.rowCount ?? 0;
    },
    async checkWritable(timeoutMs) {
      const check = pool.query<{ read_only: boolean }>('SELECT pg_is_in_recovery() AS read_only');
      let readOnly: boolean;
      try {
        readOnly = (await withTimeout('the database check', timeoutMs, check)).rows[0]?.read_only ?? true;
      } catch (error) {
        check.catch(() => undefined);
        throw error instanceof OutboxUnavailableError
          ? error
          : new OutboxUnavailableError(`the database cannot be reached: ${(error as Error).message}`);
      }
      if (readOnly) throw new OutboxUnavailableError('the database is read-only');
    },
    async deleteSentBefore(time) {
      return (await pool.query(`DELETE FROM contact_messages WHERE status = 'sent' AND sent_at < $1`, [time])).rowCount ?? 0;
    },
    async close() {
      await pool.end();
    },
  };
}
