import crypto from 'node:crypto';
import { Pool } from 'pg';
import type { MessageRow, MessageStatus, Outbox, OutboxMessage } from './outbox';
import { DuplicateReferenceError, OUTBOX_SCHEMA, messageFromRow, requeueResultFor } from './outbox';

/** Any number, so replicas creating the table at the same moment take turns. */
const SCHEMA_LOCK = 7_340_211;

function byDue(a: OutboxMessage, b: OutboxMessage): number {
  return a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const DUE = `((status = 'queued' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1))`;

/**
 * The outbox in PostgreSQL, for several replicas. `claim` locks due rows with
 * FOR UPDATE SKIP LOCKED, so each message is held by exactly one sender at a time.
 */
export async function openPostgresOutbox(databaseUrl: string, options: { poolSize?: number } = {}): Promise<Outbox> {
  const pool = new Pool({ connectionString: databaseUrl, max: options.poolSize ?? 4 });
  // An idle connection that drops must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    for (const statement of OUTBOX_SCHEMA) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    await pool.end();
    throw error;
  }
  client.release();

  const rows = async (text: string, values: unknown[]): Promise<MessageRow[]> => (await pool.query<MessageRow>(text, values)).rows;
  const changed = async (text: string, values: unknown[]): Promise<boolean> => ((await pool.query(text, values)).rowCount ?? 0) === 1;
  const settle = `AND status = 'sending' AND lease_token = $2`;

  return {
    kind: 'postgres',
    async add(message) {
      try {
        await pool.query(
          `INSERT INTO contact_messages (id, reference, created_at, status, attempts, next_attempt_at, payload)
           VALUES ($1, $2, $3, 'queued', 0, $3, $4)`,
          [message.id, message.reference, message.createdAt, JSON.stringify(message.payload)],
        );
      } catch (error) {
        const { code, constraint } = error as { code?: string; constraint?: string };
        if (code === '23505' && constraint?.includes('reference')) throw new DuplicateReferenceError();
        throw error;
      }
    },
    async claim({ now, leaseMs, limit, id }) {
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
      // RETURNING has no order of its own: give the messages back in the order they were picked.
      return picked.map((row) => ({ message: messageFromRow(row), token })).sort((a, b) => byDue(a.message, b.message));
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
    markFailed: (claimed, { error }) =>
      changed(
        `UPDATE contact_messages SET status = 'failed', last_error = $3, lease_until = NULL, lease_token = NULL
         WHERE id = $1 ${settle}`,
        [claimed.message.id, claimed.token, error],
      ),
    async list() {
      return (await rows('SELECT * FROM contact_messages ORDER BY created_at, id', [])).map(messageFromRow);
    },
    async find(key) {
      const [row] = await rows('SELECT * FROM contact_messages WHERE id = $1 OR reference = $1', [key]);
      return row ? messageFromRow(row) : undefined;
    },
    async requeue(id, now) {
      const [row] = await rows(
        `WITH target AS (SELECT id, status FROM contact_messages WHERE id = $1 FOR UPDATE),
         updated AS (
           UPDATE contact_messages m SET status = 'queued', attempts = 0, next_attempt_at = $2, last_error = NULL
           FROM target WHERE m.id = target.id AND target.status IN ('queued', 'failed') RETURNING m.id)
         SELECT target.status FROM target`,
        [id, now],
      );
      return requeueResultFor(row?.status as MessageStatus | undefined);
    },
    async deleteSentBefore(time) {
      return (await pool.query(`DELETE FROM contact_messages WHERE status = 'sent' AND sent_at < $1`, [time])).rowCount ?? 0;
    },
    async close() {
      await pool.end();
    },
  };
}
