import zlib from 'node:zlib';
import type { RenderedSite } from '../../src/render/rendered-site';
import { RecentPages } from '../../src/http/recent-pages';
import { DynamicBody } from '../../src/http/send';

const siteA = {} as RenderedSite;
const siteB = {} as RenderedSite;

describe('recent dynamic pages', () => {
  it('keeps a page for its site and key', () => {
    const recent = new RecentPages(4);
    const page = recent.set(siteA, 'query 1 login', DynamicBody.of('<p>login</p>'));
    expect(recent.get(siteA, 'query 1 login')).toBe(page);
    expect(recent.get(siteA, 'query 2 login')).toBeUndefined();
    expect(recent.get(siteB, 'query 1 login')).toBeUndefined();
  });

  it('drops the page used least recently when full', () => {
    const recent = new RecentPages(2);
    recent.set(siteA, 'a', DynamicBody.of('a'));
    recent.set(siteA, 'b', DynamicBody.of('b'));
    expect(recent.get(siteA, 'a')).toBeDefined();
    recent.set(siteA, 'c', DynamicBody.of('c'));
    expect(recent.get(siteA, 'b')).toBeUndefined();
    expect(recent.get(siteA, 'a')).toBeDefined();
    expect(recent.get(siteA, 'c')).toBeDefined();
  });

  it('keeps nothing when its size is 0', () => {
    const recent = new RecentPages(0);
    recent.set(siteA, 'a', DynamicBody.of('a'));
    expect(recent.get(siteA, 'a')).toBeUndefined();
  });

  it('makes each compressed form once, and each decodes to the page', () => {
    const body = DynamicBody.of('<p>Search results – “login”</p>'.repeat(50));
    const gzip = body.form('gzip');
    expect(body.form('gzip')).toBe(gzip);
    expect(zlib.gunzipSync(gzip).toString('utf8')).toBe(body.form(undefined).toString('utf8'));
    expect(zlib.brotliDecompressSync(body.form('br')).toString('utf8')).toBe(body.form(undefined).toString('utf8'));
  });
});
