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
  /** The block that committed the transaction on the submitting organization's peer: the consistency token. */
  readonly blockNumber: bigint;
}

/**
 * Which peers must have committed a block before a call runs: the caller's organization's peer (enough for a read,
 * which that peer answers), or also every other organization's peer that answers (a write is endorsed by other
 * organizations' peers too, and each must see the state the caller saw).
 */
export type BlockScope = 'organization' | 'endorsers';

/** Options of {@link LedgerClient.awaitBlock}. */
export interface AwaitBlockOptions {
  readonly scope: BlockScope;
  /** How long to wait in all before giving up with LEDGER_BEHIND. */
  readonly timeoutMs: number;
  /** For the scope `endorsers`: only these other organizations' peers (default: every other organization's). */
  readonly only?: readonly string[];
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
   * Waits until the organization's peer (and, for scope `endorsers`, every other reachable organization's peer) has
   * committed `block`: read-your-writes across organizations. Returns at once when the block is known committed.
   * @throws {AppError} LEDGER_BEHIND when the deadline passes first (a 503 with Retry-After, not a business error).
   */
  awaitBlock(org: string, block: bigint, options: Readonly<AwaitBlockOptions>): Promise<void>;
  /**
   * Chaincode events from `startBlock` (or from the next block when omitted).
   * @throws {AppError} LEDGER_UNAVAILABLE.
   */
  chaincodeEvents(org: string, startBlock?: bigint): Promise<LedgerEventStream>;
  /** Closes every connection. */
  close(): void;
}
