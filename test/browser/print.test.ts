import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { NOT_FOUND_PATH } from './support/crawl';
import { SEED_ARTICLE } from './support/page-state';
import type { GuardedContext } from './support/suite';
import { SCREENSHOT_DIR, disconnectBrowser, openContext, siteUrl } from './support/suite';

/**
 * Printed pages: people print a help page to follow its steps on another device. Print media
 * is emulated for the checks; each page type is also printed to PDF and, where Debian's
 * poppler-utils is installed, turned into PNGs to look at.
 */

const PRINTED: Record<string, string> = {
  '/': 'home',
  '/manage': 'hub-manage',
  [SEED_ARTICLE]: 'article-mobile-phone',
  '/cid': 'reference-codes',
  '/search?q=password': 'search-password',
  [NOT_FOUND_PATH]: 'not-found',
  '/contact': 'contact',
};

const PDFTOPPM = '/usr/bin/pdftoppm';

let guarded: GuardedContext;
let page: Page;

beforeAll(async () => {
  guarded = await openContext();
  page = await guarded.context.newPage();
});
afterAll(async () => {
  await guarded.context.close();
  await disconnectBrowser();
});
afterEach(() => {
  expect(guarded.network.offsite).toEqual([]);
  expect(guarded.network.scriptProblems).toEqual([]);
});

/** Whether the elements `selector` matches take up any room on the printed page. */
function shownCount(selector: string): Promise<number> {
  return page.evaluate(
    (css) =>
      [...document.querySelectorAll(css)].filter((el) => (el as HTMLElement).offsetWidth + (el as HTMLElement).offsetHeight > 0).length,
    selector,
  );
}

describe('printed, with print media emulated', () => {
  beforeEach(async () => {
    await page.emulateMedia({ media: 'print' });
  });
  afterAll(async () => {
    await page.emulateMedia({ media: null });
  });

  test('leaves out the header search, footer, breadcrumbs, contents list and share controls', async () => {
    await page.goto(siteUrl(SEED_ARTICLE));
    for (const selector of [
      '.nhsuk-header__search',
      '.nhsuk-footer',
      '.nhsuk-breadcrumb',
      '.app-contents-list',
      '.app-reference-link',
      '.app-copy-link',
    ]) {
      expect({ selector, shown: await shownCount(selector) }).toEqual({ selector, shown: 0 });
    }
    expect(await shownCount('main h1')).toBe(1);
  });

  test('shows the address of each link after it', async () => {
    await page.goto(siteUrl(SEED_ARTICLE));
    const after = await page.evaluate(() =>
      [...document.querySelectorAll('main article a[href^="/"], main article a[href^="http"]')].map((link) => ({
        href: (link as HTMLAnchorElement).href,
        after: getComputedStyle(link, '::after').content,
      })),
    );
    expect(after.length).toBeGreaterThan(0);
    for (const { href, after: content } of after) expect(content).toContain(new URL(href).pathname === '/' ? href : new URL(href).pathname);
  });

  test('prints every folded section open', async () => {
    // An article with "More information" sections folded in <details>.
    await page.goto(siteUrl('/manage/email-address'));
    expect(await page.locator('main details:not(.app-reference-link)').count()).toBeGreaterThan(0);
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const closed = await page.evaluate(
      () => [...document.querySelectorAll('main details')].filter((d) => !(d as HTMLDetailsElement).open).length,
    );
    expect(closed).toBe(0);
    const hiddenText = await page.evaluate(
      () =>
        [...document.querySelectorAll('main details:not(.app-reference-link) .nhsuk-details__text')].filter(
          (el) => (el as HTMLElement).offsetHeight === 0,
        ).length,
    );
    expect(hiddenText).toBe(0);
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    // Back on screen, they are folded as before.
    expect(
      await page.evaluate(() => [...document.querySelectorAll('main details')].filter((d) => (d as HTMLDetailsElement).open).length),
    ).toBe(0);
  });

  test('keeps no meaning in colour alone: callouts have a border and black text on white', async () => {
    await page.goto(siteUrl('/manage/password'));
    const callouts = await page.evaluate(() =>
      [...document.querySelectorAll('main .nhsuk-card--warning, main .nhsuk-inset-text')].map((el) => {
        const style = getComputedStyle(el);
        return { border: style.borderTopStyle !== 'none' && parseFloat(style.borderTopWidth) > 0, background: style.backgroundColor };
      }),
    );
    expect(callouts.length).toBeGreaterThan(0);
    for (const callout of callouts) expect(callout).toEqual({ border: true, background: 'rgba(0, 0, 0, 0)' });
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('main h1')!).color)).toBe('rgb(0, 0, 0)');
  });
});

test.each(Object.entries(PRINTED))('%s prints to PDF', async (sitePath, name) => {
  await page.emulateMedia({ media: 'print' });
  await page.goto(siteUrl(sitePath));
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const pdf = path.join(SCREENSHOT_DIR, `${name}-print.pdf`);
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  expect(fs.statSync(pdf).size).toBeGreaterThan(1000);
  if (fs.existsSync(PDFTOPPM)) {
    execFileSync(PDFTOPPM, ['-png', '-r', '60', pdf, path.join(SCREENSHOT_DIR, `${name}-print`)]);
    expect(fs.readdirSync(SCREENSHOT_DIR).some((file) => file.startsWith(`${name}-print`) && file.endsWith('.png'))).toBe(true);
  }
});
