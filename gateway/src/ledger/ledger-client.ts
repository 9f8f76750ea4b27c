/** A chaincode event as the gateway sees it: payload already parsed as JSON. */
export interface LedgerEvent {
  readonly blockNumber: bigint;
  readonly transactionId: string;
  readonly eventName: string;
  readonly payload: unknown;
}

/** A stream of events that must be closed when the consumer stops reading. */
export interface LedgerEventStream extends AsyncIterable<LedgerEvent> {
  close(): void;
}

/** The outcome of a committed write. */
export interface SubmitResult {
  readonly result: unknown;
  readonly transactionId: string;
}

/**
 * The narrow view of the ledger that the REST API needs. Transactions are named `<contract>:<Transaction>`
 * and take string arguments; results are the chaincode's JSON, parsed.
 *
 * Implementations throw only {@link AppError} (see `fabric-error-adapter.ts`).
 */
export interface LedgerClient {
  /** MSP IDs this client can act for. */
  organizations(): readonly string[];
  /**
   * Evaluates a transaction on a peer of the organization without ordering it.
   * @throws {AppError} chaincode error codes, LEDGER_UNAVAILABLE.
   */
  evaluate(org: string, transaction: string, args: readonly string[]): Promise<unknown>;
  /**
   * Endorses, orders and waits for the commit of a transaction.
   * @throws {AppError} chaincode error codes, LEDGER_UNAVAILABLE, COMMIT_STATUS_UNKNOWN, MVCC_READ_CONFLICT,
   * TRANSACTION_INVALID.
   */
  submit(org: string, transaction: string, args: readonly string[]): Promise<SubmitResult>;
  /**
   * Chaincode events from `startBlock` (or from the next block when omitted).
   * @throws {AppError} LEDGER_UNAVAILABLE.
   */
  chaincodeEvents(org: string, startBlock?: bigint): Promise<LedgerEventStream>;
  /** Closes every connection. */
  close(): void;
}
