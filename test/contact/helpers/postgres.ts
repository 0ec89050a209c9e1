import crypto from 'node:crypto';
import { Client } from 'pg';

/**
 * PostgreSQL for tests. TEST_DATABASE_URL names a server the tests may create databases on.
 * When it is not set, the global setup (test/global-setup.ts) starts a throwaway server for
 * the run and sets it. Without any PostgreSQL, these tests are skipped locally (the run says
 * why, once); in CI (CI=true) the run fails instead, so they can never be skipped silently there.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const inCi = process.env.CI === 'true';

/** `describe`, or `describe.skip` when there is no PostgreSQL to test against outside CI. */
export const describePostgres: jest.Describe = TEST_DATABASE_URL || inCi ? describe : describe.skip;

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL)
    throw new Error('TEST_DATABASE_URL is not set and the global setup started no PostgreSQL (see test/global-setup.ts)');
  const name = `help_centre_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
