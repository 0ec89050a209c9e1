import type { BrowserContext, Page } from 'playwright-core';

/** The NHS font host: unreachable from CI, so its requests are stopped and not counted. */
export const FONT_HOST = 'https://assets.nhs.uk';

export interface NetworkLog {
  /** Requests that tried to leave the site (other than the font host). They are blocked. */
  offsite: string[];
  /** Requests to the site that failed or answered 4xx/5xx, other than the page being opened. */
  failed: string[];
  /** Content Security Policy violations and uncaught script errors. */
  scriptProblems: string[];
}

/**
 * Keeps a context on the site: font requests are aborted quietly, every other request that
 * leaves `baseUrl`'s origin is aborted and recorded. Also records failed site requests and
 * script errors on every page the context opens.
 */
export async function guardNetwork(context: BrowserContext, baseUrl: string): Promise<NetworkLog> {
  const origin = new URL(baseUrl).origin;
  const log: NetworkLog = { offsite: [], failed: [], scriptProblems: [] };
  await context.route(
    (url) => url.origin !== origin,
    (route) => {
      const url = route.request().url();
      if (!url.startsWith(`${FONT_HOST}/`)) log.offsite.push(url);
      return route.abort('blockedbyclient');
    },
  );
  const watchPage = (page: Page): void => {
    page.on('response', (response) => {
      const request = response.request();
      // A page opened on purpose may be a 404; its sub-requests may not.
      if (response.status() >= 400 && !(request.isNavigationRequest() && request.frame() === page.mainFrame())) {
        log.failed.push(`${response.status()} ${response.url()}`);
      }
    });
    page.on('requestfailed', (request) => {
      const url = request.url();
      const reason = request.failure()?.errorText ?? 'failed';
      // ERR_ABORTED: the browser dropped the request itself, because the page moved on or closed.
      if (new URL(url).origin === origin && reason !== 'net::ERR_ABORTED') log.failed.push(`${reason} ${url}`);
    });
    page.on('pageerror', (error) => log.scriptProblems.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
        log.scriptProblems.push(`${page.url()}: ${message.text()}`);
      }
    });
  };
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
  return log;
}

/** Empties a log between checks, so each page is judged on its own requests. */
export function clearLog(log: NetworkLog): void {
  log.offsite.length = 0;
  log.failed.length = 0;
  log.scriptProblems.length = 0;
}

/**
 * Serves the site's pages with every <script> removed, while leaving JavaScript on in the
 * browser. The page then looks exactly as it does with scripting off (nhsuk-frontend's inline
 * script never adds `js-enabled`), yet tools that run inside the page, like axe, still can.
 */
export async function serveWithoutScripts(context: BrowserContext, baseUrl: string): Promise<void> {
  const origin = new URL(baseUrl).origin;
  await context.route(
    (url) => url.origin === origin,
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.fallback();
      const response = await route.fetch({ maxRedirects: 0 });
      const type = response.headers()['content-type'] ?? '';
      if (!type.startsWith('text/html')) return route.fulfill({ response });
      const html = (await response.text()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
      return route.fulfill({ response, body: html });
    },
  );
}
