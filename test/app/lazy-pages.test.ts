import request from 'supertest';
import { LazyBodies } from '../../src/render/lazy-bodies';
import { prepareBody } from '../../src/render/prepared';
import { appFor, bodyHash } from '../helpers/app';

describe('bodies made when first asked for', () => {
  it('makes a body once, on its first read, and only for URLs it knows', () => {
    const made: string[] = [];
    const maker = (url: string) => () => {
      made.push(url);
      return prepareBody(`<p>${url}</p>`, 'text/html; charset=utf-8');
    };
    const bodies = new LazyBodies(
      new Map([
        ['/a', maker('/a')],
        ['/b', maker('/b')],
      ]),
    );
    expect(bodies.size).toBe(2);
    expect(bodies.has('/a')).toBe(true);
    expect(bodies.has('/c')).toBe(false);
    expect(made).toEqual([]);
    const first = bodies.get('/a');
    expect(bodies.get('/a')).toBe(first);
    expect(bodies.get('/c')).toBeUndefined();
    expect(made).toEqual(['/a']);
    expect(bodies.madeCount).toBe(1);
    expect([...bodies.keys()]).toEqual(['/a', '/b']);
    expect([...bodies].map(([url, body]) => [url, body.body.toString()])).toEqual([
      ['/a', '<p>/a</p>'],
      ['/b', '<p>/b</p>'],
    ]);
    expect(made).toEqual(['/a', '/b']);
  });

  it('starts without rendering a page, and renders each page the first time it is served', async () => {
    const { app, startup } = appFor();
    const pages = startup.rendered.pages as LazyBodies;
    expect(pages.size).toBe(startup.rendered.site.pages.length);
    expect(pages.madeCount).toBe(0);
    const article = startup.rendered.site.pages.find((page) => page.kind === 'article')!;
    const res = await request(app).get(article.url);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h1`);
    expect(res.text).toContain(article.title);
    expect(pages.madeCount).toBe(1);
    const again = await request(app).get(article.url);
    expect(bodyHash(again.headers.etag)).toBe(bodyHash(res.headers.etag));
    expect(again.text).toBe(res.text);
    expect(pages.madeCount).toBe(1);
  });

  it('serves the code index and the sitemap, made when first asked for', async () => {
    const { app, startup } = appFor();
    const documents = startup.rendered.documents as LazyBodies;
    expect(documents.madeCount).toBe(0);
    expect((await request(app).get('/cid')).status).toBe(200);
    expect((await request(app).get('/sitemap.xml')).text).toContain('<urlset');
    expect(documents.madeCount).toBe(2);
  });
});
