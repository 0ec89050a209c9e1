import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { validateHtml } from './support/html';
import type { RunningServer } from './support/server';
import { PROJECT_ROOT, startServer } from './support/server';
import { DESKTOP, disconnectBrowser, sharedBrowser } from './support/suite';

/**
 * Links shared before content moved, followed in Chromium against the built server running the
 * moved-content fixture: a renamed page (redirect_from), a reworded heading (section_aliases), a
 * heading with an explicit id, a code that moved and a retired code. A fragment never reaches the
 * server, so the old id must work in the page itself, with JavaScript and without it.
 */

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ CONTENT_DIR: path.join(PROJECT_ROOT, 'test', 'fixtures', 'moved') });
});
afterAll(async () => {
  await server.stop();
  await disconnectBrowser();
});

interface Landing {
  path: string;
  hash: string;
  /** The heading that holds the element the fragment names. */
  heading: string | undefined;
  headingTop: number | undefined;
  /** The heading's background: the :target highlight, also for an alias inside it. */
  highlighted: string | undefined;
  scrollY: number;
}

async function land(page: Page, link: string): Promise<Landing> {
  await page.goto(`${server.baseUrl}${link}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.scrollY > 0 || !location.hash, undefined, { timeout: 5_000 }).catch(() => undefined);
  return page.evaluate(() => {
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    const heading = target?.closest('h2, h3') ?? undefined;
    return {
      path: location.pathname,
      hash: location.hash,
      heading: heading?.textContent?.trim(),
      headingTop: heading ? Math.round(heading.getBoundingClientRect().top) : undefined,
      highlighted: heading ? getComputedStyle(heading).backgroundColor : undefined,
      scrollY: Math.round(window.scrollY),
    };
  });
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('old links %s', (_name, javaScriptEnabled) => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await (await sharedBrowser()).newContext({ viewport: DESKTOP, javaScriptEnabled });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context.close();
  });

  const expectOnHeading = (landing: Landing, heading: string): void => {
    expect(landing.heading).toBe(heading);
    expect(landing.scrollY).toBeGreaterThan(300);
    expect(landing.headingTop).toBeGreaterThanOrEqual(-1);
    expect(landing.headingTop).toBeLessThan(100);
    expect(landing.highlighted).toBe('rgb(255, 249, 196)');
  };

  test('a renamed page with a reworded heading lands on the heading by its old id', async () => {
    const landing = await land(page, '/guides/phone-problems#expired-link-reference-cid1002');
    expect(landing.path).toBe('/guides/mobile-phone');
    expect(landing.hash).toBe('#expired-link-reference-cid1002');
    expectOnHeading(landing, 'The link has expired – Reference CID1002');
  });

  test('a heading with an explicit id keeps its link', async () => {
    expectOnHeading(await land(page, '/guides/phone-problems#lost-phone'), 'Your phone number changed');
  });

  test('a code follows its section to where it moved', async () => {
    const landing = await land(page, '/cid/CID1002');
    expect(landing.hash).toBe('#the-link-has-expired-reference-cid1002');
    expectOnHeading(landing, 'The link has expired – Reference CID1002');
    const moved = await land(page, '/cid/1003');
    expect(moved.path).toBe('/guides/security-codes');
    expect(moved.heading).toBe('Security code not accepted – Reference CID1003');
  });

  test('a retired code explains that it is no longer used and where to get help', async () => {
    const response = await page.goto(`${server.baseUrl}/cid/cid1234`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Reference CID1234 is no longer used');
    await page.getByRole('link', { name: 'Mobile phone problems' }).click();
    await page.waitForURL(/\/guides\/mobile-phone#lost-phone$/);
    expect((await land(page, '/guides/mobile-phone#lost-phone')).heading).toBe('Your phone number changed');
  });
});

test('the page with aliases is valid HTML, with every id once and every image sized', async () => {
  const html = await (await fetch(`${server.baseUrl}/guides/mobile-phone`)).text();
  expect(await validateHtml(html, '/guides/mobile-phone (moved fixture)')).toEqual([]);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  expect(ids).toContain('expired-link-reference-cid1002');
  const context = await (await sharedBrowser()).newContext({ viewport: DESKTOP });
  try {
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/guides/mobile-phone`, { waitUntil: 'load' });
    const images = await page
      .locator('img[src^="/static/images/"]')
      .evaluateAll((imgs) =>
        (imgs as HTMLImageElement[]).map((img) => ({ loaded: img.complete && img.naturalWidth > 0, width: img.getAttribute('width') })),
      );
    expect(images).toEqual([
      { loaded: true, width: '192' },
      { loaded: true, width: '600' },
    ]);
  } finally {
    await context.close();
  }
});
