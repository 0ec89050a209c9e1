import pino from 'pino';
import type { ZendeskConfig } from '../../src/config';
import { enqueueMessage } from '../../src/contact/enqueue';
import type { MessagePayload, Outbox } from '../../src/contact/outbox';
import type { Sender, SenderOptions } from '../../src/contact/sender';
import { createSender } from '../../src/contact/sender';
import { openSqliteOutbox } from '../../src/contact/sqlite-outbox';
import type { TicketSystem } from '../../src/contact/zendesk';
import { createZendesk } from '../../src/contact/zendesk';
import { removeTempDir, tempDir } from './helpers/contact-app';
import { countClaims } from './helpers/counting-outbox';
import { FakeTicketServer, unusedPort } from './helpers/fake-ticket-server';
import { waitFor } from './helpers/wait';

const payload: MessagePayload = {
  fullName: 'Sam Patient',
  email: 'sam.patient@example.com',
  service: { id: 'nhs-app', name: 'NHS App' },
  problem: { value: 'logging-in', text: 'Logging in' },
  description: 'A private description of the problem.',
  referenceCode: { code: 'CID3006', heading: 'Expired link' },
};

const OPTIONS: SenderOptions = {
  pollMs: 20,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxAttempts: 20,
  leaseMs: 6000,
  batchSize: 5,
  retentionMs: 30 * 24 * 60 * 60_000,
  purgeEveryMs: 60 * 60_000,
};

function zendeskAt(url: string, timeoutMs = 2000): ZendeskConfig {
  return { url, email: 'support@example.com', apiToken: 'secret-token', timeoutMs };
}

/** Every line the sender logs, to check that none carries what the patient wrote. */
function capturingLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

let dir: string;
let outbox: Outbox;
let tickets: FakeTicketServer;
let clock: number;
let log: { logger: pino.Logger; lines: string[] };

beforeEach(async () => {
  dir = tempDir();
  outbox = openSqliteOutbox(dir);
  tickets = await new FakeTicketServer().start();
  clock = 1_000_000;
  log = capturingLogger();
});

afterEach(async () => {
  await tickets.stop();
  await outbox.close();
  removeTempDir(dir);
});

/** A sender on a clock the test moves, so backoff is checked exactly without waiting for it. */
function manualSender(system: TicketSystem | undefined, options: Partial<SenderOptions> = {}): Sender {
  return createSender({
    outbox,
    tickets: system,
    logger: log.logger,
    options: { ...OPTIONS, ...options },
    now: () => clock,
    random: () => 0.5,
  });
}

async function statusOf(id: string): Promise<string | undefined> {
  return (await outbox.find(id))?.status;
}

it('creates a ticket with the message id as external_id and marks the message sent', async () => {
  const { id, reference } = await enqueueMessage(outbox, payload, { now: clock });
  expect(await manualSender(createZendesk(zendeskAt(tickets.url))).runOnce()).toBe(1);

  const [created] = tickets.creations;
  expect(created!.authorization).toBe(`Basic ${Buffer.from('support@example.com/token:secret-token').toString('base64')}`);
  expect(created!.body?.request).toMatchObject({
    external_id: id,
    requester: { email: 'sam.patient@example.com' },
    subject: `Logging in – NHS App (${reference})`,
  });
  expect(created!.body?.request?.comment?.body).toContain('Reference code: CID3006 – Expired link');
  expect(await outbox.find(id)).toMatchObject({ status: 'sent', attempts: 1, ticketId: '1000', sentAt: clock });
});

it('retries with growing delays when the ticket system refuses connections and then answers 503, and delivers once', async () => {
  const port = await unusedPort();
  await tickets.stop();
  const sender = manualSender(createZendesk(zendeskAt(`http://127.0.0.1:${port}`)));
  const { id } = await enqueueMessage(outbox, payload, { now: clock });

  // Refused: the first retry is due after half to all of the base delay (random 0.5 → 750 ms).
  await sender.runOnce();
  expect(await outbox.find(id)).toMatchObject({
    status: 'queued',
    attempts: 1,
    lastError: 'connection refused',
    nextAttemptAt: clock + 750,
  });
  clock += 749;
  expect(await sender.runOnce()).toBe(0);

  // Up again, but answering 503: the delay doubles each time.
  tickets.script.push(503, 503);
  await tickets.start(port);
  clock += 1;
  await sender.runOnce();
  expect(await outbox.find(id)).toMatchObject({ status: 'queued', attempts: 2, lastError: 'HTTP 503', nextAttemptAt: clock + 1500 });
  clock += 1500;
  await sender.runOnce();
  expect(await outbox.find(id)).toMatchObject({ status: 'queued', attempts: 3, lastError: 'HTTP 503', nextAttemptAt: clock + 3000 });

  clock += 3000;
  await sender.runOnce();
  expect(await outbox.find(id)).toMatchObject({ status: 'sent', attempts: 4 });
  expect(tickets.creations).toHaveLength(3);
  expect([...tickets.tickets.keys()]).toEqual([id]);
  // Before each retry it asked whether an earlier attempt had made a ticket after all.
  expect(tickets.received.filter((r) => r.method === 'GET')).toHaveLength(3);
});

it('waits as long as a 429 answer asks before trying again', async () => {
  const { id } = await enqueueMessage(outbox, payload, { now: clock });
  tickets.script.push({ status: 429, retryAfter: '30' });
  await manualSender(createZendesk(zendeskAt(tickets.url))).runOnce();
  expect(await outbox.find(id)).toMatchObject({ status: 'queued', lastError: 'HTTP 429', nextAttemptAt: clock + 30_000 });
});

it('treats a timeout as worth retrying, and does not make a second ticket when the first one arrived', async () => {
  const { id } = await enqueueMessage(outbox, payload, { now: clock });
  tickets.script.push({ status: 201, delayMs: 1500 });
  const sender = manualSender(createZendesk(zendeskAt(tickets.url, 300)));
  await sender.runOnce();
  expect(await outbox.find(id)).toMatchObject({ status: 'queued', lastError: 'timeout' });
  expect(tickets.tickets.has(id)).toBe(true);

  clock += 60_000;
  await sender.runOnce();
  expect(await outbox.find(id)).toMatchObject({ status: 'sent', ticketId: '1000' });
  expect(tickets.creationsById().get(id)).toBe(1);
});

it('keeps a message the ticket system rejects (422) as failed, without retrying soon', async () => {
  const { id } = await enqueueMessage(outbox, payload, { now: clock });
  tickets.defaultAnswer = 422;
  const sender = manualSender(createZendesk(zendeskAt(tickets.url)));
  await sender.runOnce();
  expect(await outbox.find(id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 422' });
  clock += 60 * 60_000;
  expect(await sender.runOnce()).toBe(0);
  expect(tickets.creations).toHaveLength(1);
});

it('keeps a message as failed after 20 failed attempts, never dropping it', async () => {
  const { id } = await enqueueMessage(outbox, payload, { now: clock });
  tickets.defaultAnswer = 500;
  const sender = manualSender(createZendesk(zendeskAt(tickets.url)), { maxDelayMs: 10 });
  for (let attempt = 1; attempt <= 20; attempt += 1) {
    clock += 10;
    expect(await sender.runOnce()).toBe(1);
  }
  expect(await outbox.find(id)).toMatchObject({ status: 'failed', attempts: 20, lastError: 'HTTP 500 (gave up after 20 attempts)' });
  clock += 10;
  expect(await sender.runOnce()).toBe(0);
  expect(tickets.creations).toHaveLength(20);
});

it('leaves messages in the outbox when no ticket system is configured', async () => {
  const { id } = await enqueueMessage(outbox, payload, { now: clock });
  expect(await manualSender(undefined).runOnce()).toBe(0);
  expect(await manualSender(undefined).sendNow(id)).toBe(false);
  expect(await statusOf(id)).toBe('queued');
});

it('deletes messages sent more than the retention period ago, and keeps the rest', async () => {
  const sender = manualSender(createZendesk(zendeskAt(tickets.url)), { retentionMs: 1000 });
  const old = await enqueueMessage(outbox, payload, { now: clock });
  await sender.runOnce();
  clock += 500;
  const recent = await enqueueMessage(outbox, payload, { now: clock });
  await sender.runOnce();
  tickets.defaultAnswer = 422;
  const failed = await enqueueMessage(outbox, payload, { now: clock });
  await sender.runOnce();
  clock += 600;
  expect(await sender.purge()).toBe(1);
  expect((await outbox.list()).map((m) => m.id).sort()).toEqual([recent.id, failed.id].sort());
  expect(await outbox.find(old.id)).toBeUndefined();
});

it('deletes the records of expired form tokens as it deletes old messages', async () => {
  const sender = manualSender(undefined);
  await enqueueMessage(outbox, payload, { now: clock, formToken: { id: 'expired', expiresAt: clock - 1, digest: 'd' } });
  await enqueueMessage(outbox, payload, { now: clock, formToken: { id: 'current', expiresAt: clock + 1, digest: 'd' } });
  await sender.purge();
  expect(await outbox.findFormToken('expired')).toBeUndefined();
  expect(await outbox.findFormToken('current')).toBeDefined();
  expect(await outbox.list()).toHaveLength(2);
});

it('logs message ids, never names, emails or what the patient wrote', async () => {
  tickets.script.push(503, 422);
  const sender = manualSender(createZendesk(zendeskAt(tickets.url)));
  const first = await enqueueMessage(outbox, payload, { now: clock });
  await sender.runOnce();
  clock += 60_000;
  await sender.runOnce();
  await enqueueMessage(outbox, payload, { now: clock });
  await sender.runOnce();
  const text = log.lines.join('');
  expect(text).toContain(first.id);
  expect(log.lines.length).toBeGreaterThanOrEqual(3);
  for (const secret of ['Sam Patient', 'sam.patient@example.com', 'private description', 'secret-token', 'Expired link'])
    expect(text).not.toContain(secret);
});

it('runs on its own once started: a notified message is sent without waiting for the poll', async () => {
  const counted = countClaims(outbox);
  const sender = createSender({
    outbox: counted.outbox,
    tickets: createZendesk(zendeskAt(tickets.url)),
    logger: log.logger,
    options: { ...OPTIONS, pollMs: 60_000 },
  });
  sender.start();
  try {
    // Its first round finds nothing; the next poll would be a minute away.
    await waitFor('the first round', () => counted.rounds() === 1);
    const { id } = await enqueueMessage(outbox, payload);
    sender.notify();
    await waitFor('the message to be sent', async () => (await statusOf(id)) === 'sent');
    expect(tickets.creationsById().get(id)).toBe(1);
  } finally {
    await sender.stop();
  }
});

it('stops promptly, finishing the message in flight', async () => {
  tickets.script.push({ status: 201, delayMs: 300 });
  const sender = createSender({ outbox, tickets: createZendesk(zendeskAt(tickets.url)), logger: log.logger, options: OPTIONS });
  const { id } = await enqueueMessage(outbox, payload);
  sender.start();
  await waitFor('the request to arrive', () => tickets.creations.length === 1);
  await sender.stop();
  expect(await statusOf(id)).toBe('sent');
});
