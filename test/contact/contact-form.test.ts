import crypto from 'node:crypto';
import request from 'supertest';
import type { ContactTestApp, FormSession } from './helpers/contact-app';
import { contactApp, newForm, openForm, postForm, removeTempDir, tempDir, validFields } from './helpers/contact-app';

let dir: string;
let t: ContactTestApp;

beforeEach(() => {
  dir = tempDir();
  t = contactApp({ dataDir: dir });
});

afterEach(async () => {
  await t.outbox.close();
  removeTempDir(dir);
});

/** The error summary's links, and the text of each. */
function summaryLinks(html: string): { href: string; text: string }[] {
  const summary = html.slice(html.indexOf('nhsuk-error-summary'), html.indexOf('<h1'));
  return [...summary.matchAll(/<a href="(#[^"]+)"[^>]*>\s*([^<]+?)\s*<\/a>/g)].map((m) => ({ href: m[1]!, text: m[2]! }));
}

/** The page with runs of white space made single spaces, as macros spread attributes over lines. */
function compact(html: string): string {
  return html.replace(/\s+/g, ' ').replace(/ >/g, '>');
}

describe('GET /contact', () => {
  it('shows the form built from NHS.UK components, with a token tied to a strict cookie', async () => {
    const res = await request(app()).get('/contact').expect(200);
    const html = compact(res.text);
    expect(html).toContain('<h1>Contact NHS login support</h1>');
    expect(html).toMatch(/nhsuk-inset-text[\s\S]*cannot help with medical problems[\s\S]*111 online[\s\S]*call 111[\s\S]*GP[\s\S]*999/);
    expect(html).toMatch(/<input class="nhsuk-input[^"]*" id="full-name" name="fullName" type="text"[^>]*autocomplete="name"/);
    expect(html).toMatch(/<input class="nhsuk-input[^"]*" id="email" name="email" type="email"[^>]*autocomplete="email"/);
    expect(html).toContain('the email address you use for NHS login');
    expect(html).toMatch(/<input class="nhsuk-radios__input" id="service" name="service" type="radio" value="nhs-app"/);
    expect(html).toMatch(/value="other" data-aria-controls="conditional-service-\d+"/);
    expect(html).toMatch(/nhsuk-radios__conditional[\s\S]*<select class="nhsuk-select[^"]*" id="other-service" name="otherService"/);
    expect(html).toContain('<option value="airmid">Airmid</option>');
    expect(html).toMatch(/id="problem" name="problem" type="radio" value="logging-in"/);
    expect(html).toMatch(/data-module="nhsuk-character-count"[^>]*data-maxlength="1500"/);
    expect(html).toContain('You can enter up to 1500 characters');
    expect(html).toContain('privacy notice');
    expect(html).toMatch(/<button[^>]*type="submit"[^>]*>\s*Send\s*<\/button>/);
    expect(html).toMatch(/<div hidden>\s*<label for="website">/);
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!;
    expect(cookie).toMatch(/^__Host-contact-form=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    expect(res.text).toMatch(/name="_csrf" value="[\w-]{22}\.[\w-]{43}"/);
  });

  it('keeps the cookie a browser already has and gives each form shown a token of its own', async () => {
    const first = await openForm(app());
    const again = await request(app()).get('/contact').set('Cookie', first.cookie).expect(200);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.text).toMatch(/name="_csrf" value="[\w-]{22}\.[\w-]{43}"/);
    expect(again.text).not.toContain(`value="${first.token}"`);
  });

  it('shows a known reference code with the heading of the section that owns it, and carries it', async () => {
    const res = await request(app()).get('/contact?error=cid3006').expect(200);
    expect(res.text).toContain('Reference: CID3006 – Expired link – Reference CID3006');
    expect(res.text).toContain('<input type="hidden" name="code" value="CID3006">');
  });

  it('carries an unknown but well-formed code without a heading', async () => {
    const res = await request(app()).get('/contact?error=7023').expect(200);
    expect(res.text).toMatch(/Reference: CID7023<\/p>/);
    expect(res.text).toContain('<input type="hidden" name="code" value="CID7023">');
  });

  it.each([['abc'], ['CID12'], ['<script>alert(1)</script>'], ['CID3006x']])('ignores a malformed code: %s', async (code) => {
    const res = await request(app())
      .get(`/contact?error=${encodeURIComponent(code)}`)
      .expect(200);
    expect(res.text).not.toContain('Reference:');
    expect(res.text).not.toContain('name="code"');
    expect(res.text).not.toContain('<script>alert');
  });

  it('ignores a repeated error parameter', async () => {
    const res = await request(app()).get('/contact?error=3006&error=3007');
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toContain('Reference: CID');
  });

  it('has no inline style and no inline script beyond the template one', async () => {
    const res = await request(app()).get('/contact').expect(200);
    expect(res.text).not.toMatch(/\sstyle="/);
    expect(res.text).not.toMatch(/\son[a-z]+="/);
    const inline = [...res.text.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)];
    expect(inline).toHaveLength(1);
  });
});

describe('POST /contact with problems', () => {
  let session: FormSession;
  beforeEach(async () => {
    session = await openForm(app());
  });

  const long = (length: number): string => 'x'.repeat(length);
  it.each([
    ['fullName', 'empty', 'Enter your full name', '#full-name', ''],
    ['fullName', '201 characters', 'Full name must be 200 characters or fewer', '#full-name', long(201)],
    ['email', 'empty', 'Enter your email address', '#email', ''],
    [
      'email',
      'without a top-level domain',
      'Enter an email address in the correct format, like name@example.com',
      '#email',
      'sam.patient@example',
    ],
    ['email', 'with a space', 'Enter an email address in the correct format, like name@example.com', '#email', 'sam patient@example.com'],
    ['service', 'not chosen', 'Select the website or app you were using', '#service', ''],
    ['service', 'unknown', 'Select the website or app you were using', '#service', 'not-a-service'],
    ['service', 'not offered as a radio', 'Select the website or app you were using', '#service', 'airmid'],
    ['problem', 'not chosen', 'Select what the problem is', '#problem', ''],
    ['problem', 'unknown', 'Select what the problem is', '#problem', 'cooking'],
    ['description', 'only spaces', 'Enter a description of the problem', '#description', '   '],
    ['description', '1,501 characters', 'Description must be 1,500 characters or fewer', '#description', long(1501)],
  ])('%s %s: "%s", linked to %s', async (field, _case, message, href, value) => {
    const res = await postForm(app(), session, validFields({ [field]: value })).expect(400);
    expect(res.text).toContain('<title>Error: Contact NHS login support - NHS login help centre</title>');
    expect(summaryLinks(res.text)).toEqual([{ href, text: message }]);
    expect(res.text).toMatch(
      new RegExp(
        `nhsuk-error-message[^>]*>\\s*<span class="nhsuk-u-visually-hidden">Error: </span>${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );
    expect(res.text).toContain(`id="${href.slice(1)}"`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await t.outbox.list()).toEqual([]);
  });

  it('asks for a service from the list when "Other" is chosen without one', async () => {
    const res = await postForm(app(), session, validFields({ service: 'other', otherService: '' })).expect(400);
    expect(summaryLinks(res.text)).toEqual([{ href: '#other-service', text: 'Select the website or app you were using from the list' }]);
    expect(res.text).toMatch(/id="conditional-service-\d+"/);
    expect(res.text).not.toMatch(/nhsuk-radios__conditional--hidden/);
  });

  it('lists every problem at once, in the order of the form, and keeps every value', async () => {
    const fields = {
      fullName: '',
      email: 'not an email',
      service: 'other',
      otherService: '',
      problem: '',
      description: 'Keep <b>this</b> & that',
    };
    const res = await postForm(app(), session, { ...fields, code: 'CID3006' }).expect(400);
    expect(summaryLinks(res.text).map((link) => link.href)).toEqual(['#full-name', '#email', '#other-service', '#problem']);
    expect(res.text).toContain('value="not an email"');
    expect(res.text).toMatch(/value="other" data-aria-controls="[^"]+" checked|value="other" checked/);
    expect(res.text).toContain('Keep &lt;b&gt;this&lt;/b&gt; &amp; that</textarea>');
    expect(res.text).toContain('Reference: CID3006 – Expired link – Reference CID3006');
    expect(res.text).toContain('<input type="hidden" name="code" value="CID3006">');
  });

  it('keeps the chosen service from the list and the chosen problem', async () => {
    const res = await postForm(
      app(),
      session,
      validFields({ fullName: '', service: 'other', otherService: 'airmid', problem: 'proving-identity' }),
    ).expect(400);
    expect(res.text).toMatch(/<option value="airmid" selected>Airmid<\/option>/);
    expect(res.text).toMatch(/value="proving-identity" checked/);
  });

  it('treats repeated or nested fields as missing, never as a server error', async () => {
    const res = await request(app())
      .post('/contact')
      .set('Cookie', session.cookie)
      .type('form')
      .send(`_csrf=${session.token}&fullName=a&fullName=b&email[x]=y&service=nhs-app&problem=logging-in&description=hi`)
      .expect(400);
    expect(summaryLinks(res.text).map((link) => link.href)).toEqual(['#full-name', '#email']);
  });
});

describe('POST /contact accepted', () => {
  it('writes the message to the outbox before answering 303 to the confirmation page', async () => {
    const session = await openForm(app(), '/contact?error=CID3006');
    const fields = validFields({ service: 'other', otherService: 'airmid', description: 'Line one\r\nLine two' });
    const res = await postForm(app(), session, { ...fields, code: 'CID3006' }).expect(303);
    const reference = /^\/contact\/sent\?ref=(HC-[0-9A-Z]{4}-[0-9A-Z]{2})$/.exec(res.headers.location as string)?.[1];
    expect(reference).toBeDefined();
    const [message, ...others] = await t.outbox.list();
    expect(others).toEqual([]);
    expect(message).toMatchObject({
      reference,
      status: 'queued',
      attempts: 0,
      payload: {
        fullName: 'Sam Patient',
        email: 'sam.patient@example.com',
        service: { id: 'airmid', name: 'Airmid' },
        problem: { value: 'logging-in', text: 'Logging in' },
        description: 'Line one\nLine two',
        referenceCode: { code: 'CID3006', heading: 'Expired link – Reference CID3006' },
      },
    });
    expect(t.notified()).toBe(1);

    const sent = await request(app())
      .get(res.headers.location as string)
      .expect(200);
    expect(sent.text).toMatch(/nhsuk-panel[\s\S]*Message sent[\s\S]*<strong>HC-[0-9A-Z]{4}-[0-9A-Z]{2}<\/strong>/);
    expect(sent.text).toContain(`<strong>${reference}</strong>`);
    expect(sent.headers['cache-control']).toBe('no-store');
  });

  it('accepts a message at exactly 1,500 characters, counting a line break as one', async () => {
    const session = await openForm(app());
    const description = `${'x'.repeat(749)}\r\n${'y'.repeat(750)}`;
    await postForm(app(), session, validFields({ description })).expect(303);
    expect((await t.outbox.list())[0]!.payload.description).toHaveLength(1500);
  });

  it('carries an unknown code as typed and drops a tampered one', async () => {
    const session = await openForm(app());
    await postForm(app(), session, { ...validFields(), code: '7023' }).expect(303);
    await postForm(app(), await newForm(app(), session), { ...validFields(), code: 'DROP TABLE' }).expect(303);
    const [first, second] = await t.outbox.list();
    expect(first!.payload.referenceCode).toEqual({ code: 'CID7023' });
    expect(second!.payload.referenceCode).toBeUndefined();
  });

  it('answers an unknown or missing confirmation reference with 404', async () => {
    await request(app()).get('/contact/sent').expect(404);
    await request(app()).get('/contact/sent?ref=%3Cb%3E').expect(404);
  });
});

describe('abuse and safety', () => {
  it('refuses a post without the cookie with a 403 page, and stores nothing', async () => {
    const session = await openForm(app());
    const res = await request(app())
      .post('/contact')
      .type('form')
      .send({ _csrf: session.token, ...validFields() })
      .expect(403);
    expect(res.text).toContain('Sorry, your message could not be sent');
    expect(res.text).toContain('href="/contact"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await t.outbox.list()).toEqual([]);
  });

  it.each([
    ['missing', undefined],
    ['wrong', crypto.randomBytes(32).toString('base64url')],
    ['malformed', 'x'],
  ])('refuses a %s token with 403', async (_name, token) => {
    const session = await openForm(app());
    const fields: Record<string, string> = validFields();
    if (token !== undefined) fields._csrf = token;
    const res = await request(app()).post('/contact').set('Cookie', session.cookie).type('form').send(fields).expect(403);
    expect(res.text).toContain('Sorry, your message could not be sent');
    expect(await t.outbox.list()).toEqual([]);
  });

  it('refuses a token taken from another browser’s cookie', async () => {
    const mine = await openForm(app());
    const theirs = await openForm(app());
    await postForm(app(), { ...mine, token: theirs.token }, validFields()).expect(403);
  });

  it('answers a filled honeypot as if accepted, and queues nothing', async () => {
    const session = await openForm(app());
    const res = await postForm(app(), session, { ...validFields(), website: 'https://spam.example' }).expect(303);
    expect(res.headers.location).toMatch(/^\/contact\/sent\?ref=HC-/);
    await request(app())
      .get(res.headers.location as string)
      .expect(200);
    expect(await t.outbox.list()).toEqual([]);
    expect(t.notified()).toBe(0);
  });

  it('answers 429 with a kind page once a client has sent its limit, and queues no more', async () => {
    await t.outbox.close();
    t = contactApp({ dataDir: dir, rateLimit: 3 });
    const session = await openForm(app());
    for (let i = 0; i < 3; i += 1) await postForm(app(), await newForm(app(), session), validFields()).expect(303);
    const res = await postForm(app(), await newForm(app(), session), validFields()).expect(429);
    expect(res.text).toContain('Sorry, you cannot send another message yet');
    expect(res.text).toMatch(/wait 10 minutes/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(500);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await t.outbox.list()).toHaveLength(3);
  });

  it('refuses a 17 KB body with 413', async () => {
    const session = await openForm(app());
    const res = await postForm(app(), session, validFields({ description: 'x'.repeat(17 * 1024) })).expect(413);
    expect(res.text).toContain('too much to send');
    expect(await t.outbox.list()).toEqual([]);
  });

  it('accepts only GET and POST', async () => {
    await request(app()).put('/contact').expect(405);
    await request(app()).post('/contact/sent').expect(405);
  });

  it('says the message was not sent, keeping what was typed, when the outbox cannot store it', async () => {
    const session = await openForm(app());
    await t.outbox.close();
    const res = await postForm(app(), session, validFields({ description: 'Please keep this' })).expect(503);
    expect(res.text).toContain('<title>Error: Contact NHS login support');
    expect(res.text).toContain('we could not send your message');
    expect(res.text).toContain('Please keep this</textarea>');
  });
});

describe('without an outbox', () => {
  it('shows the form but does not pretend to send', async () => {
    const { appFor } = await import('../helpers/app');
    const bare = appFor().app;
    const form = await openForm(bare);
    expect(form.html).toContain('<h1>Contact NHS login support</h1>');
    const res = await postForm(bare, form, validFields({ service: 'other', otherService: '' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('Select the website or app');
  });
});

function app(): ContactTestApp['app'] {
  return t.app;
}
