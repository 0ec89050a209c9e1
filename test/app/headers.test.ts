import request from 'supertest';
import { appFor } from '../helpers/app';

// The first test builds the fixture site; the machine running the suite may be busy.
jest.setTimeout(30_000);

const { app } = appFor();

describe('framing and browser features', () => {
  it.each(['/', '/guides/phone', '/contact', '/nope'])(
    '%s forbids framing without contradiction and turns off unused features',
    async (url) => {
      const res = await request(app).get(url);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['permissions-policy']).toMatch(/(^|, )camera=\(\)/);
      expect(res.headers['permissions-policy']).toMatch(/(^|, )geolocation=\(\)/);
      expect(res.headers['permissions-policy']).toMatch(/(^|, )microphone=\(\)/);
    },
  );
});

describe('path-tidying redirects', () => {
  it('may be cached when they carry no query', async () => {
    const res = await request(app).get('/guides/').expect(301);
    expect(res.headers.location).toBe('/guides');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('are never cached when they carry a query, so a CDN cannot store one for everyone', async () => {
    const res = await request(app).get('/guides/?utm=%22%3E%3Cscript%3E').expect(301);
    expect(res.headers.location).toBe('/guides?utm=%22%3E%3Cscript%3E');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('health', () => {
  it('/healthz and /readyz answer without caching', async () => {
    const health = await request(app).get('/healthz').expect(200);
    expect(health.headers['cache-control']).toBe('no-store');
    const ready = await request(app).get('/readyz');
    expect(ready.headers['cache-control']).toBe('no-store');
  });
});
