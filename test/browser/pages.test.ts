import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { runAxe } from './support/axe';
import { runEqualAccess } from './support/equal-access';
import type { NuMessage } from './support/nu-checker';
import { describeNuMessage, isKnownCssCheckerGap, runNuChecker, saveFile } from './support/nu-checker';
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
  '/contact': 'contact',
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

    const equalAccess = await runEqualAccess(page);
    expect(equalAccess.rulesRun).toBeGreaterThan(100);
    expect({ violations: equalAccess.violations, unexplainedWarnings: equalAccess.warnings }).toEqual({
      violations: [],
      unexplainedWarnings: [],
    });

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

describe('the Nu HTML Checker', () => {
  const dir = path.join(RESULTS_DIR, 'nu');
  const files = new Map<string, string>();
  let messages: NuMessage[] = [];
  let stylesheet = '';

  // Java starts slowly: every page and the stylesheet are saved first, then checked in two runs.
  beforeAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [name, entry] of cases) {
      const html = await (await fetch(entry.url)).text();
      files.set(name, saveFile(dir, `pages/${files.size}.html`, html));
    }
    const home = await (await fetch(cases[0]![1].url)).text();
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(home)![1]!;
    stylesheet = saveFile(dir, 'site.css', await (await fetch(new URL(href, cases[0]![1].url))).text());
    messages = [...(await runNuChecker([...files.values()])), ...(await runNuChecker([stylesheet], { css: true }))];
  }, 120_000);

  const problemsIn = (file: string, type: 'error' | 'warning'): string[] =>
    messages
      .filter((m) => new URL(m.url).pathname === file)
      .filter((m) => (type === 'error' ? m.type !== 'info' : m.type === 'info' && m.subType === 'warning'))
      .filter((m) => !isKnownCssCheckerGap(m))
      .map((m) => describeNuMessage(m, dir));

  test.each(cases)('%s has no Nu HTML Checker errors, and only the warnings docs/accessibility.md explains', (name) => {
    const file = files.get(name)!;
    expect(problemsIn(file, 'error')).toEqual([]);
    expect(problemsIn(file, 'warning').filter((line) => !isExplainedNuWarning(line))).toEqual([]);
  });

  test('the stylesheet has no Nu CSS errors beyond modern CSS the checker does not know yet', () => {
    expect(messages.some((m) => new URL(m.url).pathname === stylesheet && isKnownCssCheckerGap(m))).toBe(true);
    expect(problemsIn(stylesheet, 'error')).toEqual([]);
    expect(problemsIn(stylesheet, 'warning')).toEqual([]);
    expect(fs.readFileSync(stylesheet, 'utf8')).not.toContain('\uFFFD');
  });
});

/** nhsuk-frontend's header, footer and navigation templates put these explicit roles on their landmarks. */
function isExplainedNuWarning(line: string): boolean {
  return /The “(banner|contentinfo|navigation)” role is unnecessary for element “(header|footer|nav)”/.test(line);
}

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

  test('the IBM Equal Access engine reports an unlabelled field and an invalid role', async () => {
    const page = await guarded.context.newPage();
    await page.setContent(
      '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1><input type="text"><span role="text">x</span></main></body></html>',
    );
    const outcome = await runEqualAccess(page);
    expect(outcome.violations.map((line) => line.split(':')[0])).toEqual(
      expect.arrayContaining(['input_label_exists', 'aria_role_allowed']),
    );
  });

  test('the Nu HTML Checker reports invalid HTML and CSS', async () => {
    const dir = path.join(RESULTS_DIR, 'nu-self-check');
    const html = saveFile(
      dir,
      'bad.html',
      '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><span role="text">x</span></body></html>',
    );
    const css = saveFile(dir, 'bad.css', '@media screen\uFFFD { p { colour: red } }');
    const found = [...(await runNuChecker([html])), ...(await runNuChecker([css], { css: true }))].filter((m) => m.type === 'error');
    expect(found.map((m) => m.message).join('\n')).toMatch(/Bad value “text” for attribute “role”/);
    expect(found.some((m) => m.url.endsWith('bad.css'))).toBe(true);
  }, 60_000);

  test('a page that scrolls sideways is caught', async () => {
    const page = await guarded.context.newPage();
    await page.setViewportSize({ width: REFLOW_WIDTH, height: 600 });
    await page.setContent('<!doctype html><html lang="en"><body><p style="width: 600px">wide</p></body></html>');
    expect(await horizontalOverflow(page)).toMatch(/^page is 6\d\dpx wide in a 320px viewport \(widest: p\)$/);
  });
});
