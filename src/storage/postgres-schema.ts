import type { PoolClient } from 'pg';

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
