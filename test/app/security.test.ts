import crypto from 'node:crypto';
import request from 'supertest';
import { appFor } from '../helpers/app';

const { app, startup } = appFor();

describe('Content-Security-Policy', () => {
  it('allows no inline script or style, only the template script by hash', async () => {
    const res = await request(app).get('/guides/phone').expect(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("font-src 'self' https://assets.nhs.uk");
    const inline = [...res.text.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*application\/ld\+json)[^>]*>([\s\S]*?)<\/script>/g)];
    expect(inline).toHaveLength(1);
    const hash = crypto.createHash('sha256').update(inline[0]![1]!).digest('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
    expect(res.text).not.toMatch(/\sstyle="/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('only intended files are served', () => {
  it.each([
    '/package.json',
    '/src/app.ts',
    '/dist/server.js',
    '/content/index.md',
    '/guides/phone.md',
    '/node_modules/nhsuk-frontend/package.json',
    '/assets/../package.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/assets/..%2f..%2fpackage.json',
    '/static/../package.json',
    '/static/%2e%2e%2fpackage.json',
    '/.git/config',
    '/.env',
    '/assets/.hidden',
    '/views/layouts/base.njk',
    '/public/css/app.css',
  ])('%s is not reachable', async (url) => {
    const res = await request(app).get(url);
    expect([400, 403, 404]).toContain(res.status);
    expect(res.text).not.toContain('"dependencies"');
  });

  it('serves versioned assets with long-lived immutable caching', async () => {
    for (const { url } of startup.assets.entries()) {
      expect(url).toMatch(/^\/static\/(images\/)?[\w.-]+\.[0-9a-f]{10}\.(css|js|json|svg|png|ico)$/);
      const res = await request(app).get(url).expect(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('rewrites our module imports to versioned URLs', async () => {
    const res = await request(app).get(startup.assets.url('app.js')).expect(200);
    expect(res.text).toContain(`from '${startup.assets.url('nhsuk.js')}'`);
  });

  it('serves nhsuk-frontend favicons and manifest under /assets', async () => {
    await request(app).get('/assets/manifest.json').expect(200);
    await request(app).get('/assets/images/favicon.svg').expect(200);
  });
});

describe('bad requests get 4xx, not 5xx', () => {
  it.each([
    ['malformed percent-encoding', '/%E0%A4%A'],
    ['overlong path', `/${'a'.repeat(3000)}`],
    ['array-valued query', '/cid?code[]=a'],
    ['repeated query', '/cid?code=1&code=2'],
    ['control character', '/guides%0d%0aSet-Cookie:x'],
  ])('%s', async (_name, url) => {
    const res = await request(app).get(url);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it.each([['post'], ['put'], ['delete'], ['patch']] as const)('%s on a page answers 405', async (method) => {
    const res = await request(app)[method]('/guides/phone').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.text).not.toMatch(/at \w+ \(/);
  });
});

describe('health', () => {
  it('answers 200 when content is loaded', async () => {
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', codes: 4 });
  });
});
