import request from 'supertest';
import pino from 'pino';
import { createApp } from '../../src/http/app';
import { exportFiles, fileForUrl, withFeedbackForm } from '../../src/render/export';
import type { FeedbackTestApp } from './insights-helpers';
import { feedbackApp, noVote, removeTempDir, tempDir } from './insights-helpers';

const ORIGIN = 'https://help.example.nhs.uk';

let dir: string;
let site: FeedbackTestApp;

beforeEach(() => {
  dir = tempDir();
  site = feedbackApp(dir, { rateLimit: 5 });
});

afterEach(async () => {
  await site.store.close();
  removeTempDir(dir);
});

const post = (fields: Record<string, string>, headers: Record<string, string> = { Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin' }) =>
  request(site.app).post('/feedback').set(headers).type('form').send(fields);

const votes = async () => site.store.voteTotals(0);

describe('the feedback form on pages', () => {
  it('is at the foot of every article and hub, posting the page URL to /feedback', async () => {
    for (const url of ['/guides/phone', '/guides']) {
      const res = await request(site.app).get(url).expect(200);
      expect(res.text).toContain('Was this page helpful?');
      expect(res.text).toContain('action="/feedback"');
      expect(res.text).toContain(`name="page" value="${url}"`);
      expect(res.text).toMatch(/<textarea[^>]+name="comment"/);
      expect(res.text).toMatch(/src="\/static\/feedback\.[0-9a-f]+\.js"/);
    }
  });

  it('stays publicly cacheable and sets no cookie', async () => {
    const res = await request(site.app).get('/guides/phone').expect(200);
    expect(res.headers['cache-control']).toMatch(/^public/);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('POST /feedback', () => {
  it('stores the vote before answering with 303 to a thank-you page that links back', async () => {
    const res = await post(noVote({ comment: 'Where do I change my number? Call me on 07700 900123' })).expect(303);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers.location).toBe('/feedback/thanks?page=%2Fguides%2Fphone&helpful=no&section=expired-link-reference-cid3006');
    expect(await votes()).toEqual([{ page: '/guides/phone', section: 'expired-link-reference-cid3006', yes: 0, no: 1 }]);
    expect((await site.store.comments(0, 10)).map((c) => c.comment)).toEqual(['Where do I change my number? Call me on [phone number]']);

    const thanks = await request(site.app).get(res.headers.location!).expect(200);
    expect(thanks.text).toContain('Thank you for your feedback');
    expect(thanks.text).toContain('href="/guides/phone#expired-link-reference-cid3006"');
    expect(thanks.text).toContain('href="/contact?error=CID3006"');
    expect(thanks.headers['set-cookie']).toBeUndefined();
  });

  it('keeps a Yes without a comment, even if one is sent', async () => {
    await post({ page: '/guides', helpful: 'yes', comment: 'hello' }).expect(303);
    expect(await votes()).toEqual([{ page: '/guides', section: '', yes: 1, no: 0 }]);
    expect(await site.store.comments(0, 10)).toEqual([]);
  });

  it.each([
    ['Sec-Fetch-Site cross-site', { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }],
    ['Sec-Fetch-Site none', { 'Sec-Fetch-Site': 'none' }],
    ['an Origin of another site', { Origin: 'https://evil.example' }],
    ['Origin null from a cross-site frame', { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' }],
  ])('refuses a form sent from another site (%s) with 403 and stores nothing', async (_name, headers) => {
    await post(noVote(), headers).expect(403);
    expect(await votes()).toEqual([]);
  });

  it('accepts the site origin, the same site, and clients that send neither header', async () => {
    await post(noVote(), { Origin: ORIGIN }).expect(303);
    await post(noVote(), { 'Sec-Fetch-Site': 'same-site' }).expect(303);
    await post(noVote(), {}).expect(303);
    // An older browser under the site's no-referrer policy sends Origin: null from the site's own page.
    await post(noVote(), { Origin: 'null' }).expect(303);
    expect((await votes())[0]!.no).toBe(4);
  });

  it('answers a filled honeypot as if accepted, and stores nothing', async () => {
    const res = await post(noVote({ website: 'https://spam.example' })).expect(303);
    expect(res.headers.location).toMatch(/^\/feedback\/thanks\?/);
    expect(await votes()).toEqual([]);
  });

  it('limits how often one client can send, with Retry-After', async () => {
    for (let i = 0; i < 5; i += 1) await post(noVote()).expect(303);
    const res = await post(noVote()).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await votes())[0]!.no).toBe(5);
  });

  it('refuses a body over the size limit with 413', async () => {
    await post(noVote({ comment: 'x'.repeat(9000) })).expect(413);
    expect(await votes()).toEqual([]);
  });

  it.each([
    ['a page that is not on the site', { page: '/nowhere' }],
    ['a full URL for the page', { page: `${ORIGIN}/guides/phone` }],
    ['a section that is not a heading of the page', { section: 'you-lost-your-phone-x' }],
    ['a section of another page', { section: 'password-reset-reference-cid20210' }],
    ['no answer', { helpful: '' }],
    ['an answer that is not yes or no', { helpful: 'maybe' }],
    ['a comment over 500 characters', { comment: 'a'.repeat(501) }],
  ])('answers %s with 400 and stores nothing', async (_name, fields) => {
    await post(noVote(fields)).expect(400);
    expect(await votes()).toEqual([]);
  });

  it('refuses repeated fields with 400, never 500', async () => {
    await request(site.app).post('/feedback').set('Origin', ORIGIN).type('form').send('page=/guides&page=/guides&helpful=yes').expect(400);
    await request(site.app).post('/feedback').set('Origin', ORIGIN).type('json').send('{"page":"/guides","helpful":"yes"}').expect(400);
  });

  it('counts a comment of 500 characters of any script as 500', async () => {
    await post(noVote({ comment: '🙂'.repeat(500) })).expect(303);
    expect((await site.store.comments(0, 1))[0]!.comment).toHaveLength(1000);
  });

  it('says so with a 503 when there is nowhere to store feedback', async () => {
    const { startup, config } = site;
    const app = createApp({
      config,
      views: startup.views,
      assets: startup.assets,
      logger: pino({ level: 'silent' }),
      current: () => startup.rendered,
    });
    await request(app).post('/feedback').set('Origin', ORIGIN).type('form').send(noVote()).expect(503);
  });
});

describe('/cid counts what it is asked for', () => {
  it('reports codes looked up and codes the site does not explain', async () => {
    await request(site.app).get('/cid/3006').expect(302);
    await request(site.app).get('/cid?code=CID9999').expect(404);
    await request(site.app).get('/cid/nonsense').expect(404);
    expect(site.events).toEqual([
      { kind: 'code-lookup', code: '3006' },
      { kind: 'unknown-code', code: 'CID9999', via: 'cid' },
      { kind: 'unknown-code', code: 'nonsense', via: 'cid' },
    ]);
  });
});

describe('the static export', () => {
  it('leaves the form out when no FEEDBACK_URL is set', () => {
    const page = exportFiles(site.startup).find((file) => file.file === fileForUrl('/guides/phone'))!;
    expect(String(page.body)).not.toContain('Was this page helpful?');
    expect(String(page.body)).not.toContain('feedback.');
  });

  it('posts the form to FEEDBACK_URL when it is set', () => {
    const page = exportFiles(site.startup, { feedbackUrl: 'https://feedback.example.nhs.uk/feedback' }).find(
      (file) => file.file === fileForUrl('/guides/phone'),
    )!;
    expect(String(page.body)).toContain('action="https://feedback.example.nhs.uk/feedback"');
    expect(String(page.body)).not.toContain('action="/feedback"');
  });

  it('escapes the URL it writes into the page', () => {
    const html = '<!-- feedback:start --><form action="/feedback"></form><!-- feedback:end -->';
    expect(withFeedbackForm(html, 'https://x.example/"><script>')).toContain('action="https://x.example/&quot;&gt;&lt;script&gt;"');
  });
});

describe('when the store fails', () => {
  it('answers 503 saying nothing was saved, and links back', async () => {
    await site.store.close();
    const res = await post(noVote()).expect(503);
    expect(res.text).toContain('Sorry, we could not save your feedback');
    expect(res.text).toContain('href="/guides/phone"');
    site = feedbackApp(dir, { rateLimit: 5 });
  });
});
