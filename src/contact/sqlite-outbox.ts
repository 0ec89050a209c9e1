import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { SqliteFileGoneError, openSqliteFile } from '../storage/sqlite-file';
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
  /** Told when the file was found removed or replaced: recreated (warn) or not (error). */
  logger?: Pick<Logger, 'warn' | 'error'>;
}

/**
 * The outbox in an SQLite file under `dataDir`. WAL with synchronous=FULL: a message is on disk
 * when `add` returns, so it survives the process being killed or the machine losing power.
 * Every use first checks that the file is still the one opened: if DATA_DIR was removed or
 * replaced, the file is made again with every message, token and row the old one held (see
 * openSqliteFile), and a warning names it. If that fails, the outbox fails (503, /readyz down)
 * rather than write to a file nobody can open again.
 */
export function openSqliteOutbox(dataDir: string, options: SqliteOutboxOptions = {}): Outbox {
  if (options.create === false) {
    const file = path.join(dataDir, SQLITE_FILE);
    if (!fs.existsSync(file)) {
      throw new OutboxUnavailableError(`There is no outbox at ${file}. Check DATA_DIR (or set DATABASE_URL) where the server runs.`);
    }
  }
  const { logger } = options;
  const store = openSqliteFile({
    dataDir,
    name: SQLITE_FILE,
    create: options.create,
    schema: OUTBOX_SCHEMA,
    busyTimeoutMs: options.busyTimeoutMs ?? 1000,
    prepare: prepareStatements,
    onRecovered: ({ file, copied, failed }) =>
      logger?.warn({ file, copied, failed }, 'the outbox file was removed or replaced: made it again with every row the old one held'),
    onRecoveryFailed: (error, file) =>
      logger?.error({ file, err: { message: error.message } }, 'the outbox file was removed or replaced and cannot be made again'),
  });
  return sqliteOutbox(
    () => {
      try {
        return store.current();
      } catch (error) {
        throw error instanceof SqliteFileGoneError ? new OutboxUnavailableError(error.message) : error;
      }
    },
    () => store.close(),
  );
}

/** An outbox that lives in memory only, for tests and tools that never keep messages. */
export function openMemoryOutbox(): Outbox {
  const db = new Database(':memory:');
  for (const statement of OUTBOX_SCHEMA) db.exec(statement);
  const current = { db, prepared: prepareStatements(db) };
  return sqliteOutbox(
    () => current,
    () => {
      if (db.open) db.close();
    },
  );
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
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

  return { insert, add, tokenById, purgeTokens, claim, sent, retry, failed, all, byKey, requeue, requeueFailed, statusOf, purge };
}

function sqliteOutbox(current: () => { db: Database.Database; prepared: Statements }, close: () => void): Outbox {
  const use = (): Statements => current().prepared;
  return {
    kind: 'sqlite',
    async add(message: NewMessage) {
      try {
        use().add.immediate(message);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'SQLITE_CONSTRAINT_UNIQUE' && /reference/.test(String((error as Error).message))) throw new DuplicateReferenceError();
        throw error;
      }
      // Checked again: a message written just as the file went is copied to the new one before the patient is told.
      current();
    },
    async findFormToken(id) {
      return formTokenFromRow(use().tokenById.get(id) as FormTokenRow | undefined);
    },
    async deleteExpiredFormTokens(time) {
      return use().purgeTokens.run(time).changes;
    },
    async claim(options) {
      return use().claim.immediate(options);
    },
    async markSent(claimed, result) {
      return use().sent.run({ id: claimed.message.id, token: claimed.token, now: result.now, ticketId: result.ticketId }).changes === 1;
    },
    async markRetry(claimed, result) {
      return use().retry.run({ id: claimed.message.id, token: claimed.token, ...result }).changes === 1;
    },
    async markFailed(claimed, result) {
      const nextAttemptAt = result.nextAttemptAt ?? Number.MAX_SAFE_INTEGER;
      return use().failed.run({ id: claimed.message.id, token: claimed.token, error: result.error, nextAttemptAt }).changes === 1;
    },
    async list(): Promise<OutboxMessage[]> {
      return splitRows(use().all.all() as MessageRow[]).messages;
    },
    async unreadable() {
      return splitRows(use().all.all() as MessageRow[]).unreadable;
    },
    async find(key) {
      const row = use().byKey.get(key, key) as MessageRow | undefined;
      const read = row ? readRow(row) : undefined;
      return read && 'message' in read ? read.message : undefined;
    },
    async requeue(id, now) {
      const statements = use();
      if (statements.requeue.run(now, id).changes === 1) return 'requeued';
      const row = statements.statusOf.get(id) as { status: OutboxMessage['status'] } | undefined;
      return requeueResultFor(row?.status);
    },
    async requeueFailed(now) {
      return use().requeueFailed.run(now).changes;
    },
    async checkWritable() {
      const { db } = current();
      try {
        // Takes the write lock and lets it go: fails on a read-only or locked database.
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
      } catch (error) {
        throw new OutboxUnavailableError(`the outbox cannot be written: ${(error as Error).message}`);
      }
    },
    async deleteSentBefore(time) {
      return use().purge.run(time).changes;
    },
    async close() {
      close();
    },
  };
}
