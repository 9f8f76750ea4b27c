/**
 * Options for a {@link MerkleInputError}.
 */
export interface MerkleInputErrorOptions {
  /** Where the bad value sits in the input, e.g. `record.timestamp` or `proof.auditPath[3]`. */
  readonly field: string;
  /** What is wrong with it, in words a caller can show to a user. */
  readonly reason: string;
  /** The underlying error, when one caused this one. */
  readonly cause?: unknown;
}

/**
 * Thrown when an input to this package (a record, a leaf, a hash or a proof) is malformed.
 *
 * The message is `<field>: <reason>`. It carries no stable error code: callers that cross a wire (the chaincode)
 * prefix their own, e.g. `VALIDATION_FAILED: proof.auditPath[3]: must be 64 lowercase hex characters`.
 */
export class MerkleInputError extends Error {
  /** Where the bad value sits in the input, e.g. `record.timestamp` or `proof.auditPath[3]`. */
  readonly field: string;
  /** What is wrong with it, without the field name. */
  readonly reason: string;

  /**
   * @param options - the field, the reason and an optional cause.
   */
  constructor(options: Readonly<MerkleInputErrorOptions>) {
    super(`${options.field}: ${options.reason}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MerkleInputError';
    this.field = options.field;
    this.reason = options.reason;
  }
}
