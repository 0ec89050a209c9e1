import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { runAxe } from './support/axe';
import { NOT_FOUND_PATH, pagesToAudit, sitePath } from './support/crawl';
import { validateHtml } from './support/html';
import { clearLog } from './support/network';
import { horizontalOverflow } from './support/page-state';
import type { GuardedContext } from './support/suite';
import { RESULTS_DIR, SCREENSHOT_DIR, WIDTHS, disconnectBrowser, openContext, siteCrawl } from './support/suite';

/** Every page of the site, checked for accessibility, validity and reflow at phone and desktop widths. */

const pages = pagesToAudit(siteCrawl());
const cases = pages.map((entry) => [sitePath(entry.url), entry] as const);

/** Pages photographed at both widths, so anyone can see what a patient sees. */
const SCREENSHOTS: Record<string, string> = {
  '/': 'home',
  '/manage': 'hub-manage',
  '/manage/mobile-phone': 'article-mobile-phone',
  '/search?q=password': 'search-password',
  [NOT_FOUND_PATH]: 'not-found',
  '/cid': 'reference-codes',
};

/** Narrowest width WCAG 1.4.10 (Reflow) asks for: 1280 px at 400% zoom. */
const REFLOW_WIDTH = 320;

/** Every axe rule that ran on some page, written out so the count can be reported. */
const rulesRun = new Set<string>();
afterAll(() => {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'axe-rules.json'),
    `${JSON.stringify({ count: rulesRun.size, rules: [...rulesRun].sort() }, null, 2)}\n`,
  );
});

test('the crawl found pages to check', () => {
  expect(pages.length).toBeGreaterThan(10);
});

describe.each(WIDTHS)('at $name width ($viewport.width×$viewport.height)', ({ viewport }) => {
  let guarded: GuardedContext;
  let page: Page;

  beforeAll(async () => {
    guarded = await openContext({ viewport });
    page = await guarded.context.newPage();
  });
  afterAll(async () => {
    await guarded.context.close();
  });

  test.each(cases)('%s is accessible, stays in the viewport and loads only from the site', async (name, entry) => {
    clearLog(guarded.network);
    await page.setViewportSize(viewport);
    const response = await page.goto(entry.url, { waitUntil: 'load' });
    expect(response?.status()).toBe(entry.url.endsWith(NOT_FOUND_PATH) ? 404 : 200);

    const axe = await runAxe(page);
    axe.rulesRun.forEach((rule) => rulesRun.add(rule));
    expect(axe.violations).toEqual([]);

    const screenshot = SCREENSHOTS[name];
    if (screenshot) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${screenshot}-${viewport.width}x${viewport.height}.png`), fullPage: true });
    }

    const overflow = [await horizontalOverflow(page)];
    if (viewport.width < 400) {
      await page.setViewportSize({ width: REFLOW_WIDTH, height: viewport.height });
      overflow.push(await horizontalOverflow(page).then((problem) => problem && `at ${REFLOW_WIDTH}px: ${problem}`));
    }
    expect(overflow.filter(Boolean)).toEqual([]);

    expect(guarded.network.offsite).toEqual([]);
    expect(guarded.network.failed).toEqual([]);
    expect(guarded.network.scriptProblems).toEqual([]);
  });
});

describe('served HTML', () => {
  test.each(cases)('%s has no html-validate errors', async (_name, entry) => {
    const response = await fetch(entry.url);
    expect(await validateHtml(await response.text(), sitePath(entry.url))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  let guarded: GuardedContext;
  beforeAll(async () => {
    guarded = await openContext();
  });
  afterAll(async () => {
    await guarded.context.close();
    await disconnectBrowser();
  });

  test('axe reports a missing alt text and a missing label', async () => {
    const page = await guarded.context.newPage();
    await page.setContent(
      '<!doctype html><html lang="en"><title>t</title><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></html>',
    );
    const axe = await runAxe(page);
    expect(axe.violations.map((line) => line.split(' ')[0])).toEqual(expect.arrayContaining(['image-alt', 'label']));
    expect(axe.rulesRun.length).toBeGreaterThan(50);
  });

  test('axe reports aria-expanded on a radio, which our script removes from nhsuk-frontend reveals', async () => {
    const page = await guarded.context.newPage();
    await page.setContent(
      '<!DOCTYPE html><html lang="en"><title>t</title><main><div id="conditional-x"></div><input type="radio" id="r" name="r" class="nhsuk-radios__input" aria-controls="conditional-x" aria-expanded="false"><label for="r">R</label></main></html>',
    );
    expect((await runAxe(page)).violations.map((line) => line.split(' ')[0])).toEqual(['aria-allowed-attr']);
  });

  test('html-validate reports markup errors we write', async () => {
    const problems = await validateHtml(
      '<!doctype html><html lang="en"><head><title>t</title></head><body><main role="main"><p id="a"></p><p id="a"></p></main></body></html>',
      'x.html',
    );
    expect(problems.join('\n')).toMatch(/no-dup-id/);
    expect(problems.join('\n')).toMatch(/no-redundant-role Redundant role "main"/);
  });

  test('html-validate waives redundant roles only on nhsuk-frontend responsive tables', async () => {
    const table = (classes: string): string =>
      `<table class="${classes}" role="table"><tbody class="nhsuk-table__body"><tr class="nhsuk-table__row" role="row"><td role="cell">x</td></tr></tbody></table>`;
    const page = (body: string): string =>
      `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>${body}</main></body></html>`;
    expect(await validateHtml(page(table('nhsuk-table nhsuk-table--responsive')), 'x.html')).toEqual([]);
    expect(await validateHtml(page(table('app-table')), 'x.html')).toHaveLength(3);
  });

  test('a page that scrolls sideways is caught', async () => {
    const page = await guarded.context.newPage();
    await page.setViewportSize({ width: REFLOW_WIDTH, height: 600 });
    await page.setContent('<!doctype html><html lang="en"><body><p style="width: 600px">wide</p></body></html>');
    expect(await horizontalOverflow(page)).toMatch(/^page is 6\d\dpx wide in a 320px viewport \(widest: p\)$/);
  });
});
