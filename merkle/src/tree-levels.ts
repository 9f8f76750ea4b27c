import { hashLeafInto, hashPairInto, LEAF_PREFIX, sha256 } from './hash.js';
import { HASH_BYTES } from './hex.js';
import { assertImpressionRecord, type ImpressionRecord } from './impression-record.js';
import { MAX_ENCODED_RECORD_BYTES, writeImpressionRecord } from './record-encoding.js';

/** The leaf hashes of `leaves`, packed 32 bytes each into one buffer. */
export function leafHashesOfLeaves(leaves: readonly Uint8Array[]): Buffer {
  const level = Buffer.allocUnsafe(leaves.length * HASH_BYTES);
  leaves.forEach((leaf, index) => {
    hashLeafInto(leaf, level, index * HASH_BYTES);
  });
  return level;
}

/**
 * The leaf hashes of `records` (validated, then encoded into one reused buffer), packed 32 bytes each.
 *
 * @throws {@link MerkleInputError} naming the first invalid record, e.g. `records[12].timestamp`.
 */
export function leafHashesOfRecords(records: readonly ImpressionRecord[]): Buffer {
  const level = Buffer.allocUnsafe(records.length * HASH_BYTES);
  const leafInput = Buffer.allocUnsafe(1 + MAX_ENCODED_RECORD_BYTES);
  leafInput[0] = LEAF_PREFIX;
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    assertImpressionRecord(record, () => `records[${index}]`);
    const end = writeImpressionRecord(record, leafInput, 1);
    level.set(sha256(leafInput.subarray(0, end)), index * HASH_BYTES);
  }
  return level;
}

/**
 * Hashes one level of `count` packed hashes into the next (`ceil(count / 2)` hashes) inside `target`.
 * Pairs are hashed left to right; an odd last hash moves up unchanged. Level by level, this builds exactly the
 * RFC 6962 tree, whose left subtrees are the largest complete trees: the lone last node of a level is the root of
 * the rightmost, smaller subtree, which RFC 6962 pairs only higher up.
 *
 * @returns the number of hashes in the next level.
 */
export function hashLevel(source: Buffer, count: number, target: Buffer): number {
  const pairs = count >>> 1;
  for (let index = 0; index < pairs; index++) {
    hashPairInto(source, 2 * index * HASH_BYTES, target, index * HASH_BYTES);
  }
  if (count % 2 === 1) {
    source.copy(target, pairs * HASH_BYTES, (count - 1) * HASH_BYTES, count * HASH_BYTES);
  }
  return pairs + (count % 2);
}

/** Reduces packed leaf hashes to the root, overwriting `level`. `count` must be at least 1. */
export function rootOfLevel(level: Buffer, count: number): Buffer {
  let remaining = count;
  while (remaining > 1) {
    remaining = hashLevel(level, remaining, level);
  }
  return level.subarray(0, HASH_BYTES);
}

/** Every level of the tree, leaves first, root (one hash) last. `count` must be at least 1. */
export function levelsOf(leafHashes: Buffer, count: number): Buffer[] {
  const levels = [leafHashes];
  let current = leafHashes;
  let remaining = count;
  while (remaining > 1) {
    const next = Buffer.allocUnsafe(Math.ceil(remaining / 2) * HASH_BYTES);
    remaining = hashLevel(current, remaining, next);
    levels.push(next);
    current = next;
  }
  return levels;
}
