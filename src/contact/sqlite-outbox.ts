import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { prepareSqliteFile } from '../storage/sqlite-file';
import type { ClaimOptions, ClaimedMessage, FormTokenRow, MessageRow, NewMessage, Outbox, OutboxMessage } from './outbox';
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
} from './outbox';

export const SQLITE_FILE = 'outbox.sqlite';

export interface SqliteOutboxOptions {
  /** False for tools that read an existing outbox: a missing file is an error, not a new outbox. */
  create?: boolean;
  /** How long a statement waits for another process's lock. SQLite blocks the event loop meanwhile. */
  busyTimeoutMs?: number;
}

/** The file as it was when opened, to notice it being deleted or replaced under us. */
function identityOf(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * The outbox in an SQLite file under `dataDir`. WAL with synchronous=FULL: a message is on disk
 * when `add` returns, so it survives the process being killed or the machine losing power.
 * Each `add` first checks that the file is still the one opened: if DATA_DIR was removed or
 * replaced, a write would go to a file nobody can open again, so it fails instead.
 */
export function openSqliteOutbox(dataDir: string, options: SqliteOutboxOptions = {}): Outbox {
  let file: string;
  if (options.create === false) {
    file = path.join(dataDir, SQLITE_FILE);
    if (!fs.existsSync(file)) {
      throw new OutboxUnavailableError(`There is no outbox at ${file}. Check DATA_DIR (or set DATABASE_URL) where the server runs.`);
    }
  } else {
    file = prepareSqliteFile(dataDir, SQLITE_FILE);
  }
  return sqliteOutbox(new Database(file, { fileMustExist: options.create === false }), file, options.busyTimeoutMs ?? 1000);
}

/** An outbox that lives in memory only, for tests and tools that never keep messages. */
export function openMemoryOutbox(): Outbox {
  return sqliteOutbox(new Database(':memory:'), undefined, 1000);
}

function sqliteOutbox(db: Database.Database, file: string | undefined, busyTimeoutMs: number): Outbox {
  if (file) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
  for (const statement of OUTBOX_SCHEMA) db.exec(statement);
  const identity = file ? identityOf(file) : undefined;
  const assertInPlace = (): void => {
    if (file && identityOf(file) !== identity)
      throw new OutboxUnavailableError('the outbox file was removed or replaced (is DATA_DIR still there?)');
  };

  const insert = db.prepare(
    `INSERT INTO contact_messages (id, reference, created_at, status, attempts, next_attempt_at, payload)
     VALUES (?, ?, ?, 'queued', 0, ?, ?)`,
  );
  const insertToken = db.prepare('INSERT INTO contact_form_tokens (id, message_id, reference, digest, expires_at) VALUES (?, ?, ?, ?, ?)');
  const tokenById = db.prepare('SELECT message_id, reference, digest FROM contact_form_tokens WHERE id = ?');
  const purgeTokens = db.prepare('DELETE FROM contact_form_tokens WHERE expires_at < ?');
  const add = db.transaction((message: NewMessage) => {
    const token = message.formToken;
    if (token) {
      try {
        insertToken.run(token.id, message.id, message.reference, token.digest, token.expiresAt);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new FormTokenUsedError();
        throw error;
      }
    }
    insert.run(message.id, message.reference, message.createdAt, message.createdAt, JSON.stringify(message.payload));
  });
  const due = db.prepare(
    `SELECT id FROM contact_messages WHERE ${dueCondition('@now')} ORDER BY next_attempt_at, created_at, id LIMIT @limit`,
  );
  const dueOne = db.prepare(`SELECT id FROM contact_messages WHERE id = @id AND ${dueCondition('@now')}`);
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
  const failed = settle(`status = 'failed', next_attempt_at = @nextAttemptAt, last_error = @error`);
  const all = db.prepare('SELECT * FROM contact_messages ORDER BY created_at, id');
  const byKey = db.prepare('SELECT * FROM contact_messages WHERE id = ? OR reference = ?');
  const requeue = db.prepare(
    `UPDATE contact_messages SET status = 'queued', next_attempt_at = ?, last_error = NULL
     WHERE id = ? AND status IN ('queued', 'failed')`,
  );
  const requeueFailed = db.prepare(
    `UPDATE contact_messages SET status = 'queued', next_attempt_at = ?, last_error = NULL WHERE status = 'failed'`,
  );
  const quarantine = settle(`status = 'failed', next_attempt_at = @nextAttemptAt, last_error = @error`);
  const statusOf = db.prepare('SELECT status FROM contact_messages WHERE id = ?');
  const purge = db.prepare(`DELETE FROM contact_messages WHERE status = 'sent' AND sent_at < ?`);

  const claim = db.transaction((options: ClaimOptions): ClaimedMessage[] => {
    const ids = (options.id ? dueOne.all({ id: options.id, now: options.now }) : due.all({ now: options.now, limit: options.limit })) as {
      id: string;
    }[];
    const token = crypto.randomUUID();
    const claimed: ClaimedMessage[] = [];
    for (const { id } of ids) {
      const read = readRow(take.get({ id, leaseUntil: options.now + options.leaseMs, token }) as MessageRow);
      if ('message' in read) {
        claimed.push({ message: read.message, token });
        continue;
      }
      quarantine.run({
        id,
        token,
        nextAttemptAt: options.now + (options.quarantineMs ?? 0),
        error: quarantineError(read.unreadable.problem),
      });
      options.onQuarantine?.(read.unreadable);
    }
    return claimed;
  });

  return {
    kind: 'sqlite',
    async add(message: NewMessage) {
      assertInPlace();
      try {
        add.immediate(message);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'SQLITE_CONSTRAINT_UNIQUE' && /reference/.test(String((error as Error).message))) throw new DuplicateReferenceError();
        throw error;
      }
    },
    async findFormToken(id) {
      return formTokenFromRow(tokenById.get(id) as FormTokenRow | undefined);
    },
    async deleteExpiredFormTokens(time) {
      return purgeTokens.run(time).changes;
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
      const nextAttemptAt = result.nextAttemptAt ?? Number.MAX_SAFE_INTEGER;
      return failed.run({ id: claimed.message.id, token: claimed.token, error: result.error, nextAttemptAt }).changes === 1;
    },
    async list(): Promise<OutboxMessage[]> {
      return splitRows(all.all() as MessageRow[]).messages;
    },
    async unreadable() {
      return splitRows(all.all() as MessageRow[]).unreadable;
    },
    async find(key) {
      const row = byKey.get(key, key) as MessageRow | undefined;
      const read = row ? readRow(row) : undefined;
      return read && 'message' in read ? read.message : undefined;
    },
    async requeue(id, now) {
      if (requeue.run(now, id).changes === 1) return 'requeued';
      const row = statusOf.get(id) as { status: OutboxMessage['status'] } | undefined;
      return requeueResultFor(row?.status);
    },
    async requeueFailed(now) {
      return requeueFailed.run(now).changes;
    },
    async checkWritable() {
      assertInPlace();
      try {
        // Takes the write lock and lets it go: fails on a read-only or locked database.
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
      } catch (error) {
        throw new OutboxUnavailableError(`the outbox cannot be written: ${(error as Error).message}`);
      }
    },
    async deleteSentBefore(time) {
      return purge.run(time).changes;
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
