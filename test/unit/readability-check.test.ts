import path from 'node:path';
import { loadConfig } from '../../src/config';
import { checkContent, readabilityOf } from '../../src/content/check';
import { formatProblem } from '../../src/content/errors';
import { loadSite } from '../../src/render/rendered-site';
import { createViews } from '../../src/render/views';
import { siteContent } from '../helpers/app';

const config = loadConfig({});
const views = createViews(config.viewsDir);
const load = (dir: string) => loadSite(dir, config.viewsDir, views, { prose: true });

describe('reading age in the content check', () => {
  const site = load(path.join(__dirname, '..', 'fixtures', 'readability'));
  const problems = checkContent(site).map(formatProblem);
  const report = readabilityOf(site);

  it('fails an article above reading age 9, naming the file', () => {
    expect(problems).toEqual([
      expect.stringMatching(/readability\/hard\.md:1: reading age is \d+\.\d \(Flesch-Kincaid grade \d+\.\d \+ 5\); keep it to 9 or below/),
    ]);
  });

  it('reports the seed article without failing it', () => {
    const seed = report.find((a) => a.url === '/manage/mobile-phone')!;
    expect(seed.reportedOnly).toBe(true);
    expect(seed.readingAge).toBeGreaterThan(9);
  });

  it('measures body text only, not headings or code', () => {
    const hard = report.find((a) => a.url === '/hard')!;
    expect(hard.sentences).toBe(2);
    expect(hard.words).toBe(25);
  });

  it('lists sentences over 20 words with file and line', () => {
    expect(report.find((a) => a.url === '/hard')!.longSentences.map(formatProblem)).toEqual([
      expect.stringMatching(/readability\/hard\.md:11: sentence of 23 words; keep to 20 or fewer: "Authentication/),
    ]);
  });
});

describe('the help centre content, as patients see it', () => {
  const site = load(siteContent);

  it('keeps every article but the seed at reading age 9 or below', () => {
    const over = readabilityOf(site).filter((a) => !a.reportedOnly && a.readingAge > 9);
    expect(over.map((a) => `${a.file}: ${a.readingAge}`)).toEqual([]);
  });

  it('gives every code section a contact link carrying its code on the rendered page', () => {
    const missing = [...site.codes.values()].filter((owner) => {
      const html = site.htmlOf(owner.page);
      const after = html.slice(html.indexOf(`id="${owner.section.id}"`) + 1);
      const next = after.search(/<h[23] id=/);
      return !(next < 0 ? after : after.slice(0, next)).includes(`href="/contact?error=${owner.code}"`);
    });
    expect(missing.map((o) => o.code)).toEqual([]);
  });

  it('explains CID4011 in the face scan and video article', () => {
    expect(site.codes.get('CID4011')?.page.url).toBe('/prove-who-you-are/face-scan-and-video');
  });

  it('serves the accessibility statement and the privacy page', () => {
    expect(site.byUrl.get('/accessibility')?.title).toBe('Accessibility statement');
    expect(site.byUrl.get('/privacy')?.title).toBe('Privacy');
  });
});
