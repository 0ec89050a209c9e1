import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import type { InsightEvent } from '../../src/insights/events';
import { startUp } from '../../src/render/startup';
import { testConfig } from '../helpers/app';

const contentDir = path.join(__dirname, '..', 'fixtures', 'search');
const config = testConfig({ contentDir });
const startup = startUp(config);
const events: InsightEvent[] = [];
const app = createApp({
  config,
  views: startup.views,
  assets: startup.assets,
  logger: pino({ level: 'silent' }),
  current: () => startup.rendered,
  insights: { record: (event) => events.push(event) },
});

beforeEach(() => {
  events.length = 0;
});

describe('/search with reference codes', () => {
  it.each([['CID 2021'], ['cid-2021'], ['CID2021.'], ['reference CID2021'], ['my code is 2021']])(
    'redirects %j to the section',
    async (q) => {
      const res = await request(app)
        .get(`/search?q=${encodeURIComponent(q)}`)
        .expect(302);
      expect(res.headers.location).toBe('/help/links#expired-link-reference-cid2021');
      expect(events).toEqual([{ kind: 'code-lookup', code: 'CID2021' }]);
    },
  );

  it('redirects a 5-digit code to its own section, not to the 4-digit code it starts with', async () => {
    const res = await request(app).get('/search?q=CID20210').expect(302);
    expect(res.headers.location).toBe('/help/links#used-link-reference-cid20210');
  });

  it('lists the sections of several codes first', async () => {
    const res = await request(app).get('/search?q=CID20210+CID2021').expect(200);
    const hrefs = [...res.text.matchAll(/<h2 class="nhsuk-heading-s[^"]*"><a href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(['/help/links#used-link-reference-cid20210', '/help/links#expired-link-reference-cid2021']);
    expect(events).toEqual([
      { kind: 'code-lookup', code: 'CID20210' },
      { kind: 'code-lookup', code: 'CID2021' },
    ]);
  });

  it('says an unknown code is unknown, offers the code index and counts it', async () => {
    const res = await request(app).get('/search?q=cid+9999').expect(200);
    expect(res.text).toContain('No section uses CID9999');
    expect(res.text).toContain('href="/cid"');
    expect(events).toEqual([{ kind: 'unknown-code', code: 'CID9999', via: 'search' }]);
  });

  it('names an unknown code typed with other words, and still shows results for the words', async () => {
    const res = await request(app).get('/search?q=CID9999+expired+link').expect(200);
    expect(res.text).toContain('We have no help section for <strong>CID9999</strong>');
    expect(res.text).toContain('href="/help/links#expired-link-reference-cid2021"');
    expect(events).toEqual([{ kind: 'unknown-code', code: 'CID9999', via: 'search' }]);
  });
});

describe('/search suggestions and insights', () => {
  it('offers a close spelling as an escaped link', async () => {
    const res = await request(app).get('/search?q=surgerry').expect(200);
    expect(res.text).toContain('Did you mean <a href="/search?q=surgery">surgery</a>?');
  });

  it('never reflects hostile text in a suggestion', async () => {
    const res = await request(app)
      .get(`/search?q=${encodeURIComponent('<img src=x onerror=alert(1)> surgerry')}`)
      .expect(200);
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt; surgery');
  });

  it('counts a search with no results with the query as cleaned, on the first page only', async () => {
    await request(app).get('/search?q=qzxvqzxv').expect(200);
    await request(app).get('/search?q=qzxvqzxv&page=2').expect(200);
    expect(events).toEqual([{ kind: 'search-no-results', query: 'qzxvqzxv' }]);
  });

  it('counts each search with no results, also when its page was made already', async () => {
    const first = await request(app).get('/search?q=qzxvqzxv').expect(200);
    const second = await request(app).get('/search?q=qzxvqzxv').expect(200);
    expect(second.text).toBe(first.text);
    expect(events).toEqual([
      { kind: 'search-no-results', query: 'qzxvqzxv' },
      { kind: 'search-no-results', query: 'qzxvqzxv' },
    ]);
  });

  it('counts nothing for a search that finds results', async () => {
    await request(app).get('/search?q=expired+link').expect(200);
    expect(events).toEqual([]);
  });
});

describe('start-up', () => {
  it('fails on a bad synonyms file, naming the file and line', () => {
    const broken = path.join(__dirname, '..', 'fixtures', 'search-broken');
    expect(() => startUp(testConfig({ contentDir: broken }))).toThrow(/_data\/synonyms\.yml:1: group 1 must be a list/);
  });
});
