import { largestPowerOfTwoBelow, sha256 } from './reference-hashing.js';

/**
 * A literal, recursive transcription of tree format version 2 as `docs/merkle.md` defines it, hashing with
 * `createHash` one message at a time so that it shares no code with the package under test. Slow; only for tests.
 */
/** Complete binary tree of SHA-256(a ‖ b) over the SHA-256 of each 64-byte block (a power of two of them). */
function blockTreeRoot(blocks: readonly Buffer[]): Buffer {
  if (blocks.length === 1) {
    return sha256(blocks[0]!);
  }
  const half = blocks.length / 2;
  return sha256(blockTreeRoot(blocks.slice(0, half)), blockTreeRoot(blocks.slice(half)));
}

/** Version-2 leaf hash: SHA-256(SHA-256("adrecon/merkle/v2/leaf" ‖ u32be(len)) ‖ chunk root of the padded leaf). */
export function referenceLeafHashV2(leaf: Uint8Array): Buffer {
  let blockCount = 1;
  while (blockCount * 64 < leaf.length) {
    blockCount *= 2;
  }
  const padded = Buffer.concat([Buffer.from(leaf), Buffer.alloc(blockCount * 64 - leaf.length)]);
  const blocks = Array.from({ length: blockCount }, (_, index) => padded.subarray(index * 64, index * 64 + 64));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(leaf.length);
  const tag = sha256(Buffer.from('adrecon/merkle/v2/leaf', 'ascii'), length);
  return sha256(tag, blockTreeRoot(blocks));
}

/** Version-2 MTH(D[n]): the RFC 6962 split with node hash SHA-256(left ‖ right). */
export function referenceRootV2(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) {
    return sha256();
  }
  if (leaves.length === 1) {
    return referenceLeafHashV2(leaves[0]!);
  }
  const k = largestPowerOfTwoBelow(leaves.length);
  return sha256(referenceRootV2(leaves.slice(0, k)), referenceRootV2(leaves.slice(k)));
}
