import path from 'node:path';
import { loadConfig } from '../../src/config';
import { checkContent } from '../../src/content/check';
import { formatProblem } from '../../src/content/errors';
import { loadSite } from '../../src/render/rendered-site';
import { createViews } from '../../src/render/views';
import { siteContent } from '../helpers/app';

const config = loadConfig({});
const views = createViews(config.viewsDir);
const load = (dir: string) => loadSite(dir, config.viewsDir, views);

describe('content checks on a broken fixture', () => {
  const problems = checkContent(load(path.join(__dirname, '..', 'fixtures', 'check'))).map(formatProblem);
  const expectProblem = (pattern: RegExp): void => {
    expect(problems.filter((p) => pattern.test(p))).toHaveLength(1);
  };

  it('reports every problem at once', () => expect(problems).toHaveLength(11));
  it('reports a long subtitle', () => expectProblem(/check\/bad\.md:4: "subtitle" is 1[6-9]\d characters; keep it to 160 or fewer/));
  it('reports an article without a ## heading', () => expectProblem(/check\/bad\.md:1: has no ## heading/));
  it('reports a link to a missing page', () =>
    expectProblem(/check\/bad\.md:13: link "\/no-such-page" goes to \/no-such-page, which is not a page/));
  it('reports a link to a missing heading', () =>
    expectProblem(/check\/bad\.md:13: link "\/good#no-such-heading" goes to #no-such-heading/));
  it('reports malformed links instead of failing', () => {
    expectProblem(/check\/bad\.md:17: link "\/cid\/%E0" names a reference code no section explains/);
    expectProblem(/check\/bad\.md:17: link "\/good#%E0" has a malformed #fragment/);
  });
  it('reports a link to an unknown code', () =>
    expectProblem(/check\/bad\.md:14: link "\/cid\/CID9999" names a reference code no section explains/));
  it('reports a contact link with an unknown code', () =>
    expectProblem(/check\/bad\.md:14: contact link "\/contact\?error=CID4444" names CID4444/));
  it('reports a code named outside the section that owns it', () =>
    expectProblem(/check\/bad\.md:15: CID1002 is explained in .*check\/good\.md:9 \("Expired link – Reference CID1002"\)/));
  it('reports positions used twice in a hub', () => expectProblem(/check\/(bad|good)\.md:6: position 2 in hub "home" is also used by/));
  it('reports an empty hub', () => expectProblem(/check\/empty\/index\.md:1: hub "empty" is empty/));
});

describe('the help centre content', () => {
  const site = load(siteContent);

  it('passes every content check', () => {
    expect(checkContent(site).map(formatProblem)).toEqual([]);
  });

  it('puts every hub whose parent is home on the home page, in position order', () => {
    const topHubs = [...site.hubs.values()].filter((hub) => hub.hub === site.home.name);
    expect(topHubs.length).toBeGreaterThan(0);
    const shown = site.home.children.filter((page) => page.kind === 'hub');
    expect(new Set(shown)).toEqual(new Set(topHubs));
    const positions = site.home.children.map((page) => page.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('explains codes from every range NHS login uses', () => {
    const codes = [...site.codes.keys()];
    const ranges = new Set(codes.map((c) => c.slice(3, 4)));
    for (const range of ['0', '1', '2', '3', '4', '5', '7', '8']) expect(ranges).toContain(range);
  });

  it('ships the seed article: the mobile phone page explains CID3001, 3002, 3003, 3006 and 3007', () => {
    // Found by the code it explains, wherever an editor keeps the file.
    const seed = site.codes.get('CID3006')?.page;
    expect(seed?.title).toMatch(/mobile phone/i);
    expect(['CID3001', 'CID3002', 'CID3003', 'CID3006', 'CID3007'].map((c) => site.codes.get(c)?.page)).toEqual(Array(5).fill(seed));
  });
});
