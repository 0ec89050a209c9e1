import { appFor, siteContent } from '../helpers/app';

/** Page weight budgets for a first visit to an article, in compressed bytes. */
const KB = 1024;
const { startup } = appFor(siteContent);

describe('page weight budgets', () => {
  it('keeps every page under 30 KB of HTML with gzip and brotli', () => {
    expect(startup.rendered.pages.size).toBeGreaterThanOrEqual(startup.rendered.site.pages.length);
    for (const [url, page] of startup.rendered.pages) {
      expect({ url, gzip: page.gzip.length <= 30 * KB, br: page.br.length <= 30 * KB }).toEqual({ url, gzip: true, br: true });
    }
  });

  it('keeps the stylesheet under 40 KB compressed, well below the full nhsuk-frontend stylesheet', () => {
    const css = startup.assets.entries().find((a) => a.name === 'site.css')!.prepared;
    expect(css.gzip.length).toBeLessThanOrEqual(40 * KB);
    expect(css.br.length).toBeLessThanOrEqual(40 * KB);
    expect(css.body.toString()).not.toContain('nhsuk-task-list');
  });

  it('keeps our own JavaScript under 10 KB compressed', () => {
    const js = startup.assets.entries().find((a) => a.name === 'app.js')!.prepared;
    expect(js.gzip.length).toBeLessThanOrEqual(10 * KB);
  });

  it('loads scripts as deferred modules and makes no third-party requests but the NHS font', () => {
    const article = startup.rendered.site.pages.find((page) => page.kind === 'article')!;
    const html = startup.rendered.pages.get(article.url)!.body.toString();
    const sources = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.filter((s) => /^https?:/.test(s) && !s.startsWith('https://help.example.nhs.uk/'))).toEqual([]);
    expect(html).toMatch(/<script type="module" src="\/static\/app\.[0-9a-f]{10}\.js"><\/script>/);
    const css = startup.assets
      .entries()
      .find((a) => a.name === 'site.css')!
      .prepared.body.toString();
    const outside = [...css.matchAll(/url\((?:["']?)(https?:\/\/[^/"')]+)/g)].map((m) => m[1]);
    expect([...new Set(outside)]).toEqual(['https://assets.nhs.uk']);
  });
});
