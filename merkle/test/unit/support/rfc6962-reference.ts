import { largestPowerOfTwoBelow, sha256 } from './reference-hashing.js';

/**
 * A literal, recursive transcription of the RFC 6962 §2.1 definitions (MTH and PATH), hashing with `createHash`
 * so that it shares no code with the package under test. Slow by design; only for tests.
 */
/** RFC 6962 MTH(D[n]). */
export function referenceRoot(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) {
    return sha256();
  }
  if (leaves.length === 1) {
    return sha256(Buffer.from([0x00]), leaves[0]!);
  }
  const k = largestPowerOfTwoBelow(leaves.length);
  return sha256(Buffer.from([0x01]), referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

/** RFC 6962 PATH(m, D[n]). */
export function referencePath(m: number, leaves: readonly Uint8Array[]): Buffer[] {
  if (leaves.length <= 1) {
    return [];
  }
  const k = largestPowerOfTwoBelow(leaves.length);
  if (m < k) {
    return [...referencePath(m, leaves.slice(0, k)), referenceRoot(leaves.slice(k))];
  }
  return [...referencePath(m - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

/** SHA-256(0x00 || leaf), written out independently of the package. */
export function referenceLeafHash(leaf: Uint8Array): Buffer {
  return sha256(Buffer.from([0x00]), leaf);
}
