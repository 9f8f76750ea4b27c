import { createHash } from 'node:crypto';

/**
 * Helpers of the literal reference transcriptions (RFC 6962 and tree format version 2): they hash with `createHash`
 * one message at a time, so that they share no code with the package under test.
 */

/** SHA-256 of the concatenation of `parts`. */
export function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part);
  }
  return hash.digest();
}

/** The largest power of two strictly below `n` (n ≥ 2), where both definitions split a tree. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) {
    k *= 2;
  }
  return k;
}
