import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { enqueueMessage } from '../../src/contact/enqueue';
import type { MessagePayload, Outbox } from '../../src/contact/outbox';
import { DuplicateReferenceError, FormTokenUsedError } from '../../src/contact/outbox';
import { openPostgresOutbox } from '../../src/contact/postgres-outbox';
import { SQLITE_FILE, openSqliteOutbox } from '../../src/contact/sqlite-outbox';
import { removeTempDir, tempDir } from './helpers/contact-app';
import type { TestDatabase } from './helpers/postgres';
import { createTestDatabase, describePostgres } from './helpers/postgres';

const payload: MessagePayload = {
  fullName: 'Sam Patient',
  email: 'sam@example.com',
  service: { id: 'nhs-app', name: 'NHS App' },
  problem: { value: 'logging-in', text: 'Logging in' },
  description: 'It broke.',
};

let sequence = 0;
function message(createdAt = 1000, reference?: string): { id: string; reference: string; createdAt: number; payload: MessagePayload } {
  sequence += 1;
  return { id: `id-${sequence}`, reference: reference ?? `HC-TEST-${String(sequence).padStart(2, '0').slice(-2)}`, createdAt, payload };
}

/** Empties the PostgreSQL outbox between tests. */
async function truncate(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('TRUNCATE contact_messages, contact_form_tokens');
  } finally {
    await client.end();
  }
}

/** The same behaviour from both databases. */
function behavesAsAnOutbox(open: () => Promise<Outbox>, close: (outbox: Outbox) => Promise<void>): void {
  let outbox: Outbox;
  beforeEach(async () => {
    outbox = await open();
  });
  afterEach(async () => {
    await close(outbox);
  });

  it('stores a message as queued and finds it by id or reference', async () => {
    const m = message();
    await outbox.add(m);
    expect(await outbox.find(m.id)).toEqual({ ...m, status: 'queued', attempts: 0, nextAttemptAt: 1000 });
    expect((await outbox.find(m.reference))?.id).toBe(m.id);
    expect(await outbox.find('nothing')).toBeUndefined();
  });

  it('refuses a reference already used', async () => {
    await outbox.add(message(1000, 'HC-SAME-00'));
    await expect(outbox.add(message(1000, 'HC-SAME-00'))).rejects.toBeInstanceOf(DuplicateReferenceError);
  });

  it('claims due messages oldest first, counts the attempt, and holds them for the lease', async () => {
    const [a, b, c] = [message(1), message(2), message(3)];
    for (const m of [c, a, b]) await outbox.add(m);
    const first = await outbox.claim({ now: 10, leaseMs: 100, limit: 2 });
    expect(first.map((x) => x.message.id)).toEqual([a.id, b.id]);
    expect(first[0]!.message).toMatchObject({ status: 'sending', attempts: 1, leaseUntil: 110 });
    expect((await outbox.claim({ now: 50, leaseMs: 100, limit: 5 })).map((x) => x.message.id)).toEqual([c.id]);
    expect(await outbox.claim({ now: 109, leaseMs: 100, limit: 5 })).toEqual([]);
    const again = await outbox.claim({ now: 110, leaseMs: 100, limit: 5 });
    expect(again.map((x) => x.message.id)).toEqual([a.id, b.id]);
    expect(again[0]!.message.attempts).toBe(2);
  });

  it('lets only the current holder settle a message', async () => {
    const m = message();
    await outbox.add(m);
    const [stale] = await outbox.claim({ now: 1000, leaseMs: 10, limit: 1 });
    const [current] = await outbox.claim({ now: 1010, leaseMs: 10, limit: 1 });
    expect(await outbox.markSent(stale!, { now: 1011, ticketId: 'x' })).toBe(false);
    expect(await outbox.markSent(current!, { now: 1012, ticketId: '42' })).toBe(true);
    expect(await outbox.find(m.id)).toMatchObject({ status: 'sent', sentAt: 1012, ticketId: '42', attempts: 2 });
    expect((await outbox.find(m.id))?.leaseUntil).toBeUndefined();
  });

  it('schedules a retry, and keeps a failed message', async () => {
    const [m, n] = [message(), message()];
    await outbox.add(m);
    await outbox.add(n);
    const claimed = await outbox.claim({ now: 1000, leaseMs: 10, limit: 2 });
    const [cm, cn] = [m, n].map((x) => claimed.find((c) => c.message.id === x.id));
    await outbox.markRetry(cm!, { nextAttemptAt: 5000, error: 'HTTP 503' });
    await outbox.markFailed(cn!, { error: 'HTTP 422' });
    expect(await outbox.find(m.id)).toMatchObject({ status: 'queued', nextAttemptAt: 5000, lastError: 'HTTP 503' });
    expect(await outbox.find(n.id)).toMatchObject({ status: 'failed', lastError: 'HTTP 422' });
    expect(await outbox.claim({ now: 4999, leaseMs: 10, limit: 5 })).toEqual([]);
    expect((await outbox.claim({ now: 5000, leaseMs: 10, limit: 5 })).map((x) => x.message.id)).toEqual([m.id]);
  });

  it('claims one message by id when asked', async () => {
    const [m, n] = [message(), message()];
    await outbox.add(m);
    await outbox.add(n);
    expect((await outbox.claim({ now: 1000, leaseMs: 10, limit: 1, id: n.id })).map((x) => x.message.id)).toEqual([n.id]);
    expect(await outbox.claim({ now: 1000, leaseMs: 10, limit: 1, id: n.id })).toEqual([]);
  });

  it('requeues a failed message keeping its attempts, but not one being sent or sent', async () => {
    const [m, n] = [message(), message()];
    await outbox.add(m);
    await outbox.add(n);
    const claimed = await outbox.claim({ now: 1000, leaseMs: 10, limit: 2 });
    const [cm, cn] = [m, n].map((x) => claimed.find((c) => c.message.id === x.id));
    await outbox.markFailed(cm!, { error: 'HTTP 422' });
    expect(await outbox.requeue(m.id, 2000)).toBe('requeued');
    expect(await outbox.find(m.id)).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: 2000 });
    expect((await outbox.find(m.id))?.lastError).toBeUndefined();
    expect(await outbox.requeue(n.id, 2000)).toBe('sending');
    await outbox.markSent(cn!, { now: 1001, ticketId: '1' });
    expect(await outbox.requeue(n.id, 2000)).toBe('sent');
    expect(await outbox.requeue('missing', 2000)).toBe('not-found');
  });

  it('deletes only messages sent before the cut-off', async () => {
    const [old, recent, waiting] = [message(), message(), message()];
    for (const m of [old, recent, waiting]) await outbox.add(m);
    const claimed = await outbox.claim({ now: 1000, leaseMs: 10, limit: 3 });
    const [co, cr] = [old, recent].map((x) => claimed.find((c) => c.message.id === x.id));
    await outbox.markSent(co!, { now: 100, ticketId: '1' });
    await outbox.markSent(cr!, { now: 900, ticketId: '2' });
    expect(await outbox.deleteSentBefore(500)).toBe(1);
    expect((await outbox.list()).map((m) => m.id).sort()).toEqual([recent.id, waiting.id].sort());
  });

  it('stores one message per form token, even when 30 are added at the same moment', async () => {
    const formToken = { id: 'token-hash', expiresAt: 5000, digest: 'digest-1' };
    const added = Array.from({ length: 30 }, () => message());
    const results = await Promise.allSettled(added.map((m) => outbox.add({ ...m, formToken })));
    const stored = results.flatMap((result, i) => (result.status === 'fulfilled' ? [added[i]!] : []));
    expect(stored).toHaveLength(1);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refused.every((result) => result.reason instanceof FormTokenUsedError)).toBe(true);
    expect((await outbox.list()).map((m) => m.id)).toEqual([stored[0]!.id]);
    expect(await outbox.findFormToken('token-hash')).toEqual({
      messageId: stored[0]!.id,
      reference: stored[0]!.reference,
      digest: 'digest-1',
    });
    expect(await outbox.findFormToken('another')).toBeUndefined();
  });

  it('stores nothing of a message whose reference is taken, so its form token stays free', async () => {
    await outbox.add(message(1000, 'HC-SAME-01'));
    const formToken = { id: 'token-free', expiresAt: 5000, digest: 'd' };
    await expect(outbox.add({ ...message(1000, 'HC-SAME-01'), formToken })).rejects.toBeInstanceOf(DuplicateReferenceError);
    expect(await outbox.findFormToken('token-free')).toBeUndefined();
    const stored = await enqueueMessage(outbox, payload, { formToken });
    expect((await outbox.findFormToken('token-free'))?.messageId).toBe(stored.id);
  });

  it('deletes the records of form tokens once they have expired, and leaves their messages', async () => {
    const [a, b] = [message(), message()];
    await outbox.add({ ...a, formToken: { id: 'expires-5000', expiresAt: 5000, digest: 'd' } });
    await outbox.add({ ...b, formToken: { id: 'expires-9000', expiresAt: 9000, digest: 'd' } });
    expect(await outbox.deleteExpiredFormTokens(5000)).toBe(0);
    expect(await outbox.deleteExpiredFormTokens(5001)).toBe(1);
    expect(await outbox.findFormToken('expires-5000')).toBeUndefined();
    expect(await outbox.findFormToken('expires-9000')).toBeDefined();
    expect(await outbox.list()).toHaveLength(2);
  });

  it('gives each message a new reference when one is taken', async () => {
    await outbox.add(message(1000, 'HC-AAAA-AA'));
    const references = ['HC-AAAA-AA', 'HC-BBBB-BB'];
    const stored = await enqueueMessage(outbox, payload, { newReference: () => references.shift()! });
    expect(stored.reference).toBe('HC-BBBB-BB');
    expect((await outbox.find(stored.id))?.payload).toEqual(payload);
  });
}

describe('SQLite outbox', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeTempDir(dir));

  describe('behaves as an outbox', () => {
    const dirs = new Map<Outbox, string>();
    behavesAsAnOutbox(
      async () => {
        const folder = tempDir();
        const outbox = openSqliteOutbox(folder);
        dirs.set(outbox, folder);
        return outbox;
      },
      async (outbox) => {
        await outbox.close();
        removeTempDir(dirs.get(outbox)!);
      },
    );
  });

  it('creates its folder and a file only its owner can read, in WAL mode with full sync', async () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const outbox = openSqliteOutbox(dataDir);
    await outbox.add(message());
    const file = path.join(dataDir, SQLITE_FILE);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await outbox.close();
  });

  it('tightens the mode of a file that already exists', async () => {
    fs.writeFileSync(path.join(dir, SQLITE_FILE), '', { mode: 0o644 });
    fs.chmodSync(path.join(dir, SQLITE_FILE), 0o644);
    const outbox = openSqliteOutbox(dir);
    expect(fs.statSync(path.join(dir, SQLITE_FILE)).mode & 0o777).toBe(0o600);
    await outbox.close();
  });

  it('keeps messages when closed and opened again', async () => {
    const m = message();
    const first = openSqliteOutbox(dir);
    await first.add(m);
    await first.close();
    const second = openSqliteOutbox(dir);
    expect((await second.find(m.id))?.status).toBe('queued');
    await second.close();
  });
});

describePostgres('PostgreSQL outbox', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  describe('behaves as an outbox', () => {
    behavesAsAnOutbox(
      () => openPostgresOutbox(db.url),
      async (outbox) => {
        await truncate(db.url);
        await outbox.close();
      },
    );
  });

  it('creates its table safely when several replicas start at once', async () => {
    const outboxes = await Promise.all([1, 2, 3, 4].map(() => openPostgresOutbox(db.url)));
    try {
      const added = outboxes.map((_, i) => message(2000 + i, `HC-OPEN-0${i}`));
      await Promise.all(outboxes.map((outbox, i) => outbox.add(added[i]!)));
      // One table: each replica sees what every other one added.
      for (const outbox of outboxes) {
        const ids = (await outbox.list()).map((m) => m.id);
        expect(ids).toEqual(expect.arrayContaining(added.map((m) => m.id)));
      }
    } finally {
      await Promise.all(outboxes.map((outbox) => outbox.close()));
      await truncate(db.url);
    }
  });

  it('stores one message per form token when two replicas add it at the same moment', async () => {
    const replicas = await Promise.all([1, 2].map(() => openPostgresOutbox(db.url, { poolSize: 8 })));
    try {
      const formToken = { id: 'shared-token', expiresAt: 5000, digest: 'd' };
      const added = Array.from({ length: 30 }, (_, i) => ({ outbox: replicas[i % 2]!, message: { ...message(), formToken } }));
      const results = await Promise.allSettled(added.map(({ outbox, message: m }) => outbox.add(m)));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((result) => result.status === 'rejected' && result.reason instanceof FormTokenUsedError)).toHaveLength(29);
      expect(await replicas[1]!.list()).toHaveLength(1);
    } finally {
      await Promise.all(replicas.map((outbox) => outbox.close()));
      await truncate(db.url);
    }
  });

  it('never gives the same message to two senders claiming at the same moment', async () => {
    const a = await openPostgresOutbox(db.url);
    const b = await openPostgresOutbox(db.url);
    try {
      for (let i = 0; i < 60; i += 1) await a.add(message(i));
      const claimed: string[] = [];
      const drain = async (outbox: Outbox): Promise<void> => {
        for (;;) {
          const batch = await outbox.claim({ now: 10_000, leaseMs: 60_000, limit: 3 });
          if (batch.length === 0) return;
          claimed.push(...batch.map((x) => x.message.id));
        }
      };
      await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
      expect(claimed).toHaveLength(60);
      expect(new Set(claimed).size).toBe(60);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
