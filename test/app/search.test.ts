import request from 'supertest';
import { appFor, manyResultsContent } from '../helpers/app';

const { app } = appFor();
const { app: many } = appFor(manyResultsContent);

describe('/search', () => {
  it('shows results with heading links, article titles and marked excerpts', async () => {
    const res = await request(app).get('/search?q=password').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toMatch(/<title>\d+ results? for “password” - NHS login help centre<\/title>/);
    expect(res.text).toContain('<a href="/other/second#reset-your-password">Reset your password</a>');
    expect(res.text).toContain('Second other');
    expect(res.text).toContain('<mark>password</mark>');
  });

  it('gives the same page for the same search, and its own to another spelling or encoding', async () => {
    const plain = await request(app).get('/search?q=password').expect(200);
    expect((await request(app).get('/search?q=password').expect(200)).text).toBe(plain.text);
    const other = await request(app).get('/search?q=Password').expect(200);
    expect(other.text).toContain('value="Password"');
    expect((await request(app).get('/search?q=password').set('Accept-Encoding', 'identity').expect(200)).text).toBe(plain.text);
  });

  it.each([['CID3006'], ['cid3006'], ['3006'], [' 3006 ']])('redirects the code %j to its section like /cid', async (q) => {
    const res = await request(app)
      .get(`/search?q=${encodeURIComponent(q)}`)
      .expect(302);
    expect(res.headers.location).toBe('/guides/phone#expired-link-reference-cid3006');
  });

  it('says no section uses an unknown code and suggests the index', async () => {
    const res = await request(app).get('/search?q=CID9999').expect(200);
    expect(res.text).toContain('No section uses CID9999');
    expect(res.text).toContain('href="/cid"');
  });

  it('gives NHS no-results guidance', async () => {
    const res = await request(app).get('/search?q=qzxvqzxv').expect(200);
    expect(res.text).toContain('0 results for “qzxvqzxv”');
    expect(res.text).toContain('check your spelling');
    expect(res.text).toContain('use fewer words');
    expect(res.text).toContain('href="/cid"');
  });

  it('shows the search box for an empty or missing query', async () => {
    for (const url of ['/search', '/search?q=', '/search?q=%20%20']) {
      const res = await request(app).get(url).expect(200);
      expect(res.text).toContain('<h1>Search the help centre</h1>');
      expect(res.text).toContain('id="search-page-field"');
    }
  });

  it('never reflects a hostile query raw', async () => {
    const res = await request(app)
      .get(`/search?q=${encodeURIComponent('<script>alert(1)</script>')}`)
      .expect(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('cuts a query longer than 200 characters', async () => {
    const res = await request(app)
      .get(`/search?q=${'a'.repeat(150)}${'b'.repeat(150)}`)
      .expect(200);
    expect(res.text).toContain(`value="${'a'.repeat(150)}${'b'.repeat(50)}"`);
    expect(res.text).not.toContain('b'.repeat(51));
  });

  it('never splits a character when it cuts a long query, even with several pages of results', async () => {
    const query = `password${' '.repeat(191)}😀`;
    const res = await request(many)
      .get(`/search?q=${encodeURIComponent(query)}`)
      .expect(200);
    expect(res.text).toContain('nhsuk-pagination');
  });

  it.each([['/search?q=a&q=b'], ['/search?q=password&page=1&page=2'], ['/search?q[]=a']])(
    'answers repeated or array parameters %s with 400',
    async (url) => {
      await request(app).get(url).expect(400);
    },
  );

  it.each([['/search?q=%00%01%02'], ['/search?q=%FF%FE'], ['/search?q=password&page=abc'], ['/search?q=password&page=-1']])(
    'answers odd input %s with a normal page',
    async (url) => {
      const res = await request(app).get(url);
      expect(res.status).toBe(200);
    },
  );
});

describe('pagination', () => {
  it('links pages with the NHS pagination component', async () => {
    const first = await request(many).get('/search?q=password').expect(200);
    expect(first.text).toContain('nhsuk-pagination');
    expect(first.text).toContain('href="/search?q=password&amp;page=2"');
    expect(first.text).toMatch(/<title>\d+ results for “password” \(page 1 of \d+\)/);
    expect((first.text.match(/app-search-results__item/g) ?? []).length).toBe(10);
    const second = await request(many).get('/search?q=password&page=2').expect(200);
    expect(second.text).toContain('href="/search?q=password"');
  });
});

describe('the reference-code index', () => {
  it('lists every code in numeric order, linked through /cid/<code>', async () => {
    const res = await request(app).get('/cid').expect(200);
    const codes = [...res.text.matchAll(/<a href="\/cid\/(CID\d+)">/g)].map((m) => m[1]);
    expect(codes).toEqual(['CID3001', 'CID3006', 'CID3007', 'CID20210']);
    expect(res.text).toContain('Expired link – Reference CID3006');
    expect(res.text).toContain('Phone problems');
    expect(res.text).toMatch(/<form action="\/cid" method="get"/);
  });

  it('offers the same list as JSON', async () => {
    const res = await request(app)
      .get('/cid.json')
      .expect(200)
      .expect('Content-Type', /application\/json/);
    expect(res.body).toHaveLength(4);
    expect(res.body[1]).toEqual({
      code: 'CID3006',
      url: 'https://help.example.nhs.uk/guides/phone#expired-link-reference-cid3006',
      shareUrl: 'https://help.example.nhs.uk/cid/CID3006',
      heading: 'Expired link – Reference CID3006',
      article: 'Phone problems',
    });
  });
});

describe('sharing a section', () => {
  it('folds a real link to BASE_URL/cid/<code> under each owning heading, with a hidden copy button', async () => {
    const res = await request(app).get('/guides/phone').expect(200);
    const after = res.text.slice(res.text.indexOf('id="expired-link-reference-cid3006"'));
    expect(after).toMatch(
      /^[^]*?<\/h3>\s*<details class="nhsuk-details app-reference-link">[^]*?Share link to this section[^]*?<a href="https:\/\/help\.example\.nhs\.uk\/cid\/CID3006"/,
    );
    expect(res.text).toMatch(/data-copy="https:\/\/help\.example\.nhs\.uk\/cid\/CID3006"\s+hidden/);
    expect(res.text.match(/class="nhsuk-details app-reference-link"/g)).toHaveLength(3);
  });
});
