import request from 'supertest';
import { appFor, siteContent } from '../helpers/app';

const { app } = appFor();

describe('/cid/:code', () => {
  it.each([['CID3006'], ['cid3006'], ['3006'], ['%203006%20'], ['Cid3006']])(
    'redirects %s to the heading that names CID3006',
    async (code) => {
      const res = await request(app).get(`/cid/${code}`).expect(302);
      expect(res.headers.location).toBe('/guides/phone#expired-link-reference-cid3006');
    },
  );

  it('redirects a code named only in the body to the heading it is first mentioned under', async () => {
    const res = await request(app).get('/cid/CID3001').expect(302);
    expect(res.headers.location).toBe('/guides/phone#you-lost-your-phone');
  });

  it('accepts five-digit codes', async () => {
    const res = await request(app).get('/cid/20210').expect(302);
    expect(res.headers.location).toBe('/guides/zebra#password-reset-reference-cid20210');
  });

  it('does the same for /cid?code=', async () => {
    const res = await request(app).get('/cid?code=cid3007').expect(302);
    expect(res.headers.location).toBe('/guides/phone#used-link-reference-cid3007');
  });

  it.each([['CID9999'], ['abc'], ['CID12'], ['%3Cscript%3Ealert(1)%3C%2Fscript%3E']])(
    'answers %s with a 404 naming what was typed, escaped',
    async (code) => {
      const res = await request(app).get(`/cid/${code}`).expect(404);
      expect(res.text).toContain('Reference code not found');
      expect(res.text).not.toContain('<script>alert(1)</script>');
      expect(res.text).toContain(decodeURIComponent(code).replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      expect(res.text).toContain('action="/search"');
    },
  );

  it.each([['/cid/%E0%A4%A'], ['/cid?code=a&code=b'], ['/cid/%00']])('answers malformed input %s with 4xx, never 5xx', async (url) => {
    const res = await request(app).get(url);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('the seed article in the real content', () => {
  const { app: real, startup } = appFor(siteContent);
  const { site } = startup.rendered;
  // The page that explains CID3006, wherever an editor keeps it.
  const seed = site.codes.get('CID3006')!.page;

  it.each([
    ['CID3001', 'you-have-lost-access-to-your-mobile-phone-number'],
    ['CID3002', 'expired-link-reference-cid3002'],
    ['CID3003', 'used-link-reference-cid3003'],
    ['CID3006', 'expired-link-reference-cid3006'],
    ['CID3007', 'used-link-reference-cid3007'],
  ])('%s resolves to #%s on the seed article', async (code, id) => {
    const res = await request(real).get(`/cid/${code}`).expect(302);
    expect(res.headers.location).toBe(`${seed.url}#${id}`);
    const page = await request(real).get(seed.url).expect(200);
    expect(page.text).toContain(`id="${id}"`);
  });
});
