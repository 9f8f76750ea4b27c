import type { ImpressionRecord } from './impression-record.js';
import { leafHashesOfLeaves, leafHashesOfRecords, rootOfLevel } from './tree-levels.js';

/**
 * Root of the empty tree: SHA-256 of the empty string, as RFC 6962 defines it. A delivery report never carries it,
 * since a report with a root has `recordCount` of at least 1.
 */
export const EMPTY_MERKLE_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * RFC 6962 Merkle tree hash (MTH) of a list of leaves: leaf hash SHA-256(0x00 || leaf), node hash
 * SHA-256(0x01 || left || right), split at the largest power of two smaller than the number of leaves.
 * Work is linear: one hash per leaf and one per interior node, in place, level by level.
 *
 * @param leaves - the leaf data, in tree order.
 * @returns the root as 64 lowercase hex characters; {@link EMPTY_MERKLE_ROOT} for no leaves.
 * @throws never: any list of byte strings has a root.
 */
export function merkleRoot(leaves: readonly Uint8Array[]): string {
  if (leaves.length === 0) {
    return EMPTY_MERKLE_ROOT;
  }
  return rootOfLevel(leafHashesOfLeaves(leaves), leaves.length).toString('hex');
}

/**
 * Merkle root of impression records: {@link merkleRoot} of their canonical encodings
 * (see {@link encodeImpressionRecord}), in the order given. This is the `merkleRoot` of a delivery report whose
 * `recordCount` is `records.length`.
 *
 * @param records - the records of the report, in the order the reporter keeps them.
 * @returns the root as 64 lowercase hex characters; {@link EMPTY_MERKLE_ROOT} for no records.
 * @throws {@link MerkleInputError} when a record is invalid; its `field` names it, e.g. `records[12].timestamp`.
 */
export function merkleRootOfRecords(records: readonly ImpressionRecord[]): string {
  if (records.length === 0) {
    return EMPTY_MERKLE_ROOT;
  }
  return rootOfLevel(leafHashesOfRecords(records), records.length).toString('hex');
}
