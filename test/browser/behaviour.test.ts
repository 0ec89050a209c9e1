import type { Page } from 'playwright-core';
import { runAxe } from './support/axe';
import { NOT_FOUND_PATH } from './support/crawl';
import {
  SEED_ARTICLE,
  SEED_CODE,
  SEED_HEADING,
  TOP_OF_VIEWPORT,
  horizontalOverflow,
  settleOnTarget,
  targetState,
} from './support/page-state';
import { serveWithoutScripts } from './support/network';
import type { GuardedContext } from './support/suite';
import { DESKTOP, PHONE, WIDTHS, disconnectBrowser, openContext, siteUrl } from './support/suite';

/** The NHS App's address in content/_data/services.yml, where "Go back to NHS App" leads. */
const NHS_APP_URL = 'https://www.nhsapp.service.nhs.uk/login';

/**
 * What a patient does on the site, with JavaScript on and with it off. Everything works both
 * ways except two enhancements that need a script: the contents list marking the section being
 * read, and the "Copy link" button (which must then not be shown at all).
 */

afterAll(async () => {
  await disconnectBrowser();
});

function expectNoStrayRequests(guarded: GuardedContext): void {
  expect(guarded.network.offsite).toEqual([]);
  expect(guarded.network.failed).toEqual([]);
  expect(guarded.network.scriptProblems).toEqual([]);
}

/** The h2/h3 whose text is `text`. */
function headingNamed(page: Page, text: string) {
  return page.locator('main h2, main h3').filter({ hasText: text });
}

describe.each([
  { mode: 'with JavaScript', javaScriptEnabled: true },
  { mode: 'without JavaScript', javaScriptEnabled: false },
])('$mode', ({ javaScriptEnabled }) => {
  let guarded: GuardedContext;
  let page: Page;

  beforeEach(async () => {
    guarded = await openContext({ javaScriptEnabled });
    page = await guarded.context.newPage();
  });
  afterEach(async () => {
    expectNoStrayRequests(guarded);
    await guarded.context.close();
  });

  test('the skip link is the first Tab stop and moves focus to the main content', async () => {
    await page.goto(siteUrl(SEED_ARTICLE));
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const box = el.getBoundingClientRect();
      return { text: el.textContent?.trim(), href: el.getAttribute('href'), visible: box.width > 0 && box.height > 0 && box.top >= 0 };
    });
    expect(first).toEqual({ text: 'Skip to main content', href: '#maincontent', visible: true });

    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.location.hash === '#maincontent');
    if (javaScriptEnabled) {
      // nhsuk-frontend's skip link script focuses <main> itself.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('maincontent');
    }
    // Either way, the next Tab stop is inside the main content, past the header and breadcrumbs.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.getElementById('maincontent')?.contains(document.activeElement))).toBe(true);
  });

  test.each(WIDTHS)(`following /cid/${SEED_CODE} at $name width lands on its heading, at the top and highlighted`, async ({ viewport }) => {
    await page.setViewportSize(viewport);
    const response = await page.goto(siteUrl(`/cid/${SEED_CODE}`));
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(SEED_ARTICLE);
    await settleOnTarget(page);
    const target = await targetState(page);
    expect(target).toMatchObject({ text: SEED_HEADING });
    expect(['h2', 'h3']).toContain(target!.tag);
    expect(target!.top).toBeGreaterThanOrEqual(0);
    expect(target!.top).toBeLessThanOrEqual(TOP_OF_VIEWPORT);
    expect(target!.background).not.toBe('rgba(0, 0, 0, 0)');
    expect(target!.background).not.toBe(target!.pageBackground);
  });

  test.each(WIDTHS)('the header search at $name width submits and shows results that lead to their section', async ({ viewport }) => {
    await page.setViewportSize(viewport);
    await page.goto(siteUrl('/manage'));
    const box = page.locator('header').getByRole('searchbox');
    await box.fill('password');
    await box.press('Enter');
    await page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === 'password');

    expect(await page.title()).toMatch(/\b[1-9]\d* results?\b/);
    const results = page.locator('main li h2 a[href*="#"]');
    expect(await results.count()).toBeGreaterThan(0);
    expect(await page.locator('main mark').first().textContent()).toMatch(/^password$/i);

    const first = results.first();
    const heading = (await first.textContent())!.trim();
    await first.click();
    await page.waitForURL((url) => url.pathname !== '/search');
    await settleOnTarget(page);
    expect(await targetState(page)).toMatchObject({ text: heading });
  });

  test('the contents list takes you to each section', async () => {
    await page.goto(siteUrl(SEED_ARTICLE));
    const links = page.getByRole('navigation', { name: 'On this page' }).getByRole('link');
    const count = await links.count();
    expect(count).toBeGreaterThan(1);
    const last = links.nth(count - 1);
    const text = (await last.textContent())!.trim();
    await last.click();
    await settleOnTarget(page);
    const target = await targetState(page);
    expect(target).toMatchObject({ text });
    expect(target!.top).toBeLessThanOrEqual(TOP_OF_VIEWPORT);
  });

  test(`the ${SEED_CODE} section offers its shareable link quietly, as a real link a keyboard can reach`, async () => {
    await page.goto(siteUrl(SEED_ARTICLE));
    const shareUrl = siteUrl(`/cid/${SEED_CODE}`);
    // Directly under the heading: a small folded control, with the link inside.
    const control = headingNamed(page, SEED_HEADING).locator('xpath=following-sibling::*[1]');
    const summary = control.locator('summary');
    expect((await summary.textContent())?.replace(/\s+/g, ' ').trim()).toBe(`Share link to this section (${SEED_CODE})`);
    const link = control.getByRole('link', { name: shareUrl });
    expect(await link.isVisible()).toBe(false);
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await link.isVisible()).toBe(true);
    expect(await link.getAttribute('href')).toBe(shareUrl);
  });

  test(`/cid/${SEED_CODE}?from=nhs-app lands on the section with "Go back to NHS App"`, async () => {
    await page.goto(siteUrl(`/cid/${SEED_CODE}?from=nhs-app`));
    const url = new URL(page.url());
    expect(`${url.pathname}${url.search}`).toBe(`${SEED_ARTICLE}?from=nhs-app`);
    expect(url.hash).not.toBe('');
    const back = page.getByRole('navigation', { name: 'Return to NHS App' }).getByRole('link', { name: 'Go back to NHS App' });
    expect(await back.getAttribute('href')).toBe(NHS_APP_URL);
    expect(await back.isVisible()).toBe(true);
    // The way back is the first thing after the header, before the breadcrumbs.
    await page.goto(siteUrl('/manage?from=nhs-app'));
    expect(await page.locator('.app-return-link + .nhsuk-breadcrumb, .app-return-link ~ nav.nhsuk-breadcrumb').count()).toBe(1);
  });

  test('an unknown ?from= goes to the page as it always is', async () => {
    await page.goto(siteUrl('/manage?from=no-such-service'));
    expect(new URL(page.url()).search).toBe('');
    expect(await page.getByText(/^Go back to/).count()).toBe(0);
  });

  test('the foot of an article suggests up to 3 related answers, which open', async () => {
    await page.goto(siteUrl(SEED_ARTICLE));
    const related = page.getByRole('navigation', { name: 'Related answers' });
    const links = related.getByRole('link');
    const count = await links.count();
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(3);
    // After the article and before "Back to top".
    expect(await page.locator('article.app-article ~ .app-related ~ .app-back-to-top').count()).toBe(1);
    const href = (await links.first().getAttribute('href'))!;
    expect(href).not.toBe(SEED_ARTICLE);
    await links.first().click();
    await page.waitForURL((url) => url.pathname === href);
    expect(await page.locator('h1').count()).toBe(1);
  });

  test('an article reflows at 200% zoom and at 320px wide without scrolling sideways', async () => {
    // 200% zoom of a 1280px window: 640 CSS pixels at twice the density.
    const zoomed = await openContext({ javaScriptEnabled, viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    try {
      const zoomedPage = await zoomed.context.newPage();
      await zoomedPage.goto(siteUrl(SEED_ARTICLE));
      expect(await horizontalOverflow(zoomedPage)).toBeUndefined();
      expectNoStrayRequests(zoomed);
    } finally {
      await zoomed.context.close();
    }
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(siteUrl(SEED_ARTICLE));
    expect(await horizontalOverflow(page)).toBeUndefined();
  });
});

describe('with JavaScript', () => {
  let guarded: GuardedContext;
  let page: Page;

  beforeEach(async () => {
    guarded = await openContext();
    page = await guarded.context.newPage();
  });
  afterEach(async () => {
    expectNoStrayRequests(guarded);
    await guarded.context.close();
  });

  test('the contents list marks the section being read as you scroll', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(siteUrl(SEED_ARTICLE));
    const hrefs = await page
      .getByRole('navigation', { name: 'On this page' })
      .getByRole('link')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
    expect(hrefs.length).toBeGreaterThan(2);

    const current = (): Promise<string[]> =>
      page.evaluate(() =>
        [...document.querySelectorAll('.nhsuk-contents-list a[aria-current]:not([aria-current="false"])')].map((link) =>
          link.getAttribute('href')!,
        ),
      );
    const scrollTo = async (href: string): Promise<void> => {
      await page.evaluate((id) => document.getElementById(id)!.scrollIntoView({ block: 'start' }), decodeURIComponent(href.slice(1)));
      await page
        .waitForFunction((wanted) => document.querySelector(`.nhsuk-contents-list a[href="${wanted}"][aria-current]`) !== null, href, {
          timeout: 5_000,
        })
        .catch(() => undefined);
    };

    // At the top of the page, the first section is the one being read.
    expect(await current()).toEqual([hrefs[0]]);
    // Scroll down to each later section in turn (the last may be too short to reach the top).
    for (const href of hrefs.slice(1, -1)) {
      await scrollTo(href);
      expect({ scrolledTo: href, marked: await current() }).toEqual({ scrolledTo: href, marked: [href] });
    }
    // And back up.
    await scrollTo(hrefs[0]!);
    expect(await current()).toEqual([hrefs[0]]);
  });

  test(`"Copy link" puts the /cid/${SEED_CODE} link on the clipboard and says so to screen readers`, async () => {
    await guarded.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: siteUrl() });
    await page.goto(siteUrl(SEED_ARTICLE));
    const line = headingNamed(page, SEED_HEADING).locator('xpath=following-sibling::*[1]');
    await line.locator('summary').click();
    const button = line.getByRole('button', { name: 'Copy link' });
    expect(await button.isVisible()).toBe(true);

    await page.evaluate(() => navigator.clipboard.writeText('nothing copied yet'));
    await button.click();
    await page
      .waitForFunction(async () => (await navigator.clipboard.readText()) !== 'nothing copied yet', null, { timeout: 5_000 })
      .catch(() => undefined);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(siteUrl(`/cid/${SEED_CODE}`));

    const announcements = line.locator('[aria-live="polite"], [aria-live="assertive"], [role="status"], [role="alert"]');
    await page
      .waitForFunction((el) => el?.textContent?.includes('Link copied'), await announcements.first().elementHandle(), { timeout: 5_000 })
      .catch(() => undefined);
    expect(await announcements.allTextContents()).toContainEqual(expect.stringContaining('Link copied'));
  });
});

describe('without JavaScript', () => {
  let guarded: GuardedContext;
  let page: Page;

  beforeAll(async () => {
    guarded = await openContext({ javaScriptEnabled: false, viewport: PHONE });
    page = await guarded.context.newPage();
  });
  afterAll(async () => {
    expectNoStrayRequests(guarded);
    await guarded.context.close();
  });

  test('no "Copy link" button is shown, but the link itself is', async () => {
    await page.goto(siteUrl(SEED_ARTICLE));
    expect(await page.locator('.app-reference-link').count()).toBeGreaterThan(0);
    const buttons = page.locator('button', { hasText: 'Copy link' });
    for (const button of await buttons.all()) expect(await button.isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Copy link' }).count()).toBe(0);
    const shareUrl = siteUrl(`/cid/${SEED_CODE}`);
    await page
      .locator('details.app-reference-link', { has: page.locator(`a[href="${shareUrl}"]`) })
      .locator('summary')
      .click();
    expect(await page.getByRole('link', { name: shareUrl }).isVisible()).toBe(true);
  });

  test('every section that owns a reference code offers its /cid link under its heading', async () => {
    const response = await fetch(siteUrl('/cid.json'));
    expect(response.status).toBe(200);
    const codes = (await response.json()) as { code: string; url: string }[];
    expect(codes.length).toBeGreaterThan(0);
    const byPage = new Map<string, { code: string; id: string }[]>();
    for (const { code, url } of codes) {
      const parsed = new URL(url, siteUrl());
      const pageUrl = `${parsed.origin}${parsed.pathname}`;
      byPage.set(pageUrl, [...(byPage.get(pageUrl) ?? []), { code, id: decodeURIComponent(parsed.hash.slice(1)) }]);
    }
    const problems: string[] = [];
    for (const [pageUrl, sections] of byPage) {
      await page.goto(pageUrl);
      const found = await page.evaluate(
        (wanted) =>
          wanted.map(({ id }) => {
            const heading = document.getElementById(id);
            const line = heading?.nextElementSibling;
            const links = [...(line?.querySelectorAll('a[href]') ?? [])].map((a) => ({
              href: a.getAttribute('href'),
              text: a.textContent?.trim(),
            }));
            return { heading: heading?.tagName.toLowerCase(), line: line?.textContent?.replace(/\s+/g, ' ').trim() ?? '', links };
          }),
        sections,
      );
      sections.forEach(({ code, id }, index) => {
        const share = siteUrl(`/cid/${code}`);
        const { heading, line, links } = found[index]!;
        if (!heading || !['h2', 'h3'].includes(heading)) problems.push(`${code}: no heading #${id} on ${pageUrl}`);
        else if (!line.includes('Share link to this section') || !links.some((link) => link.href === share && link.text === share)) {
          problems.push(`${code}: no "Share link to this section" with ${share} under #${id} on ${pageUrl}`);
        }
      });
    }
    expect(problems).toEqual([]);
  });
});

describe('without JavaScript, as axe sees it', () => {
  // axe needs scripting to run, so these pages are served with their scripts removed instead.
  let guarded: GuardedContext;
  let page: Page;

  beforeAll(async () => {
    guarded = await openContext({ viewport: PHONE });
    await serveWithoutScripts(guarded.context, siteUrl());
    page = await guarded.context.newPage();
  });
  afterAll(async () => {
    expectNoStrayRequests(guarded);
    await guarded.context.close();
  });

  test.each(['/', SEED_ARTICLE, '/search?q=password', '/cid', NOT_FOUND_PATH])('%s has no axe violations', async (path) => {
    await page.goto(siteUrl(path));
    expect(await page.evaluate(() => document.scripts.length + (document.body.classList.contains('js-enabled') ? 1 : 0))).toBe(0);
    expect((await runAxe(page)).violations).toEqual([]);
  });
});
