import type { Page } from 'playwright-core';
import type { Outbox } from '../../src/contact/outbox';
import { openSqliteOutbox } from '../../src/contact/sqlite-outbox';
import { removeTempDir, tempDir } from '../contact/helpers/contact-app';
import { expectAccessible } from './support/axe';
import { validateHtml } from './support/html';
import type { NetworkLog } from './support/network';
import type { RunningServer } from './support/server';
import { startServer } from './support/server';
import type { GuardedPage } from './support/suite';
import { closeGuardedPage, disconnectBrowser, openGuardedPage } from './support/suite';

/**
 * The contact form in a real browser, with JavaScript and without: the same rules, the same
 * messages, no accessibility problems axe can find, and a message in the outbox at the end.
 * It runs its own server on a temporary outbox, so nothing is written to the project's data.
 */

let dataDir: string;
let server: RunningServer;

beforeAll(async () => {
  dataDir = tempDir('contact-browser-');
  server = await startServer({ DATA_DIR: dataDir, CONTACT_SECRET: 'browser test' });
});

afterAll(async () => {
  await disconnectBrowser();
  await server?.stop();
  removeTempDir(dataDir);
});

async function outboxMessages(): Promise<Awaited<ReturnType<Outbox['list']>>> {
  const outbox = openSqliteOutbox(dataDir);
  try {
    return await outbox.list();
  } finally {
    await outbox.close();
  }
}

describe.each([
  { mode: 'with JavaScript', scripts: true },
  { mode: 'without JavaScript', scripts: false },
])('the contact form $mode', ({ scripts }) => {
  let page: Page;
  let network: NetworkLog;
  let guarded: GuardedPage;

  beforeEach(async () => {
    guarded = await openGuardedPage(server.baseUrl, { scripts });
    ({ page, network } = guarded);
  });

  afterEach(() => closeGuardedPage(guarded));

  test('shows every problem in the error summary, links to each field, and then sends the message', async () => {
    const response = await page.goto(`${server.baseUrl}/contact?error=CID3006`);
    expect(response?.status()).toBe(200);
    expect(await validateHtml(await response!.text(), '/contact')).toEqual([]);
    await expect(page.locator('#reference').textContent()).resolves.toContain('Reference: CID3006 – Expired link – Reference CID3006');
    expect(await page.evaluate(() => document.body.classList.contains('nhsuk-frontend-supported'))).toBe(scripts);

    // With scripts, "Other" hides its list until chosen; without, the list is always there.
    const list = page.locator('#other-service');
    expect(await list.isVisible()).toBe(!scripts);
    await expectAccessible(page, 'empty form');

    await page.fill('#email', 'not an email');
    await page.check('input[name="service"][value="other"]');
    expect(await list.isVisible()).toBe(true);
    // nhsuk-frontend sets aria-expanded on the radio, which ARIA does not allow there; our script takes it off.
    expect(await page.locator('input[aria-expanded]').count()).toBe(0);
    await page.fill('#description', 'x'.repeat(1501));
    if (scripts) {
      await expect(page.locator('.nhsuk-character-count__status').first().textContent()).resolves.toMatch(/You have 1 character too many/);
    }
    await page.click('main form button');
    await page.waitForURL(`${server.baseUrl}/contact`);

    expect(await page.title()).toBe('Error: Contact NHS login support - NHS login help centre');
    const links = await page
      .locator('.nhsuk-error-summary__list a')
      .evaluateAll((anchors) => anchors.map((a) => [a.getAttribute('href'), a.textContent?.trim()]));
    expect(links).toEqual([
      ['#full-name', 'Enter your full name'],
      ['#email', 'Enter an email address in the correct format, like name@example.com'],
      ['#other-service', 'Select the website or app you were using from the list'],
      ['#problem', 'Select what the problem is'],
      ['#description', 'Description must be 1,500 characters or fewer'],
    ]);
    if (scripts) expect(await page.evaluate(() => document.activeElement?.classList.contains('nhsuk-error-summary'))).toBe(true);
    expect(await page.inputValue('#email')).toBe('not an email');
    expect(await list.isVisible()).toBe(true);
    await expect(page.locator('#reference').textContent()).resolves.toContain('CID3006');
    await expectAccessible(page, 'form with errors');

    // A summary link takes the reader to its field: nhsuk-frontend's script focuses it; without it, the link jumps there.
    await page.click('.nhsuk-error-summary__list a[href="#problem"]');
    if (scripts) await page.waitForFunction(() => document.activeElement?.id === 'problem');
    else await page.waitForFunction(() => window.location.hash === '#problem');
    expect(await page.locator('#problem').isVisible()).toBe(true);

    await page.fill('#full-name', `Sam ${scripts ? 'Script' : 'Plain'}`);
    await page.fill('#email', 'sam@example.com');
    await page.selectOption('#other-service', 'airmid');
    await page.check('input[name="problem"][value="proving-identity"]');
    await page.fill('#description', 'I cannot finish proving who I am.');
    await page.click('main form button');
    await page.waitForURL(/\/contact\/sent\?ref=HC-/);
    const reference = /ref=(HC-[0-9A-Z-]+)/.exec(page.url())![1]!;
    await expect(page.locator('.nhsuk-panel').textContent()).resolves.toContain(reference);
    await expectAccessible(page, 'confirmation');

    const stored = (await outboxMessages()).find((m) => m.reference === reference);
    expect(stored).toMatchObject({
      status: 'queued',
      payload: {
        fullName: `Sam ${scripts ? 'Script' : 'Plain'}`,
        service: { id: 'airmid' },
        problem: { value: 'proving-identity' },
        referenceCode: { code: 'CID3006' },
      },
    });
    expect(network.failed).toEqual([]);
  });
});
