import path from 'node:path';
import { loadConfig } from '../../src/config';
import { checkContent } from '../../src/content/check';
import { formatProblem } from '../../src/content/errors';
import { readDataFile } from '../../src/content/files';
import { LEDGER_FILE, mergeLedger, unresolved } from '../../src/content/ledger';
import { loadSite } from '../../src/render/rendered-site';
import { createViews } from '../../src/render/views';
import { siteContent } from '../helpers/app';

const config = loadConfig({});
const views = createViews(config.viewsDir);
const load = (dir: string) => loadSite(dir, config.viewsDir, views, { prose: true });

describe('content checks on a broken fixture', () => {
  const problems = checkContent(load(path.join(__dirname, '..', 'fixtures', 'check'))).map(formatProblem);
  const expectProblem = (pattern: RegExp): void => {
    expect(problems.filter((p) => pattern.test(p))).toHaveLength(1);
  };

  it('reports every problem at once', () => expect(problems).toHaveLength(5));
  it('reports a long subtitle', () => expectProblem(/check\/bad\.md:4: "subtitle" is 1[6-9]\d characters; keep it to 160 or fewer/));
  it('reports an article without a ## heading', () => expectProblem(/check\/bad\.md:1: has no ## heading/));
  it('reports a code named outside the section that owns it', () =>
    expectProblem(/check\/bad\.md:15: CID1002 is explained in .*check\/good\.md:9 \("Expired link – Reference CID1002"\)/));
  it('reports positions used twice in a hub', () => expectProblem(/check\/(bad|good)\.md:6: position 2 in hub "home" is also used by/));
  it('reports an empty hub', () => expectProblem(/check\/empty\/index\.md:1: hub "empty" is empty/));
});

describe('the ledger of published links', () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'broken', 'ledger');
  const site = load(dir);
  const ledger = readDataFile(dir, LEDGER_FILE)!;

  it('names the ledger line of every entry that no longer resolves, with the usual fix', () => {
    const file = 'broken/ledger/_data/published.txt';
    expect(checkContent(site, ledger).map(formatProblem)).toEqual([
      expect.stringMatching(
        new RegExp(`${file}:8: /pages was published, but is no longer a page: add it to "redirect_from" .*\\(perhaps /page\\)`),
      ),
      expect.stringMatching(
        new RegExp(
          `${file}:9: /page#kept-idd was published, but /page has no heading "kept-idd" now: give the heading that replaced it \\{#kept-idd\\}, or add "kept-idd: <its id>" to "section_aliases"`,
        ),
      ),
      expect.stringMatching(new RegExp(`${file}:11: CID1003 was published, but no section explains it now: .*retired-codes\\.yml`)),
      expect.stringMatching(new RegExp(`${file}:12: "not an entry" is not a ledger entry`)),
    ]);
  });

  it('lets pages, redirects, explicit ids and aliases resolve', () => {
    for (const entry of ['/', '/old-page', '/old-page#old-heading', '/page#kept-id', '/page#old-heading', 'CID1002'])
      expect(unresolved(site, entry)).toBeUndefined();
  });

  it('adds what the site serves now and never removes an entry', () => {
    const { text, added } = mergeLedger('# head\n/gone\nCID9999\n', site);
    expect(added).toEqual(['/', '/page', '/page#kept-id', '/page#new-heading', 'CID1002']);
    expect(text).toBe('# head\n/\n/gone\n/page\n/page#kept-id\n/page#new-heading\nCID1002\nCID9999\n');
    expect(mergeLedger(text, site).added).toEqual([]);
  });
});

describe('the help centre content', () => {
  const site = load(siteContent);

  it('passes every content check, and every entry of its ledger still resolves', () => {
    const ledger = readDataFile(siteContent, LEDGER_FILE);
    expect(ledger).toBeDefined();
    expect(checkContent(site, ledger).map(formatProblem)).toEqual([]);
  });

  it('has every page, section and code it serves in its ledger (run npm run ledger)', () => {
    expect(mergeLedger(readDataFile(siteContent, LEDGER_FILE)!.text, site).added).toEqual([]);
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
