import { checkLink } from '../../src/content/links';
import type { LinkPage, LinkTargets } from '../../src/content/links';

const page = (url: string, ids: string[], aliases: [string, string][] = []): LinkPage => ({
  url,
  headings: ids.map((id, i) => ({ id, text: id, level: 2, line: i + 1 })),
  sectionAliases: new Map(aliases),
});
const guide = page('/guides/mobile-phone', ['security-code', 'cid_3006'], [['old-code', 'security-code']]);
const home = page('/', ['top-tasks']);
const targets: LinkTargets = {
  byUrl: new Map([
    ['/', home],
    [guide.url, guide],
  ]),
  redirects: new Map([['/old/mobile', guide]]),
  hasCode: (code) => code === 'CID3006',
};

describe('checking a link', () => {
  it.each([
    ['/guides/mobile-phone', undefined],
    ['/guides/mobile-phone#security-code', undefined],
    ['/guides/mobile-phone#cid_3006', undefined],
    ['/guides/mobile-phone#old-code', undefined],
    ['/guides/mobile-phone#top', undefined],
    ['/guides/mobile-phone#', undefined],
    ['/guides/./mobile-phone#security-code', undefined],
    ['/guides/mobile-phone?from=app#security-code', undefined],
    ['/guides/mobile-phone#security%2Dcode', undefined],
    ['/old/mobile#security-code', undefined],
    ['/', undefined],
    ['/#top-tasks', undefined],
    ['/cid/CID3006', undefined],
    ['/cid/cid3006', undefined],
    ['/contact', undefined],
    ['/contact?error=CID3006', undefined],
    ['/search', undefined],
    ['#security-code', undefined],
    ['https://www.nhs.uk/x', undefined],
    [
      '/guides/mobile-phon',
      'link "/guides/mobile-phon" goes to /guides/mobile-phon, which is not a page (did you mean /guides/mobile-phone?)',
    ],
    [
      '/guides/mobile-phone/',
      'link "/guides/mobile-phone/" goes to /guides/mobile-phone/, which is not a page (did you mean /guides/mobile-phone?)',
    ],
    [
      '/guides/mobile-phone#security',
      'link "/guides/mobile-phone#security" goes to #security, which is not a heading on /guides/mobile-phone (did you mean #security-code?)',
    ],
    [
      '/guides/../guides/mobile-phone#security',
      'link "/guides/../guides/mobile-phone#security" goes to #security, which is not a heading on /guides/mobile-phone (did you mean #security-code?)',
    ],
    ['/cid/CID9999', 'link "/cid/CID9999" names a reference code no section explains'],
    ['/contact?error=CID9999', 'contact link "/contact?error=CID9999" names CID9999, which no section explains'],
    ['/guides/mobile-phone#%E0%A4%A', 'link "/guides/mobile-phone#%E0%A4%A" has a malformed #fragment'],
  ])('%j: %s', (href, problem) => {
    expect(checkLink(targets, href, guide)).toBe(problem);
  });
});
