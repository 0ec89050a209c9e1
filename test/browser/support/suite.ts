import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { connectBrowser } from './chromium';
import type { Crawl } from './crawl';
import type { NetworkLog } from './network';
import { guardNetwork, serveWithoutScripts } from './network';
import { PROJECT_ROOT } from './server';

/** What global setup hands to every test file, through the environment. */
const ENV = {
  baseUrl: 'HELP_CENTRE_TEST_BASE_URL',
  wsEndpoint: 'HELP_CENTRE_TEST_BROWSER',
  crawlFile: 'HELP_CENTRE_TEST_CRAWL',
} as const;

export const RESULTS_DIR = path.join(PROJECT_ROOT, 'test-results');
/** Where screenshots and printed pages go: test-results/screenshots, or SCREENSHOT_DIR. */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? path.join(RESULTS_DIR, 'screenshots');

export function shareWithTests(values: { baseUrl: string; wsEndpoint: string; crawlFile: string }): void {
  process.env[ENV.baseUrl] = values.baseUrl;
  process.env[ENV.wsEndpoint] = values.wsEndpoint;
  process.env[ENV.crawlFile] = values.crawlFile;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests with npm run test:browser`);
  return value;
}

/** The running site started by global setup, e.g. http://127.0.0.1:41234 (no trailing slash). */
export function siteUrl(sitePath = ''): string {
  return `${required(ENV.baseUrl)}${sitePath}`;
}

let crawl: Crawl | undefined;

/** Everything global setup found by crawling the site. Read synchronously, so tests can be listed from it. */
export function siteCrawl(): Crawl {
  crawl ??= JSON.parse(fs.readFileSync(required(ENV.crawlFile), 'utf8')) as Crawl;
  return crawl;
}

/** The suite's one Chromium (connects once per test file). */
let browser: Promise<Browser> | undefined;
export function sharedBrowser(): Promise<Browser> {
  browser ??= connectBrowser(required(ENV.wsEndpoint));
  return browser;
}

export async function disconnectBrowser(): Promise<void> {
  if (browser) await (await browser).close();
  browser = undefined;
}

export const PHONE = { width: 375, height: 812 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;
export const WIDTHS = [
  { name: 'phone', viewport: PHONE },
  { name: 'desktop', viewport: DESKTOP },
] as const;

export interface GuardedContext {
  context: BrowserContext;
  network: NetworkLog;
}

/** A fresh browser context on the shared browser that cannot leave the site. */
export async function openContext(options: BrowserContextOptions = {}): Promise<GuardedContext> {
  const context = await (await sharedBrowser()).newContext({ viewport: DESKTOP, ...options });
  const network = await guardNetwork(context, siteUrl());
  return { context, network };
}

/** A page of its own, on a server of a test file's own, that cannot leave it; with or without the site's scripts. */
export interface GuardedPage {
  page: Page;
  network: NetworkLog;
  context: BrowserContext;
}

export async function openGuardedPage(baseUrl: string, options: { scripts: boolean }): Promise<GuardedPage> {
  const context = await (await sharedBrowser()).newContext({ viewport: DESKTOP });
  const network = await guardNetwork(context, baseUrl);
  if (!options.scripts) await serveWithoutScripts(context, baseUrl);
  return { page: await context.newPage(), network, context };
}

/** Checks that the page asked nothing of another host and no script failed, then closes it. */
export async function closeGuardedPage(guarded: GuardedPage): Promise<void> {
  expect(guarded.network.offsite).toEqual([]);
  expect(guarded.network.scriptProblems).toEqual([]);
  await guarded.context.close();
}
