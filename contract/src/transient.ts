/**
 * Confidential inputs and outputs of a write (issue 8 item 3). A transaction's arguments and its response payload
 * are written into every block, so the gateway sends a write's arguments in the proposal's transient map (never
 * stored on a block) with empty placeholders as arguments, a random salt for the private records' hashes, and a
 * random key with which the chaincode encrypts the response before it goes into the block.
 */
export const TRANSIENT_KEYS = {
  /** JSON array of the transaction's string arguments. */
  args: 'adrecon.args',
  /** Random bytes: the salt of the private records this transaction writes. */
  salt: 'adrecon.salt',
  /** 32 random bytes: the AES-256-GCM key that seals the response. */
  sealKey: 'adrecon.sealKey',
  /**
   * Present on an evaluation that asks for a write's endorsement plan: the chaincode runs the write (nothing is
   * committed by an evaluation) and answers `{"endorsers": [...]}`, the members of every collection it writes.
   */
  plan: 'adrecon.plan',
} as const;

/** The AES-GCM nonce of a sealed response: the first 12 bytes of SHA-256 of the transaction ID (one key per call). */
export const SEAL_NONCE_BYTES = 12;

/** Length in bytes of the AES-GCM authentication tag appended to a sealed response. */
export const SEAL_TAG_BYTES = 16;
