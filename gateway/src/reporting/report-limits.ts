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
  /**
   * Deadline of each of the listener's re-reads (its own connection): a background read of a long line item on a
   * loaded peer takes longer than a user's read may, and a re-read given up is a re-read that runs again.
   */
  rereadTimeoutMs: 120_000,
  /** The listener's pause after a failure: doubles from the first value up to the second until a batch applies. */
  retryMs: 1_000,
  maxRetryMs: 30_000,
  /**
   * At the peer's tip, a flush that took D ms is followed by at least this many times D ms of collecting, so the
   * listener's re-reads take at most 1 / (1 + factor) of the organization's chaincode server under load.
   */
  collectFactor: 2,
} as const;
