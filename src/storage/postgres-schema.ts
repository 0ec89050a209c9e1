import type { Pool, PoolClient } from 'pg';

/**
 * Creates tables in one transaction under an advisory lock, so replicas starting at the same
 * moment take turns instead of racing on CREATE TABLE IF NOT EXISTS.
 */
export async function applySchema(client: PoolClient, lock: number, statements: readonly string[]): Promise<void> {
  await client.query('BEGIN');
  await client.query('SELECT pg_advisory_xact_lock($1)', [lock]);
  for (const statement of statements) await client.query(statement);
  await client.query('COMMIT');
}

/**
 * Connects once to create a store's tables (see applySchema), after `check` if given. On any
 * failure the transaction is rolled back, the pool is ended and the error thrown, so a store
 * that cannot open leaves no connections behind.
 */
export async function prepareSchema(
  pool: Pool,
  lock: number,
  statements: readonly string[],
  check?: (client: PoolClient) => Promise<void>,
): Promise<void> {
  const client = await pool.connect().catch(async (error: unknown) => {
    await pool.end();
    throw error;
  });
  try {
    if (check) await check(client);
    await applySchema(client, lock, statements);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    await pool.end();
    throw error;
  }
  client.release();
}
