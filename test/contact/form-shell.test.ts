import request from 'supertest';
import { EMPTY_VALUES, contactFormView } from '../../src/contact/form-view';
import { referenceFor } from '../../src/contact/submit';
import { CONTACT_VIEW, contactPageLocals } from '../../src/render/view-models/contact-page';
import { rawGet, siteContent } from '../helpers/app';
import type { ContactTestApp } from './helpers/contact-app';
import { contactApp, newForm, openForm, postForm, removeTempDir, tempDir, validFields } from './helpers/contact-app';

// GET /contact is filled into a shell rendered once; the page must be the one the whole view renders.
let dir: string;
let t: ContactTestApp;

beforeAll(() => {
  dir = tempDir();
  // The real content: its services have addresses, so ?from= gives a return link.
  t = contactApp({ dataDir: dir, config: { contentDir: siteContent } });
});

afterAll(async () => {
  await t.outbox.close();
  removeTempDir(dir);
});

/** The contact page rendered whole through Nunjucks, for what a GET asked for and with the token it was given. */
function wholePage(query: URLSearchParams, csrfToken: string): string {
  const { site } = t.startup.rendered;
  const reference = referenceFor(site, query.get('error') ?? undefined);
  const form = contactFormView({
    values: { ...EMPTY_VALUES, code: reference?.code ?? '' },
    errors: [],
    services: t.deps.services,
    reference,
    csrfToken,
  });
  const returnTo = t.startup.rendered.returnLinkFor(query.get('from') ?? undefined);
  return t.startup.views.render(CONTACT_VIEW, { ...contactPageLocals(form), returnTo });
}

const tokenIn = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe('GET /contact from a shell', () => {
  it.each([
    '/contact',
    '/contact?error=CID3006',
    '/contact?error=7023',
    `/contact?error=${encodeURIComponent('"><script>alert(1)</script>')}`,
    `/contact?error=${encodeURIComponent('{{ 7*7 }}')}`,
    '/contact?from=nhs-app',
    '/contact?error=cid3006&from=nhs-app',
    '/contact?error=7023&from=nhs-111-online',
  ])('%s: the same bytes as the whole view rendered for it', async (url) => {
    // Twice: the first request renders the shell, the second is served from it.
    for (let i = 0; i < 2; i += 1) {
      const res = await rawGet(t.app, url);
      expect(res.status).toBe(200);
      const html = res.body.toString('utf8');
      expect(html).toBe(wholePage(new URL(url, 'https://x').searchParams, tokenIn(html)));
    }
  });

  it('shows the return link and the reference it was asked for', async () => {
    const res = await request(t.app).get('/contact?error=cid3006&from=nhs-app').expect(200);
    expect(res.text).toContain('Go back to NHS App');
    expect(res.text).toMatch(/id="reference">Reference: CID3006 – \S/);
    expect(res.text).toContain('<input type="hidden" name="code" value="CID3006">');
    expect(res.text).not.toContain('\u0001');
    const plain = await request(t.app).get('/contact').expect(200);
    expect(plain.text).not.toContain('Go back to');
    expect(plain.text).not.toContain('Reference:');
  });

  it('sends it compressed and uncached, with the security headers, setting the cookie only when new', async () => {
    const first = await request(t.app).get('/contact').set('Accept-Encoding', 'gzip').expect(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(Number(first.headers['content-length'])).toBeLessThan(Buffer.byteLength(first.text) / 3);
    expect(first.headers.vary).toBe('Accept-Encoding');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.headers['content-security-policy']).toContain("default-src 'self'");
    expect(first.headers.etag).toBeUndefined();
    expect(first.text).toContain('<h1>Contact NHS login support</h1>');
    const cookies = ([] as string[]).concat(first.headers['set-cookie'] ?? []);
    expect(cookies).toHaveLength(1);
    const again = await request(t.app).get('/contact').set('Cookie', cookies[0]!.split(';')[0]!).expect(200);
    expect(again.headers['set-cookie']).toBeUndefined();
    const brotli = await request(t.app).get('/contact').set('Accept-Encoding', 'br').expect(200);
    expect(brotli.headers['content-encoding']).toBe('br');
  });

  it('gives each form shown a token of its own, and each is accepted when posted', async () => {
    const first = await openForm(t.app);
    const second = await newForm(t.app, first);
    const third = await newForm(t.app, first);
    expect(new Set([first.token, second.token, third.token]).size).toBe(3);
    for (const form of [second, first, third]) {
      const res = await postForm(t.app, form, validFields()).expect(303);
      expect(res.headers.location).toMatch(/^\/contact\/sent\?ref=/);
    }
  });

  it('still renders the form again whole with its errors, then serves the shell', async () => {
    const form = await openForm(t.app, '/contact?error=cid3006');
    const invalid = await postForm(t.app, form, { ...validFields({ email: 'not an email' }), code: 'CID3006' }).expect(400);
    expect(invalid.text).toContain('There is a problem');
    expect(invalid.text).toMatch(/<title>Error: Contact NHS login support/);
    expect(invalid.text).toContain('<input type="hidden" name="code" value="CID3006">');
    const again = await request(t.app).get('/contact?error=cid3006').set('Cookie', form.cookie).expect(200);
    expect(again.text).not.toContain('There is a problem');
    expect(again.text).toMatch(/<title>Contact NHS login support/);
  });
});
