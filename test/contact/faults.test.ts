import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { formatMessage, main } from '../../src/cli/messages';
import type { Config } from '../../src/config';
import { CONTACT_FORM, createFormTokens } from '../../src/contact/csrf';
import type { MessagePayload, Outbox } from '../../src/contact/outbox';
import { enqueueMessage } from '../../src/contact/enqueue';
import { boundedPool, openPostgresOutbox } from '../../src/contact/postgres-outbox';
import { createPostgresRateLimiter } from '../../src/contact/rate-limit';
import { SQLITE_FILE, openSqliteOutbox } from '../../src/contact/sqlite-outbox';
import { submitContact } from '../../src/contact/submit';
import { ticketBody } from '../../src/contact/zendesk';
import { warnUntrustedProxy } from '../../src/http/middleware/requests';
import { testConfig } from '../helpers/app';
import { contactApp, newForm, openForm, postForm, removeTempDir, tempDir, validFields } from './helpers/contact-app';
import type { TestDatabase } from './helpers/postgres';
import { createTestDatabase, describePostgres } from './helpers/postgres';
import { TcpProxy } from './helpers/tcp-proxy';

// The first test builds the fixture site; the machine running the suite may be busy.
jest.setTimeout(30_000);

let dir: string;

beforeEach(() => {
  dir = tempDir();
});

afterEach(() => {
  removeTempDir(dir);
});

/** The config an app gets with some contact and server settings changed. */
function withSettings(contact: Partial<Config['contact']>, server: Partial<Config['server']> = {}): Partial<Config> {
  const base = testConfig();
  return { contact: { ...base.contact, ...contact }, server: { ...base.server, ...server } };
}

describe('DATA_DIR removed while the server runs', () => {
  /** A logger that keeps what it writes. */
  function capture(): { logger: pino.Logger; entries: () => Record<string, unknown>[] } {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  }

  it('makes DATA_DIR and the outbox again with every message queued before, says so, and goes on taking messages', async () => {
    const log = capture();
    const t = contactApp({ outbox: openSqliteOutbox(dir, { logger: log.logger }) });
    try {
      const first = await openForm(t.app);
      const before = await postForm(t.app, first, validFields({ description: 'Before 0' })).expect(303);
      await postForm(t.app, await newForm(t.app, first), validFields({ description: 'Before 1' })).expect(303);

      fs.rmSync(dir, { recursive: true, force: true });
      for (let i = 0; i < 3; i += 1) {
        await postForm(t.app, await newForm(t.app, first), validFields({ description: `After ${i}` })).expect(303);
      }
      await request(t.app).get('/readyz').expect(200);
      // The first form's token came across too: posted again, it is answered as before.
      const again = await postForm(t.app, first, validFields({ description: 'Before 0' })).expect(303);
      expect(again.headers.location).toBe(before.headers.location);

      const file = path.join(dir, SQLITE_FILE);
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const warning = log.entries().find((entry) => entry.level === 40);
      expect(warning).toMatchObject({ file, copied: { contact_messages: 2, contact_form_tokens: 2 } });
      expect(String(warning!.msg)).toContain('made it again');

      // What a restart would open: the file at the path, with all five.
      const reopened = openSqliteOutbox(dir, { create: false });
      const descriptions = (await reopened.list()).map((m) => m.payload.description);
      await reopened.close();
      expect(descriptions).toEqual(['Before 0', 'Before 1', 'After 0', 'After 1', 'After 2']);
    } finally {
      await t.outbox.close();
    }
  });

  it('puts the messages into a new outbox put where the folder was', async () => {
    const outbox = openSqliteOutbox(dir);
    const kept = await enqueueMessage(outbox, payloadOf('queued before'));
    fs.rmSync(dir, { recursive: true, force: true });
    const other = openSqliteOutbox(dir);
    const theirs = await enqueueMessage(other, payloadOf('written by the other one'));
    await other.close();
    const added = await enqueueMessage(outbox, payloadOf('queued after'));
    const reopened = openSqliteOutbox(dir, { create: false });
    expect((await reopened.list()).map((m) => m.id).sort()).toEqual([kept.id, theirs.id, added.id].sort());
    await reopened.close();
    await outbox.close();
  });

  it('fails safe (503, /readyz down) while DATA_DIR cannot be made again, and recovers once it can', async () => {
    const log = capture();
    const t = contactApp({ outbox: openSqliteOutbox(dir, { logger: log.logger }) });
    try {
      const session = await openForm(t.app);
      await postForm(t.app, session, validFields({ description: 'Before' })).expect(303);

      // A file where the folder was: the folder cannot be made again, whoever runs the tests.
      fs.rmSync(dir, { recursive: true, force: true });
      fs.writeFileSync(dir, '');
      for (let i = 0; i < 3; i += 1) {
        const res = await postForm(t.app, await newForm(t.app, session), validFields({ description: `Keep this ${i}` })).expect(503);
        expect(res.text).toContain('we could not send your message');
        expect(res.text).toContain(`Keep this ${i}</textarea>`);
      }
      const ready = await request(t.app).get('/readyz').expect(503);
      expect(ready.body).toEqual({ status: 'not ready', problems: ['outbox not writable'] });
      await request(t.app).get('/healthz').expect(200);
      const errors = log.entries().filter((entry) => entry.level === 50 && String(entry.msg).includes('cannot be made again'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ file: path.join(dir, SQLITE_FILE) });

      fs.rmSync(dir);
      await request(t.app).get('/readyz').expect(200);
      await postForm(t.app, await newForm(t.app, session), validFields({ description: 'After' })).expect(303);
      const reopened = openSqliteOutbox(dir, { create: false });
      expect((await reopened.list()).map((m) => m.payload.description)).toEqual(['Before', 'After']);
      await reopened.close();
    } finally {
      await t.outbox.close();
    }
  });

  it('is not made again by npm run messages, which opens an outbox only to read it', async () => {
    const outbox = openSqliteOutbox(dir);
    await enqueueMessage(outbox, payloadOf('x'));
    await outbox.close();
    const reader = openSqliteOutbox(dir, { create: false });
    fs.rmSync(dir, { recursive: true, force: true });
    await expect(reader.list()).rejects.toThrow(/removed or replaced/);
    expect(fs.existsSync(dir)).toBe(false);
    await reader.close();
  });
});

describe('npm run messages with wrong settings', () => {
  async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(args, { NODE_ENV: 'test', ...env }, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  }

  it('says there is no outbox when DATA_DIR is wrong, and creates nothing', async () => {
    const wrong = path.join(dir, 'typo');
    const result = await run(['list'], { DATA_DIR: wrong });
    expect(result).toMatchObject({ code: 1, out: '' });
    expect(result.err).toContain(`There is no outbox at ${path.join(wrong, SQLITE_FILE)}`);
    expect(fs.existsSync(wrong)).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with postgres://'],
    [{ ZENDESK_URL: 'https://x.zendesk.com' }, 'ZENDESK_EMAIL and ZENDESK_API_TOKEN must be set'],
  ])('prints a bad setting %j as one plain line, not a stack trace', async (env, message) => {
    const result = await run(['list'], { DATA_DIR: dir, ...env });
    expect(result.code).toBe(2);
    expect(result.err).toBe(`npm run messages: ${result.err.slice('npm run messages: '.length).split('\n')[0]}\n`);
    expect(result.err).toContain(message);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('finds a reference typed in lower case, and exports ISO times', async () => {
    const outbox = openSqliteOutbox(dir);
    const { reference } = await enqueueMessage(outbox, payloadOf('Hello'), { now: Date.UTC(2026, 0, 2, 3, 4, 5) });
    await outbox.close();
    const show = await run(['show', reference.toLowerCase()], { DATA_DIR: dir });
    expect(show).toMatchObject({ code: 0, out: expect.stringContaining(`Reference:      ${reference}`) });
    const exported = await run(['export'], { DATA_DIR: dir });
    expect(JSON.parse(exported.out)).toMatchObject({
      reference,
      createdAt: '2026-01-02T03:04:05.000Z',
      nextAttemptAt: '2026-01-02T03:04:05.000Z',
    });
  });
});

function payloadOf(description: string, fullName = 'Sam Patient'): MessagePayload {
  return {
    fullName,
    email: 'sam@example.com',
    service: { id: 'nhs-app', name: 'NHS App' },
    problem: { value: 'logging-in', text: 'Logging in' },
    description,
  };
}

describe('text that could mislead a reader', () => {
  const tricky = 'Pay \u202Egnp.exe\u202C now\u009B31m and \u2066hidden\u2069 \u0007bell\nnext line';

  it('loses bidirectional overrides and C0/C1 control characters when posted', async () => {
    const t = contactApp({ dataDir: dir });
    try {
      const session = await openForm(t.app);
      await postForm(t.app, session, validFields({ description: tricky, fullName: 'Sam\u202E Patient\u0085' })).expect(303);
      const [stored] = await t.outbox.list();
      expect(stored!.payload.description).toBe('Pay gnp.exe now31m and hidden bell\nnext line');
      expect(stored!.payload.fullName).toBe('Sam Patient');
    } finally {
      await t.outbox.close();
    }
  });

  it('loses them in the ticket and in messages show, for messages stored before', async () => {
    const outbox = openSqliteOutbox(dir);
    await enqueueMessage(outbox, payloadOf(tricky, 'Sam\u202E\u009B Patient'));
    const [message] = await outbox.list();
    await outbox.close();
    for (const text of [ticketBody(message!), formatMessage(message!)]) {
      // eslint-disable-next-line no-control-regex
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(text).toContain('Pay gnp.exe now31m');
      expect(text).toContain('Sam Patient');
    }
  });
});

describe('form tokens', () => {
  const cookie = createFormTokens({ secret: 's', https: false }).newCookieValue();

  it('expire: a token is accepted for at least the TTL and never after twice that', () => {
    let now = 10 * 60 * 60_000;
    const tokens = createFormTokens({ secret: 's', https: false, ttlMs: 60 * 60_000, now: () => now });
    const token = tokens.tokenFor(cookie);
    now += 60 * 60_000 - 1;
    expect(tokens.verify(cookie, token)).toBe(true);
    now += 60 * 60_000 + 1;
    expect(tokens.verify(cookie, token)).toBe(false);
  });

  it('are bound to their form', () => {
    const tokens = createFormTokens({ secret: 's', https: false });
    expect(tokens.verify(cookie, tokens.tokenFor(cookie, 'feedback'), CONTACT_FORM)).toBe(false);
    expect(tokens.verify(cookie, tokens.tokenFor(cookie, 'feedback'), 'feedback')).toBe(true);
  });

  it('are refused with a form posted from another site (Sec-Fetch-Site, else Origin), and accepted from our own', async () => {
    const t = contactApp({ dataDir: dir });
    try {
      const session = await openForm(t.app);
      for (const origin of ['https://evil.example', 'http://help.example.nhs.uk']) {
        await postForm(t.app, session, validFields()).set('Origin', origin).expect(403);
      }
      await postForm(t.app, session, validFields()).set('Origin', 'null').set('Sec-Fetch-Site', 'cross-site').expect(403);
      expect(await t.outbox.list()).toHaveLength(0);
      await postForm(t.app, session, validFields()).set('Origin', 'https://help.example.nhs.uk').expect(303);
      // Referrer-Policy: no-referrer makes a browser send Origin: null from our own page; Sec-Fetch-Site says whose it is.
      await postForm(t.app, session, validFields()).set('Origin', 'null').set('Sec-Fetch-Site', 'same-origin').expect(303);
    } finally {
      await t.outbox.close();
    }
  });
});

describe('rate limit', () => {
  it('counts each client behind a trusted proxy on its own (TRUST_PROXY=1)', async () => {
    const t = contactApp({ dataDir: dir, rateLimit: 1, config: { trustProxy: 1 } });
    try {
      const session = await openForm(t.app);
      for (let user = 1; user <= 12; user += 1) {
        await postForm(t.app, await newForm(t.app, session), validFields())
          .set('X-Forwarded-For', `203.0.113.${user}`)
          .expect(303);
      }
      await postForm(t.app, await newForm(t.app, session), validFields())
        .set('X-Forwarded-For', '203.0.113.1')
        .expect(429);
    } finally {
      await t.outbox.close();
    }
  });

  it('says once when proxied requests arrive and TRUST_PROXY is 0', () => {
    const warnings: string[] = [];
    const middleware = warnUntrustedProxy(0, (message) => warnings.push(message));
    const next = jest.fn();
    for (let i = 0; i < 3; i += 1) middleware({ headers: { 'x-forwarded-for': '203.0.113.9' } } as never, {} as never, next);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('TRUST_PROXY');
    expect(next).toHaveBeenCalledTimes(3);
  });

  it('accepts exactly the limit when posts arrive in parallel', async () => {
    const t = contactApp({ dataDir: dir, rateLimit: 5 });
    try {
      const session = await openForm(t.app);
      const forms = await Promise.all(Array.from({ length: 30 }, () => newForm(t.app, session)));
      const statuses = await Promise.all(forms.map((form) => postForm(t.app, form, validFields()).then((res) => res.status)));
      expect(statuses.filter((status) => status === 303)).toHaveLength(5);
      expect(statuses.filter((status) => status === 429)).toHaveLength(25);
      expect(await t.outbox.list()).toHaveLength(5);
    } finally {
      await t.outbox.close();
    }
  });
});

describe('the submit step', () => {
  it('logs the reference the patient is shown, and never what they wrote', async () => {
    const t = contactApp({ dataDir: dir });
    const lines: string[] = [];
    try {
      const session = await openForm(t.app);
      const outcome = await submitContact(
        t.deps,
        {
          body: { _csrf: session.token, ...validFields() },
          cookie: session.cookie,
          fromThisSite: true,
          client: '203.0.113.1',
          site: { codes: new Map() } as never,
        },
        {
          siteOrigin: t.config.baseUrl,
          storeTimeoutMs: 1000,
          logger: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }),
        },
      );
      expect(outcome).toMatchObject({ kind: 'accepted', reference: expect.stringMatching(/^HC-/) });
      const queued = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.msg === 'message queued');
      expect(queued).toMatchObject({ reference: (outcome as { reference: string }).reference, messageId: expect.any(String) });
      expect(lines.join('')).not.toContain('Sam Patient');
    } finally {
      await t.outbox.close();
    }
  });
});

describePostgres('PostgreSQL stopped or frozen', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let outbox: Outbox;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  beforeEach(async () => {
    const target = new URL(db.url);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    outbox = await openPostgresOutbox(proxy.urlFor(db.url), { timeoutMs: 500 });
  });

  afterEach(async () => {
    await proxy.stop();
    await outbox.close();
  });

  it.each([
    ['frozen', (): void => proxy.freeze()],
    ['stopped', (): void => void proxy.stop()],
  ])('answers a post within the timeout with 503 when the database is %s, and /readyz fails', async (_name, fault) => {
    const t = contactApp({ outbox, config: withSettings({ databaseTimeoutMs: 500 }, { readyTimeoutMs: 300 }) });
    const session = await openForm(t.app);
    await postForm(t.app, session, validFields()).expect(303);
    await request(t.app).get('/readyz').expect(200);
    const second = await newForm(t.app, session);

    fault();
    const started = Date.now();
    const res = await postForm(t.app, second, validFields({ description: 'Still here' })).expect(503);
    expect(res.text).toContain('Still here</textarea>');
    const ready = await request(t.app).get('/readyz').expect(503);
    expect(ready.body).toMatchObject({ problems: ['outbox not writable'] });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('npm run messages says there is no outbox in a database without one, and creates nothing', async () => {
    const empty = await createTestDatabase();
    try {
      let err = '';
      const code = await main(['list'], { NODE_ENV: 'test', DATABASE_URL: empty.url }, { out: () => undefined, err: (t) => (err += t) });
      expect(code).toBe(1);
      expect(err).toContain('There is no outbox in that database');
      const check = await openPostgresOutbox(empty.url, { create: false }).catch((error: Error) => error);
      expect(check).toBeInstanceOf(Error);
    } finally {
      await empty.drop();
    }
  });

  it('counts the rate limit atomically: 30 parallel posts with a limit of 5 accept 5', async () => {
    const limiter = await createPostgresRateLimiter(boundedPool(db.url, { poolSize: 8 }), { max: 5, windowMs: 60_000, secret: 's' });
    try {
      const waits = await Promise.all(Array.from({ length: 30 }, () => limiter.take('203.0.113.7')));
      expect(waits.filter((wait) => wait === 0)).toHaveLength(5);
      expect(waits.filter((wait) => wait > 0 && wait <= 60)).toHaveLength(25);
      expect(await limiter.take('203.0.113.8')).toBe(0);
    } finally {
      await limiter.close?.();
    }
  });
});
