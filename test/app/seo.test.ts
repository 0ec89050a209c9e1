import request from 'supertest';
import { appFor } from '../helpers/app';

const { app, startup } = appFor();

function jsonLd(html: string): { '@graph': Record<string, unknown>[] } {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no JSON-LD');
  return JSON.parse(match[1]!) as { '@graph': Record<string, unknown>[] };
}

describe('sitemap.xml', () => {
  it('lists every hub and article and the reference-code index as absolute URLs with lastmod, and nothing else', async () => {
    const res = await request(app)
      .get('/sitemap.xml')
      .expect(200)
      .expect('Content-Type', /application\/xml/);
    const xml = res.text;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')).toBe(
      true,
    );
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toHaveLength(startup.rendered.site.pages.length + 1);
    expect(locs).toContain('https://help.example.nhs.uk/cid');
    expect(locs[0]).toBe('https://help.example.nhs.uk/');
    expect(locs).toContain('https://help.example.nhs.uk/guides/nested/deep');
    expect(locs.some((l) => /search|cid\/|cid\.json|404/.test(l!))).toBe(false);
    const urls = [...xml.matchAll(/<url>\s*<loc>[^<]+<\/loc>\s*<lastmod>(\d{4}-\d{2}-\d{2})<\/lastmod>\s*<\/url>/g)];
    expect(urls).toHaveLength(locs.length);
    expect(xml).toMatch(/<loc>https:\/\/help\.example\.nhs\.uk\/guides\/phone<\/loc>\s*<lastmod>2026-01-15<\/lastmod>/);
    expect(xml.trimEnd().endsWith('</urlset>')).toBe(true);
  });
});

describe('robots.txt', () => {
  it('allows everything and names the sitemap', async () => {
    const res = await request(app)
      .get('/robots.txt')
      .expect(200)
      .expect('Content-Type', /text\/plain/);
    expect(res.text).toBe('User-agent: *\nAllow: /\n\nSitemap: https://help.example.nhs.uk/sitemap.xml\n');
    expect(res.headers['x-robots-tag']).toBeUndefined();
  });

  it('disallows everything on staging and marks every response noindex', async () => {
    const staging = appFor(undefined, { robotsDisallowAll: true }).app;
    const robots = await request(staging).get('/robots.txt').expect(200);
    expect(robots.text).toBe('User-agent: *\nDisallow: /\n');
    for (const url of ['/', '/guides/phone', '/search?q=x', '/nope', '/cid/CID3006', '/%ff', '/x?a[]=1', `/${'a'.repeat(3000)}`]) {
      const res = await request(staging).get(url);
      expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    }
    expect((await request(staging).post('/guides/phone')).headers['x-robots-tag']).toBe('noindex, nofollow');
    const page = await request(staging).get('/guides/phone');
    expect(page.text).toContain('<meta name="robots" content="noindex">');
  });
});

describe('link previews and structured data', () => {
  it('gives every page canonical, description and Open Graph tags', async () => {
    const res = await request(app).get('/guides').expect(200);
    expect(res.text).toContain('<link rel="canonical" href="https://help.example.nhs.uk/guides">');
    expect(res.text).toContain('<meta name="description" content="Guides hub subtitle.">');
    expect(res.text).toContain('<meta property="og:title" content="Guides">');
    expect(res.text).toContain('<meta property="og:description" content="Guides hub subtitle.">');
    expect(res.text).toContain('<meta property="og:url" content="https://help.example.nhs.uk/guides">');
    expect(res.text).toContain('<meta property="og:type" content="website">');
    expect(res.text).toContain('<meta property="og:site_name" content="NHS login help centre">');
  });

  it('gives an article a BreadcrumbList and an Article with dateModified', async () => {
    const res = await request(app).get('/guides/nested/deep').expect(200);
    expect(res.text).toContain('<meta property="og:type" content="article">');
    const graph = jsonLd(res.text)['@graph'];
    expect(graph[0]).toMatchObject({
      '@type': 'BreadcrumbList',
      itemListElement: [
        { position: 1, name: 'Home', item: 'https://help.example.nhs.uk/' },
        { position: 2, name: 'Guides', item: 'https://help.example.nhs.uk/guides' },
        { position: 3, name: 'Nested hub', item: 'https://help.example.nhs.uk/guides/nested' },
        { position: 4, name: 'Deep article', item: 'https://help.example.nhs.uk/guides/nested/deep' },
      ],
    });
    expect(graph[1]).toMatchObject({ '@type': 'Article', headline: 'Deep article' });
    expect(Number.isNaN(Date.parse(graph[1]!.dateModified as string))).toBe(false);
  });

  it('uses reviewed as dateModified when present', async () => {
    const res = await request(app).get('/guides/phone').expect(200);
    expect(jsonLd(res.text)['@graph'][1]).toMatchObject({ dateModified: '2026-01-15T00:00:00.000Z' });
  });

  it('escapes JSON-LD so content cannot close the script', async () => {
    const res = await request(app).get('/guides/zebra').expect(200);
    const block = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(res.text)![1]!;
    expect(block).not.toMatch(/[<>]/);
  });

  it('shows no review lines on an article without reviewed', async () => {
    const res = await request(app).get('/guides/beta').expect(200);
    expect(res.text).not.toContain('Page last reviewed');
  });
});
