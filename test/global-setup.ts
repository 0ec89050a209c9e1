import fs from 'node:fs';
import path from 'node:path';
import { buildStyles, STYLES_OUTPUT } from '../src/render/styles';
import type { PostgresServer } from './helpers/postgres-server';
import { startPostgresServer } from './helpers/postgres-server';

/** What setup started, for the teardown (jest runs both in the same process). */
export interface TestRunState {
  postgres?: PostgresServer;
}
const state = globalThis as { helpCentreTestRun?: TestRunState };

/** Builds the stylesheet the app serves when it is missing or older than our CSS. */
async function buildStylesIfStale(): Promise<void> {
  const publicDir = path.join(__dirname, '..', 'public');
  const source = path.join(publicDir, 'css', 'app.css');
  const stale = !fs.existsSync(STYLES_OUTPUT) || fs.statSync(STYLES_OUTPUT).mtimeMs < fs.statSync(source).mtimeMs;
  if (stale) await buildStyles({ fonts: true, publicDir });
}

/**
 * PostgreSQL for the outbox tests, once per run: the server TEST_DATABASE_URL names, else a
 * throwaway one of our own, which the workers find in TEST_DATABASE_URL. Without either the
 * tests are skipped with one line saying why, except in CI, where the run fails instead.
 */
async function providePostgres(run: TestRunState): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const started = await startPostgresServer();
  if ('unavailable' in started) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL tests cannot run in CI: ${started.unavailable}`);
    process.stderr.write(`\nPostgreSQL tests skipped: ${started.unavailable}.\n`);
    return;
  }
  run.postgres = started;
  process.env.TEST_DATABASE_URL = started.url;
}

export default async function globalSetup(): Promise<void> {
  const run: TestRunState = {};
  state.helpCentreTestRun = run;
  const results = await Promise.allSettled([buildStylesIfStale(), providePostgres(run)]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // Jest skips the teardown when setup fails.
    await run.postgres?.stop();
    throw failed.reason;
  }
}
