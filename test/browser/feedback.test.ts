import type { Page } from 'playwright-core';
import { openSqliteInsightStore } from '../../src/insights/sqlite-store';
import type { VoteTotal } from '../../src/insights/store';
import { removeTempDir, tempDir } from '../insights/insights-helpers';
import { expectAccessible } from './support/axe';
import { validateHtml } from './support/html';
import type { RunningServer } from './support/server';
import { startServer } from './support/server';
import type { GuardedPage } from './support/suite';
import { closeGuardedPage, disconnectBrowser, openGuardedPage } from './support/suite';

/**
 * "Was this page helpful?" in a real browser, with JavaScript and without. The page is opened
 * from a code link (the CID3006 section), as a patient sent by NHS login would arrive. It runs
 * its own server on a temporary store, so nothing is written to the project's data.
 */

const ARTICLE = '/manage/mobile-phone';
const SECTION = 'expired-link-reference-cid3006';

let dataDir: string;
let server: RunningServer;

beforeAll(async () => {
  dataDir = tempDir('feedback-browser-');
  server = await startServer({ DATA_DIR: dataDir });
});

afterAll(async () => {
  await disconnectBrowser();
  await server?.stop();
  removeTempDir(dataDir);
});

async function storedVotes(): Promise<{ votes: VoteTotal[]; comments: string[] }> {
  const store = openSqliteInsightStore(dataDir);
  try {
    return { votes: await store.voteTotals(0), comments: (await store.comments(0, 10)).map((row) => row.comment) };
  } finally {
    await store.close();
  }
}

describe.each([
  { mode: 'with JavaScript', scripts: true },
  { mode: 'without JavaScript', scripts: false },
])('the feedback form $mode', ({ scripts }) => {
  let page: Page;
  let guarded: GuardedPage;

  beforeEach(async () => {
    guarded = await openGuardedPage(server.baseUrl, { scripts });
    ({ page } = guarded);
  });

  afterEach(() => closeGuardedPage(guarded));

  test('a No with a comment is stored, with its section when scripts can read the address', async () => {
    const before = await storedVotes();
    const response = await page.goto(`${server.baseUrl}${ARTICLE}#${SECTION}`);
    expect(response?.status()).toBe(200);
    expect(await validateHtml(await response!.text(), ARTICLE)).toEqual([]);
    const comment = page.locator('#feedback-comment');
    // With scripts the comment box waits for "No"; without, it is always there.
    expect(await comment.isVisible()).toBe(!scripts);
    await expectAccessible(page, 'feedback form');

    await page.getByLabel('No', { exact: true }).check();
    await expect(comment.isVisible()).resolves.toBe(true);
    const contact = page.locator('.app-feedback__contact');
    expect(await contact.getAttribute('href')).toBe(scripts ? '/contact?error=CID3006' : '/contact');
    await comment.fill('How do I change my number? Text me on 07700 900123');
    await expectAccessible(page, 'feedback form after No');
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'same page';
    });
    await page.getByRole('button', { name: 'Send feedback' }).click();

    if (scripts) {
      const status = page.locator('.app-feedback__status');
      await expect(status.textContent()).resolves.toBe('');
      await page.waitForFunction(() =>
        document.querySelector('.app-feedback__status')?.textContent?.includes('Thank you for your feedback'),
      );
      expect(await status.getAttribute('aria-live')).toBe('polite');
      expect(await status.locator('a').getAttribute('href')).toBe('/contact?error=CID3006');
      // No reload: the page and its state are the same.
      expect(page.url()).toBe(`${server.baseUrl}${ARTICLE}#${SECTION}`);
      expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
      expect(await page.locator('.app-feedback__form').isHidden()).toBe(true);
      await expectAccessible(page, 'feedback sent');
    } else {
      await page.waitForURL(/\/feedback\/thanks\?/);
      await expect(page.locator('h1').textContent()).resolves.toBe('Thank you for your feedback');
      expect(await page.getByRole('link', { name: 'Go back to Mobile phone number' }).getAttribute('href')).toBe(ARTICLE);
      expect(await validateHtml(await (await page.request.get(page.url())).text(), 'thank-you page')).toEqual([]);
      await expectAccessible(page, 'thank-you page');
    }

    const after = await storedVotes();
    const section = scripts ? SECTION : '';
    const count = (list: VoteTotal[]) => list.find((row) => row.page === ARTICLE && row.section === section)?.no ?? 0;
    expect(count(after.votes)).toBe(count(before.votes) + 1);
    expect(after.comments[0]).toBe('How do I change my number? Text me on [phone number]');
    expect(await page.context().cookies()).toEqual([]);
  });

  test('a Yes is sent without a comment', async () => {
    await page.goto(`${server.baseUrl}/manage`);
    await page.getByLabel('Yes', { exact: true }).check();
    await page.getByRole('button', { name: 'Send feedback' }).click();
    if (scripts) {
      await page.waitForFunction(() => document.querySelector('.app-feedback__status')?.textContent === 'Thank you for your feedback.');
    } else {
      await page.waitForURL(/\/feedback\/thanks\?page=%2Fmanage&helpful=yes/);
      await expect(page.locator('body').textContent()).resolves.not.toContain('contact NHS login support');
    }
    const { votes } = await storedVotes();
    expect(votes.find((row) => row.page === '/manage')?.yes).toBeGreaterThanOrEqual(1);
  });
});
