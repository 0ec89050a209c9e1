import request from 'supertest';
import { appFor } from '../helpers/app';

const { app } = appFor();

describe('home page', () => {
  it('shows the hero, the search box and a card per home child in position order', async () => {
    const res = await request(app).get('/').expect(200);
    expect(res.text).toContain('nhsuk-hero');
    expect(res.text).toMatch(/<label[^>]*for="hero-search"[^>]*>\s*Enter search term or reference code\s*<\/label>/);
    expect(res.text).toContain('<title>NHS login help centre</title>');
    const cards = [...res.text.matchAll(/class="nhsuk-card__link" href="([^"]+)"/g)].map((m) => m[1]);
    expect(cards).toEqual(['/other', '/guides']);
    expect(res.text).toContain('Other hub subtitle.');
  });
});

describe('hub page', () => {
  it('has breadcrumbs, one h1 and cards in position order', async () => {
    const res = await request(app).get('/guides').expect(200);
    expect(res.text.match(/<h1/g)).toHaveLength(1);
    expect(res.text).toContain('<h1>Guides</h1>');
    expect(res.text).toMatch(/nhsuk-breadcrumb[\s\S]*href="\/"/);
    const cards = [...res.text.matchAll(/class="nhsuk-card__link" href="([^"]+)"/g)].map((m) => m[1]);
    expect(cards).toEqual(['/guides/phone', '/guides/zebra', '/guides/beta', '/guides/nested']);
  });
});

describe('article page', () => {
  it('has title, lede, contents list of h2s, body, back to top and review dates', async () => {
    const res = await request(app).get('/guides/phone').expect(200);
    expect(res.text.match(/<h1/g)).toHaveLength(1);
    expect(res.text).toContain('<title>Phone problems - NHS login help centre</title>');
    expect(res.text).toContain('<meta name="description" content="What to do about phone problems.">');
    expect(res.text).toContain('<link rel="canonical" href="https://help.example.nhs.uk/guides/phone">');
    expect(res.text).toContain('<p class="nhsuk-lede-text">What to do about phone problems.</p>');
    expect(res.text).toMatch(
      /nhsuk-contents-list[\s\S]*href="#you-lost-your-phone"[\s\S]*href="#links-that-do-not-work"[\s\S]*href="#cancel-links"/,
    );
    expect(res.text).not.toMatch(/nhsuk-contents-list__link" href="#expired-link-reference-cid3006"/);
    expect(res.text).toContain('<h3 id="expired-link-reference-cid3006">Expired link – Reference CID3006</h3>');
    expect(res.text).toContain('nhsuk-section-break');
    expect(res.text).toContain('nhsuk-inset-text');
    expect(res.text).toMatch(/class="nhsuk-back-link app-back-to-top"\s+href="#maincontent"/);
    expect(res.text).toContain('Page last reviewed: 15 January 2026');
    expect(res.text).toContain('Next review due: 15 July 2026');
  });

  it('shows every ancestor in nested breadcrumbs', async () => {
    const res = await request(app).get('/guides/nested/deep').expect(200);
    const crumbs = res.text.slice(res.text.indexOf('nhsuk-breadcrumb'), res.text.indexOf('</nav>', res.text.indexOf('nhsuk-breadcrumb')));
    expect(crumbs).toContain('href="/"');
    expect(crumbs).toContain('href="/guides"');
    expect(crumbs).toContain('All guides');
    expect(crumbs).toContain('href="/guides/nested"');
    expect(res.text).toMatch(/nhsuk-card--warning[\s\S]*Keep it safe[\s\S]*Never share your code/);
    expect(res.text).toContain('nhsuk-details');
  });

  it('escapes raw HTML written in content', async () => {
    const res = await request(app).get('/guides/zebra').expect(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('URLs', () => {
  it.each([
    ['/guides/', '/guides'],
    ['/guides/phone/', '/guides/phone'],
    ['/Guides/Phone', '/guides/phone'],
    ['/guides/index', '/guides'],
    ['/guides/phone/?a=1', '/guides/phone?a=1'],
    ['//evil.example/', '/evil.example'],
  ])('redirects %s to %s with 301', async (from, to) => {
    const res = await request(app).get(from).expect(301);
    expect(res.headers.location).toBe(to);
  });

  it('answers an unknown path with an NHS-styled 404 that offers search and home', async () => {
    const res = await request(app).get('/no/such/page').expect(404);
    expect(res.text).toContain('<h1>Page not found</h1>');
    expect(res.text).toContain('action="/search"');
    expect(res.text).toContain('href="/"');
  });

  it('answers HEAD without a body', async () => {
    const res = await request(app).head('/guides/phone').expect(200);
    expect(res.text).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBeGreaterThan(1000);
  });
});
