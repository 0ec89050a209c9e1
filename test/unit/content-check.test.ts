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

  it('has the five hubs on the home page, in order', () => {
    expect(site.home.children.map((p) => p.title)).toEqual([
      'Setting up NHS login',
      'Proving who you are',
      'Managing your NHS login',
      'Using NHS login with websites and apps',
      'Reference codes and technical problems',
    ]);
  });

  it('explains at least 40 codes, from every range NHS login uses', () => {
    const codes = [...site.codes.keys()];
    expect(codes.length).toBeGreaterThanOrEqual(40);
    const ranges = new Set(codes.map((c) => c.slice(3, 4)));
    for (const range of ['0', '1', '2', '3', '4', '5', '7', '8']) expect(ranges).toContain(range);
  });

  it('ships the seed article as the mobile phone page', () => {
    const page = site.byUrl.get('/manage/mobile-phone')!;
    expect(page.file).toMatch(/content\/manage\/mobile-phone\.md$/);
    expect(['CID3001', 'CID3002', 'CID3003', 'CID3006', 'CID3007'].map((c) => site.codes.get(c)?.page)).toEqual(Array(5).fill(page));
  });
});
