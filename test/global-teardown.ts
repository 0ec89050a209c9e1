import type { TestRunState } from './global-setup';

/** Stops and removes what the global setup started. */
export default async function globalTeardown(): Promise<void> {
  const run = (globalThis as { helpCentreTestRun?: TestRunState }).helpCentreTestRun;
  await run?.postgres?.stop();
  if (run?.postgres) delete process.env.TEST_DATABASE_URL;
}
