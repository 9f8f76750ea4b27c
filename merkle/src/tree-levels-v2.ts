import { batchSha256, type BatchSha256 } from './batch-sha256.js';
import { HASH_BYTES } from './hex.js';

/**
 * Hashes one version-2 level of `count` packed hashes into the next (`ceil(count / 2)` hashes) in `target`, with
 * one batched call: neighbours `2i, 2i + 1` are the 64-byte message `i`. An odd last hash moves up unchanged, as
 * in version 1. `target` must not overlap `source`.
 *
 * @returns the number of hashes in the next level.
 */
export function hashLevelV2(source: Uint8Array, count: number, target: Uint8Array, hasher: BatchSha256): number {
  const pairs = count >>> 1;
  hasher.hashPairsInto(source.subarray(0, pairs * 2 * HASH_BYTES), target.subarray(0, pairs * HASH_BYTES));
  if (count % 2 === 1) {
    target.set(source.subarray((count - 1) * HASH_BYTES, count * HASH_BYTES), pairs * HASH_BYTES);
  }
  return pairs + (count % 2);
}

/** The version-2 root of `count` ≥ 1 packed leaf hashes, as a Buffer of 32 bytes. `leafHashes` is left as it was. */
export function rootOfLevelV2(leafHashes: Uint8Array, count: number, hasher: BatchSha256 = batchSha256()): Buffer {
  if (count === 1) {
    return Buffer.from(leafHashes.subarray(0, HASH_BYTES));
  }
  const first = new Uint8Array(Math.ceil(count / 2) * HASH_BYTES);
  const second = new Uint8Array(first.length);
  let source = leafHashes;
  let remaining = count;
  while (remaining > 1) {
    const target = source === first ? second : first;
    remaining = hashLevelV2(source, remaining, target, hasher);
    source = target;
  }
  return Buffer.from(source.buffer, source.byteOffset, HASH_BYTES);
}

/** Every version-2 level of the tree, leaves first, root (one hash) last. `count` must be at least 1. */
export function levelsOfV2(leafHashes: Uint8Array, count: number, hasher: BatchSha256 = batchSha256()): Buffer[] {
  const levels = [Buffer.from(leafHashes.buffer, leafHashes.byteOffset, count * HASH_BYTES)];
  let current: Uint8Array = leafHashes;
  let remaining = count;
  while (remaining > 1) {
    const next = Buffer.alloc(Math.ceil(remaining / 2) * HASH_BYTES);
    remaining = hashLevelV2(current, remaining, next, hasher);
    levels.push(next);
    current = next;
  }
  return levels;
}
