import Database from 'better-sqlite3';
import path from 'node:path';
import pino from 'pino';
import { runMessagesCommand } from '../../src/cli/messages';
import type { Config, ZendeskConfig } from '../../src/config';
import { enqueueMessage } from '../../src/contact/enqueue';
import type { MessagePayload, Outbox } from '../../src/contact/outbox';
import type { Sender, SenderOptions } from '../../src/contact/sender';
import { createSender } from '../../src/contact/sender';
import { SQLITE_FILE, openSqliteOutbox } from '../../src/contact/sqlite-outbox';
import { createZendesk } from '../../src/contact/zendesk';
import { testConfig } from '../helpers/app';
import { removeTempDir, tempDir } from './helpers/contact-app';
import type { Answer, LookupAnswer } from './helpers/fake-ticket-server';
import { FakeTicketServer } from './helpers/fake-ticket-server';

/**
 * The delivery contract in docs/contact.md: a message is sent only with a ticket id Zendesk
 * returned or found; it is sent again only after the lookup answered "no such ticket"; bad
 * rows are set aside without blocking the rest; failed messages keep being tried, slowly.
 */

const payload: MessagePayload = {
  fullName: 'Sam Patient',
  email: 'sam.patient@example.com',
  service: { id: 'nhs-app', name: 'NHS App' },
  problem: { value: 'logging-in', text: 'Logging in' },
  description: 'A private description of the problem.',
};

const FAILED_RETRY_MS = 6 * 60 * 60_000;
const OPTIONS: SenderOptions = {
  pollMs: 20,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxAttempts: 20,
  failedRetryMs: FAILED_RETRY_MS,
  leaseMs: 6000,
  batchSize: 5,
  retentionMs: 30 * 24 * 60 * 60_000,
  purgeEveryMs: 60 * 60_000,
};

let dir: string;
let outbox: Outbox;
let tickets: FakeTicketServer;
let clock: number;
let lines: string[];

function zendesk(): ZendeskConfig {
  return { url: tickets.url, email: 'support@example.com', apiToken: 'secret-token', timeoutMs: 2000 };
}

function sender(options: Partial<SenderOptions> = {}): Sender {
  return createSender({
    outbox,
    tickets: createZendesk(zendesk()),
    logger: pino({ level: 'debug' }, { write: (line: string) => lines.push(line) }),
    options: { ...OPTIONS, ...options },
    now: () => clock,
    random: () => 0.5,
  });
}

/** Runs the sender round after round, an hour apart, as a long outage would. */
async function rounds(count: number, send: Sender): Promise<void> {
  for (let round = 0; round < count; round += 1) {
    clock += 60 * 60_000;
    await send.runOnce();
  }
}

function cliConfig(): Config {
  const config = testConfig({}, { DATA_DIR: dir });
  return { ...config, contact: { ...config.contact, zendesk: zendesk() } };
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  await outbox.close();
  const code = await runMessagesCommand(args, cliConfig(), { out: (t) => (out += t), err: (t) => (err += t) });
  outbox = openSqliteOutbox(dir);
  return { code, out, err };
}

beforeEach(async () => {
  dir = tempDir();
  outbox = openSqliteOutbox(dir);
  tickets = await new FakeTicketServer().start();
  clock = 1_000_000;
  lines = [];
});

afterEach(async () => {
  await tickets.stop();
  await outbox.close();
  removeTempDir(dir);
});

describe('a message is sent only with a ticket id', () => {
  it.each<[string, Answer]>([
    ['200 text/html', { status: 200, body: '<html><body>OK</body></html>', contentType: 'text/html' }],
    ['201 JSON without an id', { status: 201, body: '{"request":{}}', contentType: 'application/json' }],
    ['204 with no body', { status: 204, body: '' }],
  ])('does not count %s as sent, and sends it once Zendesk says it has no such ticket', async (_name, answer) => {
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push((await enqueueMessage(outbox, payload, { now: clock })).id);
    tickets.defaultAnswer = answer;
    const send = sender();
    await send.runOnce();
    for (const id of ids) {
      expect(await outbox.find(id)).toMatchObject({ status: 'queued', lastError: expect.stringContaining('without a ticket id') });
    }

    tickets.defaultAnswer = 201;
    await rounds(1, send);
    for (const id of ids) {
      const message = await outbox.find(id);
      expect(message).toMatchObject({ status: 'sent', ticketId: String(tickets.tickets.get(id)?.id) });
      expect(message?.ticketId).toMatch(/^\d+$/);
    }
    expect(tickets.tickets.size).toBe(5);
  });
});

describe('a message is sent again only after the lookup answered "no such ticket"', () => {
  it.each<[string, LookupAnswer]>([
    ['403', { status: 403, body: '{"error":"Forbidden"}' }],
    ['401', { status: 401 }],
    ['200 that is not JSON', { status: 200, body: '<html>maintenance</html>', contentType: 'text/html' }],
    ['200 JSON without a tickets list', { status: 200, body: '{"results":[]}' }],
    ['503', { status: 503 }],
  ])('waits while the lookup answers %s, and makes no second ticket', async (_name, lookup) => {
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push((await enqueueMessage(outbox, payload, { now: clock })).id);
    // Zendesk makes each ticket but answers 500, so the sender cannot know it has them.
    tickets.defaultAnswer = { status: 500, createsTicket: true };
    tickets.defaultLookup = lookup;
    const send = sender();
    await send.runOnce();
    await rounds(6, send);
    expect([...tickets.creationsById().values()]).toEqual([1, 1, 1, 1, 1]);
    for (const id of ids) expect(await outbox.find(id)).toMatchObject({ status: 'queued', lastError: expect.stringMatching(/^lookup/) });

    tickets.defaultLookup = 'normal';
    await rounds(1, send);
    for (const id of ids) expect(await outbox.find(id)).toMatchObject({ status: 'sent', ticketId: String(tickets.tickets.get(id)?.id) });
    expect(tickets.creations).toHaveLength(5);
  });

  it('never skips the lookup when support staff retry a message Zendesk already has', async () => {
    const { id, reference } = await enqueueMessage(outbox, payload, { now: clock });
    tickets.defaultAnswer = { status: 422, createsTicket: true };
    await sender().runOnce();
    expect(await outbox.find(id)).toMatchObject({ status: 'failed', lastError: 'HTTP 422' });

    tickets.defaultAnswer = 201;
    expect(await cli(['retry', reference.toLowerCase()])).toMatchObject({ code: 0, out: `${reference} is sent\n` });
    expect(tickets.creationsById().get(id)).toBe(1);
    expect(await outbox.find(id)).toMatchObject({ status: 'sent', ticketId: String(tickets.tickets.get(id)!.id) });
  });

  it('does not send on retry while the lookup cannot answer', async () => {
    const { id, reference } = await enqueueMessage(outbox, payload, { now: clock });
    tickets.defaultAnswer = { status: 422, createsTicket: true };
    await sender().runOnce();
    tickets.defaultAnswer = 201;
    tickets.defaultLookup = { status: 403 };
    expect(await cli(['retry', reference])).toMatchObject({ code: 1, out: `${reference} is queued (lookup HTTP 403)\n` });
    expect(tickets.creationsById().get(id)).toBe(1);
  });
});

describe('rows that cannot be read', () => {
  function insertRaw(row: { id: string; reference: string; status: string; payload: string }): void {
    const db = new Database(path.join(dir, SQLITE_FILE));
    // The table's CHECK allows only known statuses; a newer version could have written another.
    db.pragma('ignore_check_constraints = ON');
    db.prepare(
      `INSERT INTO contact_messages (id, reference, created_at, status, attempts, next_attempt_at, payload)
       VALUES (@id, @reference, 1, @status, 0, 1, @payload)`,
    ).run(row);
    db.close();
  }

  it('are set aside and reported, and never stop the messages behind them', async () => {
    insertRaw({ id: 'bad-json', reference: 'HC-BAD0-01', status: 'queued', payload: '{"fullName": "Sam' });
    insertRaw({ id: 'bad-shape', reference: 'HC-BAD0-02', status: 'queued', payload: '{"fullName": 3}' });
    insertRaw({ id: 'new-status', reference: 'HC-BAD0-03', status: 'archived', payload: JSON.stringify(payload) });
    const good = [];
    for (let i = 0; i < 3; i += 1) good.push((await enqueueMessage(outbox, payload, { now: clock })).id);

    const send = sender();
    await send.runOnce();
    await send.runOnce();
    for (const id of good) expect(await outbox.find(id)).toMatchObject({ status: 'sent' });
    expect(tickets.creations).toHaveLength(3);

    const reported = lines.map((line) => JSON.parse(line) as { msg: string; messageId?: string; problem?: string });
    expect(reported.filter((entry) => entry.msg.includes('cannot be read')).map((entry) => [entry.messageId, entry.problem])).toEqual([
      ['bad-json', 'payload is not JSON'],
      ['bad-shape', 'payload has no valid fullName, email, description, service, problem'],
    ]);
    expect(lines.join('\n')).not.toContain('Sam');

    const list = await cli(['list']);
    expect(list.code).toBe(0);
    expect(list.out).toContain('3 rows cannot be read');
    expect(list.out).toMatch(/HC-BAD0-01 {2}failed .*bad-json {2}payload is not JSON/);
    expect(list.out).toMatch(/HC-BAD0-03 {2}archived .*unknown status/);
    expect(await cli(['show', 'HC-BAD0-01'])).toMatchObject({ code: 1, err: expect.stringContaining('cannot be read') });
  });

  it('back off when the outbox itself fails, instead of trying on every new message', async () => {
    let claims = 0;
    const failing: Outbox = {
      ...outbox,
      claim: () => {
        claims += 1;
        return Promise.reject(new Error('SQLITE_CORRUPT'));
      },
      deleteSentBefore: () => Promise.resolve(0),
    };
    const send = createSender({
      outbox: failing,
      tickets: createZendesk(zendesk()),
      logger: pino({ level: 'silent' }),
      options: { ...OPTIONS, pollMs: 60_000 },
    });
    send.start();
    for (let i = 0; i < 50 && claims === 0; i += 1) await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 30; i += 1) {
      send.notify();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await send.stop();
    expect(claims).toBe(1);
  });
});

describe('failed messages', () => {
  it('keep being tried on a slow schedule, and are sent when Zendesk is back', async () => {
    const { id } = await enqueueMessage(outbox, payload, { now: clock });
    tickets.defaultAnswer = 503;
    const send = sender({ maxDelayMs: 10 });
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      clock += 10;
      await send.runOnce();
    }
    expect(await outbox.find(id)).toMatchObject({ status: 'failed', attempts: 20, nextAttemptAt: clock + FAILED_RETRY_MS });
    clock += FAILED_RETRY_MS - 1;
    expect(await send.runOnce()).toBe(0);

    tickets.defaultAnswer = 201;
    clock += 1;
    expect(await send.runOnce()).toBe(1);
    expect(await outbox.find(id)).toMatchObject({ status: 'sent', attempts: 21 });
    expect(tickets.creations).toHaveLength(21);
  });

  it.each([301, 401, 403, 404])('are not failed at once for %i, which means our settings are wrong', async (status) => {
    const { id } = await enqueueMessage(outbox, payload, { now: clock });
    tickets.script.push(status);
    await sender().runOnce();
    expect(await outbox.find(id)).toMatchObject({ status: 'queued', lastError: `HTTP ${status}` });
  });

  it('are listed with list --failed and all made due with retry --all-failed', async () => {
    const failed = [];
    tickets.defaultAnswer = 422;
    for (let i = 0; i < 3; i += 1) failed.push(await enqueueMessage(outbox, payload, { now: clock }));
    await sender().runOnce();
    tickets.defaultAnswer = 201;
    const ok = await enqueueMessage(outbox, payload, { now: clock });
    await sender().runOnce();

    const list = await cli(['list', '--failed']);
    for (const { reference } of failed) expect(list.out).toContain(reference);
    expect(list.out).not.toContain(ok.reference);

    expect(await cli(['retry', '--all-failed'])).toMatchObject({ code: 0, out: expect.stringContaining('3 failed messages are queued') });
    for (const { id } of failed) expect(await outbox.find(id)).toMatchObject({ status: 'queued', nextAttemptAt: expect.any(Number) });
    clock = Date.now() + 1000;
    await sender().runOnce();
    for (const { id } of failed) expect(await outbox.find(id)).toMatchObject({ status: 'sent' });
    // Each was looked up before it was sent again.
    expect(tickets.received.filter((r) => r.method === 'GET')).toHaveLength(3);
  });
});
