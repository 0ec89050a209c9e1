import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import request from 'supertest';
import { compressionSettled } from '../../src/render/prepared';
import { appFor } from '../helpers/app';

const { app, startup } = appFor();

let server: http.Server;
beforeAll((done) => {
  server = app.listen(0, '127.0.0.1', done);
});
afterAll((done) => {
  server.close(done);
});

/** A raw request, so the body arrives exactly as sent, still compressed. */
function raw(path: string, headers: Record<string, string>, on = server): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { port } = on.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('ETags and conditional requests', () => {
  it('answers a matching If-None-Match with 304 and no body', async () => {
    const first = await request(app).get('/guides/phone').set('Accept-Encoding', 'identity').expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await request(app).get('/guides/phone').set('If-None-Match', etag).set('Accept-Encoding', 'identity').expect(304);
    expect(again.text).toBeFalsy();
    await request(app).get('/guides/phone').set('If-None-Match', '"something-else"').expect(200);
  });

  it('gives each encoding its own strong ETag, and answers 304 only to the one being sent', async () => {
    // Once its best forms are made, a page's bytes (and ETags) stay as they are.
    await raw('/guides/phone', { 'Accept-Encoding': 'br' });
    await compressionSettled();
    const br = await raw('/guides/phone', { 'Accept-Encoding': 'br' });
    const gzip = await raw('/guides/phone', { 'Accept-Encoding': 'gzip' });
    expect(br.headers.etag).not.toBe(gzip.headers.etag);
    expect(
      (await raw('/guides/phone', { 'Accept-Encoding': 'br', 'If-None-Match': gzip.headers.etag as string })).body.length,
    ).toBeGreaterThan(0);
    await request(app)
      .get('/guides/phone')
      .set('Accept-Encoding', 'br')
      .set('If-None-Match', gzip.headers.etag as string)
      .expect(200);
    await request(app)
      .get('/guides/phone')
      .set('Accept-Encoding', 'br')
      .set('If-None-Match', br.headers.etag as string)
      .expect(304);
    await request(app)
      .get('/guides/phone')
      .set('Accept-Encoding', 'br')
      .set('If-None-Match', `W/${br.headers.etag as string}`)
      .expect(304);
    await request(app)
      .get('/guides/phone')
      .set('Accept-Encoding', 'br')
      .set('If-None-Match', (br.headers.etag as string).slice(1, -1))
      .expect(200);
  });

  it('serves the same bytes whatever the query string', async () => {
    const plain = await request(app).get('/guides/phone').set('Accept-Encoding', 'identity');
    const withQuery = await request(app).get('/guides/phone?utm_source=x&a=1').set('Accept-Encoding', 'identity');
    expect(withQuery.headers.etag).toBe(plain.headers.etag);
    expect(withQuery.text).toBe(plain.text);
  });
});

describe('compression', () => {
  it.each([
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=-1, gzip', 'gzip'],
    ['br;q=2', undefined],
    ['*', 'br'],
    ['identity', undefined],
    ['', undefined],
  ])('Accept-Encoding %j gets %s', async (accept, expected) => {
    const res = await raw('/guides/phone', { 'Accept-Encoding': accept });
    expect(res.headers['content-encoding']).toBe(expected);
    expect(res.headers.vary).toBe('Accept-Encoding');
    const { body } = res;
    const html = expected === 'br' ? zlib.brotliDecompressSync(body) : expected === 'gzip' ? zlib.gunzipSync(body) : body;
    expect(html.toString()).toContain('<h1>Phone problems</h1>');
  });

  it('precompresses assets too', async () => {
    const url = startup.assets.url('site.css');
    const res = await raw(url, { 'Accept-Encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(res.body).toString()).toContain('.nhsuk-header');
  });
});

describe('cache headers by kind', () => {
  it.each([
    ['/', 'public, max-age=300, stale-while-revalidate=86400'],
    ['/guides/phone', 'public, max-age=300, stale-while-revalidate=86400'],
    ['/search?q=phone', 'no-store'],
    ['/no-such-page', 'no-store'],
    ['/cid/CID9999', 'no-store'],
  ])('%s: %s', async (url, expected) => {
    const res = await request(app).get(url);
    expect(res.headers['cache-control']).toBe(expected);
  });

  it('caches versioned assets for a year', async () => {
    const res = await request(app).get(startup.assets.url('app.js')).expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});

describe('compressed forms made after start-up', () => {
  it('serves a fast form at first, then the best one, each with an ETag naming its own bytes', async () => {
    const { app: fresh } = appFor();
    const freshServer = await new Promise<http.Server>((resolve) => {
      const listening = fresh.listen(0, '127.0.0.1', () => resolve(listening));
    });
    try {
      const first = await raw('/guides/nested/deep', { 'Accept-Encoding': 'br, gzip' }, freshServer);
      expect(first.headers['content-encoding']).toBe('gzip'); // the form made at start-up, until brotli is ready
      await compressionSettled();
      const best = await raw('/guides/nested/deep', { 'Accept-Encoding': 'br, gzip' }, freshServer);
      expect(best.headers['content-encoding']).toBe('br');
      expect(best.headers.etag).not.toBe(first.headers.etag);
      expect(zlib.brotliDecompressSync(best.body).toString()).toBe(zlib.gunzipSync(first.body).toString());
      // The old ETag names bytes no longer sent: a full answer, not 304.
      await request(fresh)
        .get('/guides/nested/deep')
        .set('Accept-Encoding', 'gzip')
        .set('If-None-Match', first.headers.etag as string)
        .expect(200);
      await request(fresh)
        .get('/guides/nested/deep')
        .set('Accept-Encoding', 'br')
        .set('If-None-Match', best.headers.etag as string)
        .expect(304);
    } finally {
      freshServer.close();
    }
  });

  it('answers 304 to the ETag of a best form before that form is made again (after a restart)', async () => {
    const { app: before } = appFor();
    await request(before).get('/guides/beta').set('Accept-Encoding', 'br');
    await compressionSettled();
    const best = await request(before).get('/guides/beta').set('Accept-Encoding', 'br');
    const { app: restarted } = appFor();
    const again = await request(restarted)
      .get('/guides/beta')
      .set('Accept-Encoding', 'br')
      .set('If-None-Match', best.headers.etag as string)
      .expect(304);
    expect(again.headers.etag).toBe(best.headers.etag);
  });

  it('compresses search results and 404 pages at a fast level, only for clients that accept it', async () => {
    for (const url of ['/search?q=phone', '/no-such-page', '/cid/CID9999']) {
      const gzip = await raw(url, { 'Accept-Encoding': 'gzip' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gzip.headers.vary).toBe('Accept-Encoding');
      expect(zlib.gunzipSync(gzip.body).toString()).toContain('</html>');
      const br = await raw(url, { 'Accept-Encoding': 'br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(zlib.brotliDecompressSync(br.body).toString()).toContain('</html>');
      const plain = await raw(url, {});
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString()).toContain('</html>');
    }
  });
});
