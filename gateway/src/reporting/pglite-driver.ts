import * as fs from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlDriver, SqlExecutor, SqlValue } from './sql-driver';

function executorOf(db: PGlite | Transaction): SqlExecutor {
  return {
    query: async <R>(text: string, params: readonly SqlValue[] = []) => (await db.query<R>(text, [...params])).rows,
    exec: async (text: string) => {
      await db.exec(text);
    },
  };
}

/**
 * Opens (creating it when missing) the embedded store: a PGlite database in `directory`, no server to start.
 * One process owns the directory at a time.
 * @throws {Error} when the directory cannot be created or the database cannot be opened.
 */
export async function openPgliteDriver(directory: string): Promise<SqlDriver> {
  fs.mkdirSync(directory, { recursive: true });
  const db = await PGlite.create(directory);
  const executor = executorOf(db);
  return {
    backend: 'embedded',
    ...executor,
    transaction: (work) => db.transaction((tx) => work(executorOf(tx))),
    close: () => db.close(),
  };
}
