/** The limits of the store's report endpoints, in one place. */
export const REPORTING_LIMITS = {
  /** Rows per JSON page, default and maximum. */
  defaultPageRows: 1_000,
  maxPageRows: 10_000,
  /** Rows read from the store per step of a streamed CSV/XLSX export. */
  exportChunkRows: 2_000,
  /** Longest wait for a transaction (`waitForTransaction`) or block (`X-Min-Block`) to reach the store. */
  maxWaitMs: 30_000,
  /** How long a report request waits for the store to open at start-up. */
  openWaitMs: 30_000,
} as const;
