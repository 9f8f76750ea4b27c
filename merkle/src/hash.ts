import { hash } from 'node:crypto';

import { hashLeafV2, hashNodeV2 } from './hash-v2.js';
import { HASH_BYTES } from './hex.js';
import { MerkleInputError } from './merkle-input-error.js';
import { resolveTreeVersion, type MerkleTreeVersion } from './tree-version.js';

/** RFC 6962 domain-separation prefix of a leaf hash. */
export const LEAF_PREFIX = 0x00;
/** RFC 6962 domain-separation prefix of an interior node hash. */
export const NODE_PREFIX = 0x01;

const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeInput[0] = NODE_PREFIX;
let leafInput = Buffer.alloc(1024);

/** SHA-256 of `data` as a new Buffer (one-shot: much cheaper per call than `createHash` for small inputs). */
export function sha256(data: Uint8Array): Buffer {
  return hash('sha256', data, 'buffer');
}

/**
 * SHA-256(0x00 || leaf) written into `target` at `offset`; reuses one input buffer across calls.
 */
export function hashLeafInto(leaf: Uint8Array, target: Buffer, offset: number): void {
  if (leafInput.length < leaf.length + 1) {
    leafInput = Buffer.alloc(2 * (leaf.length + 1));
  }
  leafInput[0] = LEAF_PREFIX;
  leafInput.set(leaf, 1);
  target.set(sha256(leafInput.subarray(0, leaf.length + 1)), offset);
}

/**
 * SHA-256(0x01 || source[from, from + 64)) written into `target` at `offset`: the parent of two adjacent
 * 32-byte hashes. `target` may be `source` when `offset <= from`.
 */
export function hashPairInto(source: Buffer, from: number, target: Buffer, offset: number): void {
  source.copy(nodeInput, 1, from, from + 2 * HASH_BYTES);
  target.set(sha256(nodeInput), offset);
}

/**
 * Leaf hash. Version 1 (RFC 6962): SHA-256(0x00 || leaf). Version 2: SHA-256(leafTag(length) || chunkRoot), see
 * `docs/merkle.md`.
 *
 * @param leaf - the leaf data, e.g. from {@link encodeImpressionRecord}.
 * @param version - the tree format version, 1 by default.
 * @returns the 32-byte leaf hash.
 * @throws {@link MerkleInputError} when `version` is neither 1 nor 2; any byte string is a valid leaf.
 */
export function hashLeaf(leaf: Uint8Array, version: MerkleTreeVersion = 1): Uint8Array {
  if (resolveTreeVersion({ version }) === 2) {
    return hashLeafV2(leaf);
  }
  const out = Buffer.allocUnsafe(HASH_BYTES);
  hashLeafInto(leaf, out, 0);
  return out;
}

/**
 * Interior node hash. Version 1 (RFC 6962): SHA-256(0x01 || left || right). Version 2: SHA-256(left || right).
 *
 * @param left - the 32-byte hash of the left subtree.
 * @param right - the 32-byte hash of the right subtree.
 * @param version - the tree format version, 1 by default.
 * @returns the 32-byte node hash.
 * @throws {@link MerkleInputError} when `left` or `right` is not 32 bytes long, or `version` is neither 1 nor 2.
 */
export function hashNode(left: Uint8Array, right: Uint8Array, version: MerkleTreeVersion = 1): Uint8Array {
  if (left.length !== HASH_BYTES) {
    throw new MerkleInputError({ field: 'left', reason: `must be ${HASH_BYTES} bytes, got ${left.length}` });
  }
  if (right.length !== HASH_BYTES) {
    throw new MerkleInputError({ field: 'right', reason: `must be ${HASH_BYTES} bytes, got ${right.length}` });
  }
  if (resolveTreeVersion({ version }) === 2) {
    return hashNodeV2(left, right);
  }
  const input = Buffer.allocUnsafe(1 + 2 * HASH_BYTES);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + HASH_BYTES);
  return sha256(input);
}
