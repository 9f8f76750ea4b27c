import { hashLeaf, NODE_PREFIX, sha256 } from './hash.js';
import { HASH_BYTES, isHashHex } from './hex.js';
import type { InclusionProof } from './inclusion-proof.js';
import type { ImpressionRecord } from './impression-record.js';
import { encodeImpressionRecord } from './record-encoding.js';
import { isMerkleTreeVersion } from './tree-version.js';

/** No tree of at most 2^53 leaves has a longer path; checked first so that a huge array costs nothing. */
const MAX_AUDIT_PATH_LENGTH = 53;

function isProofShape(proof: unknown): proof is InclusionProof {
  if (typeof proof !== 'object' || proof === null) {
    return false;
  }
  const { leafIndex, treeSize, auditPath, version } = proof as Record<string, unknown>;
  return (
    (version === undefined || isMerkleTreeVersion(version)) &&
    typeof treeSize === 'number' &&
    Number.isSafeInteger(treeSize) &&
    treeSize >= 1 &&
    typeof leafIndex === 'number' &&
    Number.isSafeInteger(leafIndex) &&
    leafIndex >= 0 &&
    leafIndex < treeSize &&
    Array.isArray(auditPath) &&
    auditPath.length <= MAX_AUDIT_PATH_LENGTH &&
    auditPath.every(isHashHex)
  );
}

/**
 * Checks an inclusion proof of tree format `proof.version` (absent: 1, RFC 6962; or 2): that the leaf with hash `leafHashHex`, at `proof.leafIndex` in a tree of
 * `proof.treeSize` leaves, recomputes to `rootHex` through `proof.auditPath`.
 *
 * Never throws: any malformed input (a hash that is not 64 lowercase hex characters, a non-integer or negative
 * index or size, `leafIndex ≥ treeSize`, a path that is too short or too long) gives `false`, exactly like a proof
 * that does not match. To tell a malformed proof from a wrong one, parse untrusted input first with
 * {@link parseInclusionProof}, which throws a {@link MerkleInputError} saying what is malformed.
 *
 * @param rootHex - the tree root, e.g. a delivery report's `merkleRoot`.
 * @param leafHashHex - the leaf hash ({@link hashLeaf} of the leaf data) as hex.
 * @param proof - the inclusion proof.
 * @returns `true` only if the proof is well formed and proves the leaf is in the tree.
 * @throws never.
 */
export function verifyInclusion(rootHex: string, leafHashHex: string, proof: InclusionProof): boolean {
  if (!isHashHex(rootHex) || !isHashHex(leafHashHex) || !isProofShape(proof)) {
    return false;
  }
  const prefixBytes = proof.version === 2 ? 0 : 1;
  const input = Buffer.allocUnsafe(prefixBytes + 2 * HASH_BYTES);
  input[0] = NODE_PREFIX;
  let hash: Buffer = Buffer.from(leafHashHex, 'hex');
  let index = proof.leafIndex;
  let lastIndex = proof.treeSize - 1;
  for (const siblingHex of proof.auditPath) {
    if (lastIndex === 0) {
      return false;
    }
    const sibling = Buffer.from(siblingHex, 'hex');
    if (index % 2 === 1 || index === lastIndex) {
      sibling.copy(input, prefixBytes);
      hash.copy(input, prefixBytes + HASH_BYTES);
      if (index % 2 === 0) {
        // The node is the last of its level with no right sibling: it moves up unchanged until it is a right child.
        while (index % 2 === 0 && index !== 0) {
          index /= 2;
          lastIndex = Math.floor(lastIndex / 2);
        }
      }
    } else {
      hash.copy(input, prefixBytes);
      sibling.copy(input, prefixBytes + HASH_BYTES);
    }
    hash = sha256(input);
    index = Math.floor(index / 2);
    lastIndex = Math.floor(lastIndex / 2);
  }
  return lastIndex === 0 && hash.toString('hex') === rootHex;
}

/**
 * {@link verifyInclusion} for an impression record: hashes its canonical encoding as the leaf, in the tree format
 * version the proof names.
 *
 * @param rootHex - the tree root, e.g. a delivery report's `merkleRoot`.
 * @param record - the disputed impression record.
 * @param proof - its inclusion proof.
 * @returns `true` only if the proof is well formed and proves the record is in the tree.
 * @throws {@link MerkleInputError} when the record itself is invalid (it cannot be in any tree of records);
 * a malformed proof or root gives `false`.
 */
export function verifyRecordInclusion(rootHex: string, record: ImpressionRecord, proof: InclusionProof): boolean {
  const encoded = encodeImpressionRecord(record);
  const claimed: unknown = proof;
  const version = typeof claimed === 'object' && claimed !== null && (claimed as InclusionProof).version === 2 ? 2 : 1;
  const leafHash = Buffer.from(hashLeaf(encoded, version)).toString('hex');
  return verifyInclusion(rootHex, leafHash, proof);
}
