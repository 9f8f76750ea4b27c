/** A SQL parameter: text, number, boolean, null, or a JSON document passed as text. */
export type SqlValue = string | number | boolean | null;

/** One SQL connection's operations, in PostgreSQL's dialect (`$1` placeholders). */
export interface SqlExecutor {
  /** Runs one statement and returns its rows (column names as keys). */
  query<R = Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<R[]>;
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

/**
 * The one thing both reporting backends implement: PostgreSQL's dialect, spoken by the embedded PGlite (PostgreSQL
 * compiled to WebAssembly) and by a PostgreSQL server, so the schema, the migrations and every query are shared.
 */
export interface SqlDriver extends SqlExecutor {
  /** Which backend this is, for logs and metrics. */
  readonly backend: 'embedded' | 'postgresql';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
