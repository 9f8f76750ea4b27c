import { hash } from 'node:crypto';

import { HASH_BYTES } from './hex.js';
import { leafBlockCount, leafTag } from './leaf-tag.js';

/**
 * Version-2 leaf hash, one leaf at a time with `node:crypto` (the verifier's path; bulk roots use the batched one,
 * which the tests compare with this): the leaf is zero-padded to {@link leafBlockCount} 64-byte blocks, each block
 * is hashed, the block digests are paired up `SHA-256(a ‖ b)` to one chunk root, and the leaf hash is
 * `SHA-256(leafTag(length) ‖ chunkRoot)`.
 *
 * @param leaf - the leaf data, e.g. an encoded impression record.
 * @returns the 32-byte leaf hash.
 */
export function hashLeafV2(leaf: Uint8Array): Buffer {
  const blocks = leafBlockCount(leaf.length);
  const padded = Buffer.alloc(blocks * 64);
  padded.set(leaf);
  let level = Buffer.allocUnsafe(blocks * HASH_BYTES);
  for (let block = 0; block < blocks; block++) {
    level.set(hash('sha256', padded.subarray(block * 64, block * 64 + 64), 'buffer'), block * HASH_BYTES);
  }
  for (let width = blocks; width > 1; width /= 2) {
    const next = Buffer.allocUnsafe((width / 2) * HASH_BYTES);
    for (let pair = 0; pair < width / 2; pair++) {
      next.set(hash('sha256', level.subarray(pair * 64, pair * 64 + 64), 'buffer'), pair * HASH_BYTES);
    }
    level = next;
  }
  return hashNodeV2(leafTag(leaf.length), level);
}

/**
 * Version-2 node hash: `SHA-256(left ‖ right)`, a 64-byte message.
 *
 * @param left - 32 bytes.
 * @param right - 32 bytes.
 * @returns the 32-byte node hash.
 */
export function hashNodeV2(left: Uint8Array, right: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(2 * HASH_BYTES);
  input.set(left, 0);
  input.set(right, HASH_BYTES);
  return hash('sha256', input, 'buffer');
}
