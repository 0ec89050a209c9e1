import Database from 'better-sqlite3';
import path from 'node:path';
import { Client } from 'pg';
import type request from 'supertest';
import { createFormTokens } from '../../src/contact/csrf';
import type { Outbox } from '../../src/contact/outbox';
import { openPostgresOutbox } from '../../src/contact/postgres-outbox';
import { SQLITE_FILE } from '../../src/contact/sqlite-outbox';
import type { ContactTestApp, FormSession } from './helpers/contact-app';
import { contactApp, newForm, openForm, postForm, removeTempDir, tempDir, validFields } from './helpers/contact-app';
import type { TestDatabase } from './helpers/postgres';
import { createTestDatabase, describePostgres } from './helpers/postgres';

/** One message per form shown: a form posted again never makes a second message or ticket. */

jest.setTimeout(30_000);

/** Where a post was sent on to: the confirmation page with its reference. */
const confirmation = (res: request.Response): string | undefined => res.headers.location;

/** The same form posted `times` times at once, across the apps in turn. */
async function postAtOnce(apps: ContactTestApp[], form: FormSession, times: number, fields = validFields()): Promise<request.Response[]> {
  return Promise.all(Array.from({ length: times }, (_, i) => postForm(apps[i % apps.length]!.app, form, fields).then((res) => res)));
}

function behavesAsOneMessagePerForm(open: () => Promise<ContactTestApp[]>, close: () => Promise<void>): void {
  let apps: ContactTestApp[];
  let outbox: Outbox;
  beforeEach(async () => {
    apps = await open();
    outbox = apps[0]!.outbox;
  });
  afterEach(close);

  it('answers a form posted twice with the same confirmation, and stores one message', async () => {
    const form = await openForm(apps[0]!.app);
    const first = await postForm(apps[0]!.app, form, validFields()).expect(303);
    const again = await postForm(apps[apps.length - 1]!.app, form, validFields()).expect(303);
    expect(confirmation(first)).toMatch(/^\/contact\/sent\?ref=HC-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    expect(confirmation(again)).toBe(confirmation(first));
    const stored = await outbox.list();
    expect(stored).toHaveLength(1);
    expect(confirmation(first)).toBe(`/contact/sent?ref=${stored[0]!.reference}`);
  });

  it('answers 30 posts of one form at the same moment with one confirmation, and stores one message', async () => {
    const form = await openForm(apps[0]!.app);
    const answers = await postAtOnce(apps, form, 30);
    expect(answers.map((res) => res.status)).toEqual(Array.from({ length: 30 }, () => 303));
    expect(new Set(answers.map(confirmation)).size).toBe(1);
    const stored = await outbox.list();
    expect(stored).toHaveLength(1);
    expect(confirmation(answers[0]!)).toBe(`/contact/sent?ref=${stored[0]!.reference}`);
  });

  it('refuses the form posted again with something else in it (409), naming the first message, and stores nothing more', async () => {
    const form = await openForm(apps[0]!.app);
    await postForm(apps[0]!.app, form, validFields()).expect(303);
    const [stored] = await outbox.list();
    const res = await postForm(apps[apps.length - 1]!.app, form, validFields({ description: 'Something else entirely.' })).expect(409);
    expect(res.text).toContain('You have already sent a message with this form');
    expect(res.text).toContain(stored!.reference);
    expect(res.text).toContain('href="/contact"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await outbox.list()).map((m) => m.id)).toEqual([stored!.id]);
  });

  it('accepts a new form in the same browser as a new message', async () => {
    const form = await openForm(apps[0]!.app);
    const first = await postForm(apps[0]!.app, form, validFields()).expect(303);
    const second = await postForm(apps[0]!.app, await newForm(apps[0]!.app, form), validFields()).expect(303);
    expect(confirmation(second)).not.toBe(confirmation(first));
    expect(await outbox.list()).toHaveLength(2);
  });

  it('still takes the form after an invalid post of it', async () => {
    const form = await openForm(apps[0]!.app);
    await postForm(apps[0]!.app, form, validFields({ email: 'not an email' })).expect(400);
    await postForm(apps[0]!.app, form, validFields()).expect(303);
    expect(await outbox.list()).toHaveLength(1);
  });
}

describe('one message per form, SQLite outbox', () => {
  let dir: string;
  let apps: ContactTestApp[] = [];
  behavesAsOneMessagePerForm(
    async () => {
      dir = tempDir();
      apps = [contactApp({ dataDir: dir })];
      return apps;
    },
    async () => {
      await apps[0]!.outbox.close();
      removeTempDir(dir);
    },
  );

  it('does not count a form posted again against the rate limit', async () => {
    const t = contactApp({ dataDir: dir, rateLimit: 2 });
    try {
      const form = await openForm(t.app);
      const answers = await postAtOnce([t], form, 30);
      expect(answers.every((res) => res.status === 303)).toBe(true);
      await postForm(t.app, await newForm(t.app, form), validFields()).expect(303);
      await postForm(t.app, await newForm(t.app, form), validFields()).expect(429);
      expect(await t.outbox.list()).toHaveLength(2);
      expect(t.notified()).toBe(2);
    } finally {
      await t.outbox.close();
    }
  });

  it('keeps of the token only a hash of it, the message it was used for and when it expires', async () => {
    const form = await openForm(apps[0]!.app);
    await postForm(apps[0]!.app, form, validFields()).expect(303);
    const [stored] = await apps[0]!.outbox.list();
    const db = new Database(path.join(dir, SQLITE_FILE), { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM contact_form_tokens').all() as Record<string, unknown>[];
      expect(rows).toHaveLength(1);
      expect(Object.keys(rows[0]!).sort()).toEqual(['digest', 'expires_at', 'id', 'message_id', 'reference']);
      expect(rows[0]).toMatchObject({ message_id: stored!.id, reference: stored!.reference });
      const text = JSON.stringify(rows[0]);
      for (const secret of [form.token, form.token.split('.')[0]!, form.cookie.split('=')[1]!, 'Sam Patient', 'sam.patient@example.com'])
        expect(text).not.toContain(secret);
      // Kept until the token could no longer be posted: at most twice the form's lifetime.
      expect(Number(rows[0]!.expires_at)).toBeGreaterThan(Date.now() + 2 * 60 * 60_000 - 60_000);
      expect(Number(rows[0]!.expires_at)).toBeLessThanOrEqual(Date.now() + 4 * 60 * 60_000);
    } finally {
      db.close();
    }
  });
});

describe('form token identity', () => {
  const tokens = createFormTokens({ secret: 's', https: false, ttlMs: 60_000, now: () => 10 * 60_000 + 5 });
  const cookie = tokens.newCookieValue();

  it('is the same for every post of one form, and differs between forms', () => {
    const token = tokens.tokenFor(cookie);
    expect(tokens.check(cookie, token)?.id).toBe(tokens.check(cookie, token)?.id);
    expect(tokens.check(cookie, tokens.tokenFor(cookie))?.id).not.toBe(tokens.check(cookie, token)?.id);
  });

  it('expires at the end of the period after the one the form was shown in', () => {
    expect(tokens.check(cookie, tokens.tokenFor(cookie))?.expiresAt).toBe(12 * 60_000);
  });

  it('refuses a token whose nonce was changed', () => {
    const token = tokens.tokenFor(cookie);
    const changed = `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;
    expect(tokens.check(cookie, changed)).toBeUndefined();
  });
});

describePostgres('one message per form, two replicas on one PostgreSQL outbox', () => {
  let db: TestDatabase;
  let outboxes: Outbox[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  behavesAsOneMessagePerForm(
    async () => {
      outboxes = await Promise.all([1, 2].map(() => openPostgresOutbox(db.url, { poolSize: 8 })));
      // The same CONTACT_SECRET in both (contactApp's), as replicas must have.
      return outboxes.map((outbox) => contactApp({ outbox }));
    },
    async () => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      await client.query('TRUNCATE contact_messages, contact_form_tokens');
      await client.end();
      await Promise.all(outboxes.map((outbox) => outbox.close()));
    },
  );
});
