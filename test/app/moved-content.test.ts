import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { CACHE } from '../../src/http/cache';
import { withFeedbackForm, writeExport } from '../../src/render/export';
import { appFor, rawGet } from '../helpers/app';
import { fetchRaw, listen, staticHost } from '../helpers/static-host';

/**
 * A site whose page was renamed (redirect_from), whose heading was reworded (section_aliases and an
 * explicit id), whose code moved to another page and whose other code was retired: every old link
 * still lands, in the server and in the export.
 */

const moved = path.join(__dirname, '..', 'fixtures', 'moved');
const { app, startup } = appFor(moved);

const bodyOf = (url: string): Promise<{ status: number; location?: string; body: Buffer }> => rawGet(app, url);

describe('moved content in the server', () => {
  it('answers an old page address with a 301 to the page, dropping the query', async () => {
    for (const old of ['/guides/phone-problems', '/guides/phone-problems/', '/Guides/Phone-Problems', '/guides/phone-problems?utm=x']) {
      const res = await request(app).get(old).expect(301);
      expect(res.headers.location).toBe('/guides/mobile-phone');
      expect(res.headers['cache-control']).toBe(CACHE.meta);
    }
  });

  it('keeps an old section id on the page, first inside the heading it moved to', async () => {
    const res = await request(app).get('/guides/mobile-phone').expect(200);
    expect(res.text).toContain(
      '<h2 id="the-link-has-expired-reference-cid1002"><span id="expired-link-reference-cid1002" class="app-section-alias"></span>The link has expired – Reference CID1002</h2>',
    );
    expect(res.text).toContain('<h2 id="lost-phone">Your phone number changed</h2>');
    expect(res.text.match(/id="expired-link-reference-cid1002"/g)).toHaveLength(1);
  });

  it('follows a code to the section it moved to', async () => {
    expect((await request(app).get('/cid/CID1002').expect(302)).headers.location).toBe(
      '/guides/mobile-phone#the-link-has-expired-reference-cid1002',
    );
    expect((await request(app).get('/cid/1003').expect(302)).headers.location).toBe(
      '/guides/security-codes#security-code-not-accepted-reference-cid1003',
    );
  });

  it('explains a retired code in every typed form, with where to get help', async () => {
    for (const form of ['CID1234', 'cid1234', '1234']) {
      const res = await request(app).get(`/cid/${form}`).expect(200);
      expect(res.text).toContain('<h1>Reference CID1234 is no longer used</h1>');
      expect(res.text).toContain('NHS login stopped showing this code when it stopped sending letters.');
      expect(res.text).toContain('<a href="/guides/mobile-phone#lost-phone">Mobile phone problems</a>');
      expect(res.text).toContain('<meta name="robots" content="noindex">');
    }
    expect((await request(app).get('/cid?code=cid1234').expect(200)).text).toContain('is no longer used');
    expect((await request(app).get('/cid/CID1235').expect(404)).text).toContain('Reference code not found');
  });

  it('serves images at hashed URLs with immutable caching, and writes their size into the page', async () => {
    const page = (await request(app).get('/guides/mobile-phone').expect(200)).text;
    const img =
      /<img src="(\/static\/images\/phone\.[0-9a-f]{10}\.png)" alt="A phone showing a security code" width="192" height="192">/.exec(page);
    expect(img).not.toBeNull();
    expect(page).toMatch(/<img src="\/static\/images\/divider\.[0-9a-f]{10}\.svg" alt="" width="600" height="8">/);
    const res = await request(app).get(img![1]!).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe(CACHE.immutable);
    await request(app).get('/static/images/phone.0000000000.png').expect(404);
    await request(app).get('/images/phone.png').expect(404);
  });

  it('passes allowed raw HTML through to the page', async () => {
    expect((await request(app).get('/guides/mobile-phone').expect(200)).text).toContain(
      '<ol class="nhsuk-list nhsuk-list--number">\n  <li>Open the email.</li>',
    );
  });
});

describe('moved content in the export, on a static host', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'help-moved-'));
  let host: http.Server;
  let base: string;
  beforeAll(async () => {
    writeExport(startup, outDir);
    host = staticHost(outDir);
    base = await listen(host);
  });
  afterAll((done) => {
    fs.rmSync(outDir, { recursive: true, force: true });
    host.close(done);
  });

  const sameAnswer = async (url: string): Promise<void> => {
    const [server, exported] = [await bodyOf(url), await fetchRaw(base, url)];
    expect({ url, status: exported.status, location: exported.location }).toEqual({
      url,
      status: server.status,
      location: server.location,
    });
    // Without FEEDBACK_URL the export leaves the feedback form out: a static host has nowhere to send it.
    if (server.status === 200) expect(exported.body.toString('utf8')).toBe(withFeedbackForm(server.body.toString('utf8'), undefined));
  };

  it('answers like the server for pages, old addresses, codes, retired codes, images and unknown codes', async () => {
    const urls = [
      ...startup.rendered.site.pages.map((p) => p.url),
      '/guides/phone-problems',
      '/guides/phone-problems/',
      '/guides/mobile-phone/',
      '/cid/CID1002',
      '/cid/1003',
      '/cid/CID1234',
      '/cid/cid1234',
      '/cid/1234',
      '/cid',
      ...startup.rendered.images.keys(),
    ];
    for (const url of urls) await sameAnswer(url);
  });

  it('answers an unknown code with the "Reference code not found" page and status 404', async () => {
    const exported = await fetchRaw(base, '/cid/CID9999');
    expect(exported.status).toBe(404);
    expect(exported.body.toString()).toContain('<h1>Reference code not found</h1>');
    expect(exported.body.toString()).toContain('We could not find a help section for that reference.');
  });

  it('has one address per page: no index.html copies', async () => {
    expect(fs.existsSync(path.join(outDir, 'guides.html'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'guides', 'index.html'))).toBe(false);
    expect((await fetchRaw(base, '/guides/index.html')).status).toBe(404);
    expect((await fetchRaw(base, '/guides.html')).location).toBe('/guides');
  });

  it('writes old addresses as 301 rules, nginx map entries and redirect pages', () => {
    expect(fs.readFileSync(path.join(outDir, '_redirects'), 'utf8')).toContain('/guides/phone-problems /guides/mobile-phone 301\n');
    expect(fs.readFileSync(path.join(outDir, 'nginx-page-redirects.conf'), 'utf8')).toContain(
      '"~*^/guides/phone-problems/?$" "/guides/mobile-phone";',
    );
    const page = fs.readFileSync(path.join(outDir, 'guides', 'phone-problems.html'), 'utf8');
    expect(page).toContain('<meta http-equiv="refresh" content="0; url=/guides/mobile-phone">');
    expect(page).toContain('<link rel="canonical" href="https://help.example.nhs.uk/guides/mobile-phone">');
  });
});
