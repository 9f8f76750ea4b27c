import type { ImpressionRecord } from './impression-record.js';
import { leafHashesOfLeavesV2, leafHashesOfRecordsV2 } from './leaf-hashes-v2.js';
import { leafHashesOfLeaves, leafHashesOfRecords, rootOfLevel } from './tree-levels.js';
import { rootOfLevelV2 } from './tree-levels-v2.js';
import { resolveTreeVersion, type MerkleTreeOptions } from './tree-version.js';

/**
 * Root of the empty tree: SHA-256 of the empty string, as RFC 6962 defines it. A delivery report never carries it,
 * since a report with a root has `recordCount` of at least 1.
 */
export const EMPTY_MERKLE_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Merkle tree hash of a list of leaves, split at the largest power of two smaller than the number of leaves
 * (RFC 6962). Version 1: leaf hash SHA-256(0x00 || leaf), node hash SHA-256(0x01 || left || right), one
 * `node:crypto` call per hash. Version 2: every hash a 64-byte message, each level hashed in one batched call.
 *
 * @param leaves - the leaf data, in tree order.
 * @param options - the tree format version (1 by default).
 * @returns the root as 64 lowercase hex characters; {@link EMPTY_MERKLE_ROOT} for no leaves (either version).
 * @throws {@link MerkleInputError} when `options.version` is neither 1 nor 2; any list of byte strings has a root.
 */
export function merkleRoot(leaves: readonly Uint8Array[], options?: Readonly<MerkleTreeOptions>): string {
  const version = resolveTreeVersion(options);
  if (leaves.length === 0) {
    return EMPTY_MERKLE_ROOT;
  }
  if (version === 2) {
    return rootOfLevelV2(leafHashesOfLeavesV2(leaves), leaves.length).toString('hex');
  }
  return rootOfLevel(leafHashesOfLeaves(leaves), leaves.length).toString('hex');
}

/**
 * Merkle root of impression records: {@link merkleRoot} of their canonical encodings
 * (see {@link encodeImpressionRecord}), in the order given. This is the `merkleRoot` of a delivery report whose
 * `recordCount` is `records.length`.
 *
 * @param records - the records of the report, in the order the reporter keeps them.
 * @param options - the tree format version (1 by default; 2 is several times faster).
 * @returns the root as 64 lowercase hex characters; {@link EMPTY_MERKLE_ROOT} for no records.
 * @throws {@link MerkleInputError} when a record is invalid; its `field` names it, e.g. `records[12].timestamp`;
 * or when `options.version` is neither 1 nor 2.
 */
export function merkleRootOfRecords(
  records: readonly ImpressionRecord[],
  options?: Readonly<MerkleTreeOptions>,
): string {
  const version = resolveTreeVersion(options);
  if (records.length === 0) {
    return EMPTY_MERKLE_ROOT;
  }
  if (version === 2) {
    return rootOfLevelV2(leafHashesOfRecordsV2(records), records.length).toString('hex');
  }
  return rootOfLevel(leafHashesOfRecords(records), records.length).toString('hex');
}
