import { loadConfig } from '../../src/config';
import { byPosition } from '../../src/content/site';
import { loadSite } from '../../src/render/rendered-site';
import { createViews } from '../../src/render/views';
import { breadcrumbItems } from '../../src/render/view-models/page-view';
import { fixtureContent } from '../helpers/app';

const config = loadConfig({});
const site = loadSite(fixtureContent, config.viewsDir, createViews(config.viewsDir));

describe('buildSite', () => {
  it('orders a hub by position, then title, whatever the folder', () => {
    expect(site.home.children.map((p) => p.url)).toEqual(['/other', '/guides']);
    expect(site.hubs.get('guides')!.children.map((p) => p.title)).toEqual([
      'Phone problems',
      'Alpha article',
      'Beta article',
      'Nested hub',
    ]);
  });

  it('sorts totally and stably', () => {
    const items = [
      { position: 2, title: 'b' },
      { position: 1, title: 'z' },
      { position: 2, title: 'a' },
    ];
    expect([...items].sort(byPosition)).toEqual([items[1], items[2], items[0]]);
    expect(byPosition(items[0]!, items[0]!)).toBe(0);
  });

  it('gives breadcrumbs for every ancestor, using short titles', () => {
    expect(breadcrumbItems(site, site.byUrl.get('/guides/nested/deep')!)).toEqual([
      { text: 'Home', href: '/' },
      { text: 'All guides', href: '/guides' },
      { text: 'Nested hub', href: '/guides/nested' },
    ]);
  });

  it('gives each code to the heading that names it, or the heading it is first mentioned under', () => {
    const owner = (code: string): string | undefined => {
      const found = site.codes.get(code);
      return found && `${found.page.url}#${found.section.id}`;
    };
    expect(owner('CID3006')).toBe('/guides/phone#expired-link-reference-cid3006');
    expect(owner('CID3001')).toBe('/guides/phone#you-lost-your-phone');
    expect(owner('CID20210')).toBe('/guides/zebra#password-reset-reference-cid20210');
    expect([...site.codes.keys()]).toEqual(['CID3001', 'CID3006', 'CID3007', 'CID20210']);
  });

  it('makes repeated heading ids unique on a page', () => {
    const ids = site.byUrl.get('/guides/phone')!.headings.map((h) => h.id);
    expect(ids).toContain('expired-link');
    expect(ids).toContain('expired-link-2');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('defaults next review to six months after reviewed', () => {
    expect(site.byUrl.get('/guides/phone')!.nextReview?.toISOString().slice(0, 10)).toBe('2026-07-15');
  });
});
