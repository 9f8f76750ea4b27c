import { hash } from 'node:crypto';

/** ASCII prefix of the message whose SHA-256 is a version-2 leaf tag. */
export const LEAF_TAG_PREFIX = 'adrecon/merkle/v2/leaf';

const cache = new Map<number, Buffer>();

/**
 * The version-2 leaf tag of a leaf of `length` bytes: `SHA-256("adrecon/merkle/v2/leaf" ‖ u32be(length))`, the SHA-256
 * of a 26-byte message. Every tree hash of version 2 is the SHA-256 of a 64-byte message, so no tree hash equals a
 * tag without a SHA-256 collision: that is what keeps leaves and inner nodes apart. The length also makes the
 * zero padding of the leaf unambiguous.
 *
 * @param length - the leaf's length in bytes, an integer from 0 to 2^32 - 1.
 * @returns the 32-byte tag (shared: do not modify).
 */
export function leafTag(length: number): Buffer {
  let tag = cache.get(length);
  if (tag === undefined) {
    const message = Buffer.alloc(LEAF_TAG_PREFIX.length + 4);
    message.write(LEAF_TAG_PREFIX, 0, 'latin1');
    message.writeUInt32BE(length, LEAF_TAG_PREFIX.length);
    tag = hash('sha256', message, 'buffer');
    if (cache.size < 4096) {
      cache.set(length, tag);
    }
  }
  return tag;
}

/**
 * Number of 64-byte blocks a version-2 leaf of `length` bytes is padded to: the smallest power of two whose blocks
 * hold it, at least 1.
 */
export function leafBlockCount(length: number): number {
  let blocks = 1;
  while (blocks * 64 < length) {
    blocks *= 2;
  }
  return blocks;
}
