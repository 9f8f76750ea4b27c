import { describeValue } from './hex.js';
import { MerkleInputError } from './merkle-input-error.js';

/**
 * Version of the tree format (see `docs/merkle.md`):
 * - `1`: RFC 6962, leaf `SHA-256(0x00 ‖ data)`, node `SHA-256(0x01 ‖ left ‖ right)`; one hash per call.
 * - `2`: every hash is the SHA-256 of one 64-byte message, so a whole level is hashed in one batched call; leaves
 *   and nodes are told apart by a leaf tag that no tree hash can equal.
 *
 * Both have the same shape (RFC 6962 split), the same proofs and the same verification walk.
 */
export type MerkleTreeVersion = 1 | 2;

/** Every tree format version the verifier checks. */
export const MERKLE_TREE_VERSIONS: readonly MerkleTreeVersion[] = [1, 2];

/** The version trees are built in when none is asked for: 1, so that existing roots and callers do not change. */
export const DEFAULT_MERKLE_TREE_VERSION: MerkleTreeVersion = 1;

/** Options of the functions that build roots and trees. */
export interface MerkleTreeOptions {
  /** Tree format version; {@link DEFAULT_MERKLE_TREE_VERSION} when absent. Version 2 is the fast one. */
  readonly version?: MerkleTreeVersion | undefined;
}

/** True when `value` is a {@link MerkleTreeVersion}. */
export function isMerkleTreeVersion(value: unknown): value is MerkleTreeVersion {
  return value === 1 || value === 2;
}

/**
 * The version named by `options`, checked.
 *
 * @throws {@link MerkleInputError} when `options.version` is neither 1 nor 2.
 */
export function resolveTreeVersion(options: Readonly<MerkleTreeOptions> | undefined): MerkleTreeVersion {
  const version: unknown = options?.version ?? DEFAULT_MERKLE_TREE_VERSION;
  if (!isMerkleTreeVersion(version)) {
    throw new MerkleInputError({ field: 'options.version', reason: `must be 1 or 2, got ${describeValue(version)}` });
  }
  return version;
}
