import request from 'supertest';
import { appFor, bodyHash, siteContent } from '../helpers/app';

/** ?from=<service id>: "Go back to <service>" without a cookie or script, and no unbounded variants. */
const { app, startup } = appFor(siteContent);

describe('?from=<service id>', () => {
  it('shows "Go back to NHS App" on a page, cached like the page', async () => {
    const res = await request(app).get('/manage?from=nhs-app').expect(200);
    expect(res.text).toMatch(/<a\s+class="nhsuk-back-link"\s+href="https:\/\/www\.nhsapp\.service\.nhs\.uk\/login">\s*Go back to NHS App/);
    expect(res.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(res.headers['set-cookie']).toBeUndefined();
    const plain = await request(app).get('/manage').expect(200);
    expect(plain.text).not.toContain('Go back to');
  });

  it('renders each variant once and serves the same bytes after', async () => {
    const first = await request(app).get('/manage/password?from=nhs-111-online').expect(200);
    const second = await request(app).get('/manage/password?from=nhs-111-online').expect(200);
    expect(bodyHash(second.headers.etag)).toBe(bodyHash(first.headers.etag));
    expect(second.text).toBe(first.text);
    expect(startup.rendered.withReturn('/manage/password', startup.rendered.returnLinkFor('nhs-111-online')!)).toBe(
      startup.rendered.withReturn('/manage/password', startup.rendered.returnLinkFor('nhs-111-online')!),
    );
  });

  it.each(['no-such-service', 'NHS-APP', 'not-sure'])('redirects ?from=%s to the page without it', async (from) => {
    const res = await request(app).get(`/manage?from=${from}`).expect(301);
    expect(res.headers.location).toBe('/manage');
  });

  it('carries from through /cid/CODE and /cid?code= to the section', async () => {
    const res = await request(app).get('/cid/CID3006?from=nhs-app').expect(302);
    expect(res.headers.location).toMatch(/^\/manage\/mobile-phone\?from=nhs-app#expired-link/);
    const byQuery = await request(app).get('/cid?code=3006&from=nhs-app').expect(302);
    expect(byQuery.headers.location).toBe(res.headers.location);
    const unknown = await request(app).get('/cid/CID3006?from=elsewhere').expect(302);
    expect(unknown.headers.location).toMatch(/^\/manage\/mobile-phone#/);
  });

  it('keeps a search page made with the way back apart from the same search without it', async () => {
    const plain = await request(app).get('/search?q=mobile+phone').expect(200);
    const back = await request(app).get('/search?q=mobile+phone&from=nhs-app').expect(200);
    expect(back.text).toContain('Go back to NHS App');
    expect(plain.text).not.toContain('Go back to');
    expect((await request(app).get('/search?q=mobile+phone').expect(200)).text).toBe(plain.text);
  });

  it('shows the way back on the code index, search and 404 pages too', async () => {
    for (const path of ['/cid?from=nhs-app', '/search?q=password&from=nhs-app', '/no-such-page?from=nhs-app']) {
      const res = await request(app).get(path);
      expect({ path, back: res.text.includes('Go back to NHS App') }).toEqual({ path, back: true });
    }
  });
});

describe('related answers', () => {
  it('lists up to 3 other articles at the foot of an article', async () => {
    const res = await request(app).get('/manage/mobile-phone').expect(200);
    const related = /<nav class="app-related"[^]*?<\/nav>/.exec(res.text)?.[0] ?? '';
    const links = [...related.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.length).toBeLessThanOrEqual(3);
    expect(links).not.toContain('/manage/mobile-phone');
  });
});
