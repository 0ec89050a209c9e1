import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ClaimedMessage, MessageRow, NewMessage, Outbox, OutboxMessage } from './outbox';
import { DuplicateReferenceError, OUTBOX_SCHEMA, messageFromRow, requeueResultFor } from './outbox';

export const SQLITE_FILE = 'outbox.sqlite';

/** Creates the folder (700) and the database file (600) if they do not exist yet. */
function prepareFile(dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, SQLITE_FILE);
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  fs.chmodSync(file, 0o600);
  return file;
}

/**
 * The outbox in an SQLite file under `dataDir`. WAL with synchronous=FULL: a message is on disk
 * when `add` returns, so it survives the process being killed or the machine losing power.
 */
export function openSqliteOutbox(dataDir: string): Outbox {
  const db = new Database(prepareFile(dataDir));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  for (const statement of OUTBOX_SCHEMA) db.exec(statement);

  const insert = db.prepare(
    `INSERT INTO contact_messages (id, reference, created_at, status, attempts, next_attempt_at, payload)
     VALUES (?, ?, ?, 'queued', 0, ?, ?)`,
  );
  const due = db.prepare(
    `SELECT id FROM contact_messages
     WHERE (status = 'queued' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until <= @now)
     ORDER BY next_attempt_at, created_at, id LIMIT @limit`,
  );
  const dueOne = db.prepare(
    `SELECT id FROM contact_messages
     WHERE id = @id AND ((status = 'queued' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until <= @now))`,
  );
  const take = db.prepare(
    `UPDATE contact_messages SET status = 'sending', attempts = attempts + 1, lease_until = @leaseUntil, lease_token = @token
     WHERE id = @id RETURNING *`,
  );
  const settle = (set: string) =>
    db.prepare(
      `UPDATE contact_messages SET ${set}, lease_until = NULL, lease_token = NULL WHERE id = @id AND status = 'sending' AND lease_token = @token`,
    );
  const sent = settle(`status = 'sent', sent_at = @now, ticket_id = @ticketId, last_error = NULL`);
  const retry = settle(`status = 'queued', next_attempt_at = @nextAttemptAt, last_error = @error`);
  const failed = settle(`status = 'failed', last_error = @error`);
  const all = db.prepare('SELECT * FROM contact_messages ORDER BY created_at, id');
  const byKey = db.prepare('SELECT * FROM contact_messages WHERE id = ? OR reference = ?');
  const requeue = db.prepare(
    `UPDATE contact_messages SET status = 'queued', attempts = 0, next_attempt_at = ?, last_error = NULL
     WHERE id = ? AND status IN ('queued', 'failed')`,
  );
  const statusOf = db.prepare('SELECT status FROM contact_messages WHERE id = ?');
  const purge = db.prepare(`DELETE FROM contact_messages WHERE status = 'sent' AND sent_at < ?`);

  const claim = db.transaction((options: { now: number; leaseMs: number; limit: number; id?: string }): ClaimedMessage[] => {
    const ids = (options.id ? dueOne.all({ id: options.id, now: options.now }) : due.all(options)) as { id: string }[];
    const token = crypto.randomUUID();
    return ids.map(({ id }) => ({
      message: messageFromRow(take.get({ id, leaseUntil: options.now + options.leaseMs, token }) as MessageRow),
      token,
    }));
  });

  return {
    kind: 'sqlite',
    async add(message: NewMessage) {
      try {
        insert.run(message.id, message.reference, message.createdAt, message.createdAt, JSON.stringify(message.payload));
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'SQLITE_CONSTRAINT_UNIQUE' && /reference/.test(String((error as Error).message))) throw new DuplicateReferenceError();
        throw error;
      }
    },
    async claim(options) {
      return claim.immediate(options);
    },
    async markSent(claimed, result) {
      return sent.run({ id: claimed.message.id, token: claimed.token, now: result.now, ticketId: result.ticketId }).changes === 1;
    },
    async markRetry(claimed, result) {
      return retry.run({ id: claimed.message.id, token: claimed.token, ...result }).changes === 1;
    },
    async markFailed(claimed, result) {
      return failed.run({ id: claimed.message.id, token: claimed.token, error: result.error }).changes === 1;
    },
    async list(): Promise<OutboxMessage[]> {
      return (all.all() as MessageRow[]).map(messageFromRow);
    },
    async find(key) {
      const row = byKey.get(key, key) as MessageRow | undefined;
      return row ? messageFromRow(row) : undefined;
    },
    async requeue(id, now) {
      if (requeue.run(now, id).changes === 1) return 'requeued';
      const row = statusOf.get(id) as { status: OutboxMessage['status'] } | undefined;
      return requeueResultFor(row?.status);
    },
    async deleteSentBefore(time) {
      return purge.run(time).changes;
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
