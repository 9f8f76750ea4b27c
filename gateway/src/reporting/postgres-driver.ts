import { Pool, type PoolClient } from 'pg';
import type { SqlDriver, SqlExecutor, SqlValue } from './sql-driver';

function executorOf(client: Pool | PoolClient): SqlExecutor {
  return {
    query: async <R>(text: string, params: readonly SqlValue[] = []) =>
      (await client.query(text, [...params])).rows as R[],
    exec: async (text: string) => {
      await client.query(text);
    },
  };
}

/**
 * Connects to a PostgreSQL server (`postgresql://user@host:port/database`), with a small pool.
 * @throws {Error} when the server cannot be reached.
 */
export async function openPostgresDriver(connectionString: string): Promise<SqlDriver> {
  const pool = new Pool({ connectionString, max: 4 });
  const probe = await pool.connect();
  probe.release();
  return {
    backend: 'postgresql',
    ...executorOf(pool),
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(executorOf(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
