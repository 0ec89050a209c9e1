import fs from 'node:fs';
import path from 'node:path';
import { connectBrowser, launchBrowserServer } from './chromium';
import { crawlSite } from './crawl';
import { running, stopRunning } from './running';
import { buildServer, startServer } from './server';
import { RESULTS_DIR, shareWithTests } from './suite';

/** Builds and starts the site, starts Chromium, and crawls the site once for every test file. */
export default async function globalSetup(): Promise<void> {
  try {
    buildServer();
    running.server = await startServer();
    running.browser = await launchBrowserServer();
    const wsEndpoint = running.browser.wsEndpoint();

    const browser = await connectBrowser(wsEndpoint);
    try {
      const page = await browser.newPage();
      const crawl = await crawlSite(running.server.baseUrl, page);
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      const crawlFile = path.join(RESULTS_DIR, 'crawl.json');
      fs.writeFileSync(crawlFile, `${JSON.stringify(crawl, null, 2)}\n`);
      shareWithTests({ baseUrl: running.server.baseUrl, wsEndpoint, crawlFile });
    } finally {
      await browser.close();
    }
  } catch (error) {
    await stopRunning();
    throw error;
  }
}
