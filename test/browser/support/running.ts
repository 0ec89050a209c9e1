import type { BrowserServer } from 'playwright-core';
import type { RunningServer } from './server';

interface Running {
  server?: RunningServer;
  browser?: BrowserServer;
}

/**
 * The server and browser global setup started, for global teardown to stop. Jest runs both in
 * its main process but may load them as separate modules, so this lives on globalThis.
 */
const holder = globalThis as typeof globalThis & { __helpCentreBrowserSuite?: Running };
export const running: Running = (holder.__helpCentreBrowserSuite ??= {});

export async function stopRunning(): Promise<void> {
  await running.browser?.close();
  await running.server?.stop();
  running.browser = undefined;
  running.server = undefined;
}
