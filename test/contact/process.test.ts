import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import pino from 'pino';
import { enqueueMessage } from '../../src/contact/enqueue';
import type { MessagePayload } from '../../src/contact/outbox';
import { createSender, senderOptions } from '../../src/contact/sender';
import { openSqliteOutbox } from '../../src/contact/sqlite-outbox';
import { createZendesk } from '../../src/contact/zendesk';
import { removeTempDir, tempDir, validFields } from './helpers/contact-app';
import { FakeTicketServer } from './helpers/fake-ticket-server';
import type { ServerProcess } from './helpers/server-process';
import { runMessages as runBuiltMessages, startBuiltServer, useCompiledServer } from './helpers/server-process';
import { waitFor } from './helpers/wait';

/**
 * The built server as it runs in production, killed and restarted, with the ticket system on
 * loopback; and `npm run messages` as support staff use it.
 */

jest.setTimeout(120_000);

let dir: string;
let tickets: FakeTicketServer;
const servers: ServerProcess[] = [];

const builtServer = useCompiledServer();

beforeEach(async () => {
  dir = tempDir();
  tickets = await new FakeTicketServer().start();
});

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  await tickets.stop();
  removeTempDir(dir);
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { DATA_DIR: dir, BASE_URL: 'http://127.0.0.1', CONTACT_SECRET: 'process test', SENDER_POLL_MS: '50', ...extra };
}

function withTickets(extra: Record<string, string> = {}): Record<string, string> {
  return env({ ZENDESK_URL: tickets.url, ZENDESK_EMAIL: 'support@example.com', ZENDESK_API_TOKEN: 'token', ...extra });
}

async function start(variables: Record<string, string>): Promise<ServerProcess> {
  const server = await startBuiltServer(variables, builtServer());
  servers.push(server);
  return server;
}

/** Opens the form like a browser: the cookie it sets and the token in the page. */
async function openForm(baseUrl: string): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${baseUrl}/contact`);
  const html = await res.text();
  return { cookie: res.headers.getSetCookie()[0]!.split(';')[0]!, token: /name="_csrf" value="([^"]+)"/.exec(html)![1]! };
}

/** Posts a valid message and calls `onAnswer` the moment the status line arrives, before anything else. */
function post(
  baseUrl: string,
  form: { cookie: string; token: string },
  onAnswer: (status: number) => void,
): Promise<{ status: number; location?: string }> {
  const body = new URLSearchParams({ _csrf: form.token, ...validFields() }).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/contact`, {
      method: 'POST',
      headers: { Cookie: form.cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      onAnswer(res.statusCode ?? 0);
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function runMessages(args: string[], variables: Record<string, string>): ReturnType<typeof runBuiltMessages> {
  return runBuiltMessages(args, variables, builtServer());
}

function referenceIn(location: string | undefined): string {
  const reference = /ref=(HC-[0-9A-Z]{4}-[0-9A-Z]{2})$/.exec(location ?? '')?.[1];
  if (!reference) throw new Error(`no reference in ${location}`);
  return reference;
}

async function statusOf(reference: string, variables: Record<string, string>): Promise<string | undefined> {
  const { stdout } = await runMessages(['show', reference], variables);
  return /^Status:\s+(\w+)/m.exec(stdout)?.[1];
}

it('keeps a message when the server is killed right after answering 303, and sends it once after a restart', async () => {
  const first = await start(env());
  const form = await openForm(first.baseUrl);
  const answer = await post(first.baseUrl, form, (status) => {
    if (status === 303) first.child.kill('SIGKILL');
  });
  await first.exited;
  expect(answer.status).toBe(303);
  expect(first.child.signalCode).toBe('SIGKILL');
  const reference = referenceIn(answer.location);

  const second = await start(withTickets());
  const [externalId] = await waitFor(
    'the ticket to be created',
    () => (tickets.tickets.size === 1 ? [...tickets.tickets.keys()] : undefined),
    30_000,
  );
  expect(tickets.creations[0]!.body?.request?.subject).toContain(reference);
  await waitFor('the message to be marked sent', async () => (await statusOf(reference, env())) === 'sent', 30_000);
  // A later message reaching the ticket system means the sender has claimed again since: the
  // first is not among what it claimed.
  const later = await post(second.baseUrl, await openForm(second.baseUrl), () => undefined);
  expect(later.status).toBe(303);
  await waitFor('the later message to be created', () => tickets.tickets.size === 2, 30_000);
  expect(tickets.creationsById().get(externalId!)).toBe(1);
  expect([...tickets.creationsById().values()]).toEqual([1, 1]);
  await second.stop();
  expect(second.child.exitCode).toBe(0);
});

it('makes no second ticket when killed after the ticket system got the message but before it answered', async () => {
  // The fake creates the ticket as the request arrives and holds the answer back; the server dies meanwhile.
  tickets.script.push({ status: 201, delayMs: 5000 });
  const variables = withTickets({ ZENDESK_TIMEOUT_MS: '1000' });
  const first = await start(variables);
  tickets.onCreate = () => first.child.kill('SIGKILL');
  const answer = await post(first.baseUrl, await openForm(first.baseUrl), () => undefined);
  expect(answer.status).toBe(303);
  await first.exited;
  expect(tickets.creations).toHaveLength(1);
  const reference = referenceIn(answer.location);
  expect(await statusOf(reference, env())).toBe('sending');

  tickets.onCreate = undefined;
  await start(variables);
  await waitFor('the restarted sender to settle the message', async () => (await statusOf(reference, env())) === 'sent', 30_000);
  expect(tickets.creations).toHaveLength(1);
  expect(tickets.received.some((r) => r.method === 'GET' && r.path === '/api/v2/tickets.json')).toBe(true);
});

describe('npm run messages', () => {
  const payload: MessagePayload = {
    fullName: 'Sam Patient',
    email: 'sam@example.com',
    service: { id: 'nhs-app', name: 'NHS App' },
    problem: { value: 'logging-in', text: 'Logging in' },
    description: 'It broke after the security code.',
  };

  it('lists a message the ticket system rejected (422) as failed, shows it, and re-sends it', async () => {
    const outbox = openSqliteOutbox(dir);
    const { id, reference } = await enqueueMessage(outbox, payload);
    tickets.defaultAnswer = 422;
    const sender = createSender({
      outbox,
      tickets: createZendesk({ url: tickets.url, email: 'support@example.com', apiToken: 'token', timeoutMs: 2000 }),
      logger: pino({ level: 'silent' }),
      options: senderOptions({ pollMs: 50, baseDelayMs: 10, maxDelayMs: 100, maxAttempts: 20 }, 2000, 30),
    });
    await sender.runOnce();
    await outbox.close();

    const list = await runMessages(['list'], env());
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${reference}\\s+failed\\s+1\\s+\\S+\\s+${id}\\s+HTTP 422`));
    expect(list.stdout).not.toContain('Sam Patient');

    const show = await runMessages(['show', reference], env());
    expect(show.stdout).toMatch(/^Status:\s+failed$/m);
    expect(show.stdout).toContain('Email:          sam@example.com');
    expect(show.stdout).toContain('It broke after the security code.');

    tickets.defaultAnswer = 201;
    const retry = await runMessages(['retry', reference], withTickets());
    expect(retry).toMatchObject({ code: 0, stdout: `${reference} is sent\n` });
    expect(tickets.creationsById().get(id)).toBe(2);
    expect(tickets.tickets.has(id)).toBe(true);

    const exported = await runMessages(['export'], env());
    const rows = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; status: string; payload: MessagePayload });
    expect(rows).toMatchObject([{ id, status: 'sent', payload }]);
  });

  it('queues a retry without sending when no ticket system is configured, and explains usage', async () => {
    const outbox = openSqliteOutbox(dir);
    const { reference } = await enqueueMessage(outbox, payload);
    await outbox.close();
    expect(await runMessages(['retry', reference], env())).toMatchObject({ code: 0, stdout: expect.stringContaining('is queued') });
    expect(await runMessages(['show', 'HC-0000-00'], env())).toMatchObject({ code: 1, stderr: expect.stringContaining('No message') });
    expect(await runMessages([], env())).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: npm run messages') });
  });
});

it('keeps every message when DATA_DIR is removed while the server runs, and sends each once after it is killed and restarted', async () => {
  // Six messages from one client: more than the default limit.
  const first = await start(env({ CONTACT_RATE_LIMIT: '20' }));
  const references: string[] = [];
  const postOne = async (): Promise<void> => {
    const answer = await post(first.baseUrl, await openForm(first.baseUrl), () => undefined);
    expect(answer.status).toBe(303);
    references.push(referenceIn(answer.location));
  };
  for (let i = 0; i < 3; i += 1) await postOne();
  fs.rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < 3; i += 1) await postOne();

  const file = path.join(dir, 'outbox.sqlite');
  const warning = await waitFor('the warning that the outbox was made again', () =>
    first.lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.file === file && entry.level === 'warn'),
  );
  expect(warning).toMatchObject({ copied: { contact_messages: 3 } });
  expect((await fetch(`${first.baseUrl}/readyz`)).status).toBe(200);
  // Killed, not stopped: the new file holds everything without a clean close.
  first.child.kill('SIGKILL');
  await first.exited;

  const listed = await runMessages(['list'], env());
  expect(listed.code).toBe(0);
  for (const reference of references) expect(listed.stdout).toContain(reference);

  await start(withTickets());
  await waitFor('six tickets', () => tickets.tickets.size === 6, 30_000);
  const subjects = tickets.creations.map((request) => String(request.body?.request?.subject));
  for (const reference of references) expect(subjects.filter((subject) => subject.includes(reference))).toHaveLength(1);
  expect([...tickets.creationsById().values()]).toEqual([1, 1, 1, 1, 1, 1]);
});
