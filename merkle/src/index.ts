/**
 * SHA-256 Merkle roots and inclusion proofs of log-level impression records: RFC 6962 (tree format version 1) and
 * the batched format version 2. See `docs/merkle.md`.
 *
 * @packageDocumentation
 */
export { auditPathLength, parseInclusionProof, type InclusionProof } from './inclusion-proof.js';
export { hashLeaf, hashNode } from './hash.js';
export { IMPRESSION_RECORD_FIELDS, parseImpressionRecord, type ImpressionRecord } from './impression-record.js';
export { MerkleInputError, type MerkleInputErrorOptions } from './merkle-input-error.js';
export { EMPTY_MERKLE_ROOT, merkleRoot, merkleRootOfRecords } from './merkle-root.js';
export { MerkleTree } from './merkle-tree.js';
export { encodeImpressionRecord, MAX_ENCODED_RECORD_BYTES, RECORD_ENCODING_VERSION } from './record-encoding.js';
export { verifyInclusion, verifyRecordInclusion } from './verify-inclusion.js';
export { batchSha256, nodeCryptoBatchSha256, type BatchSha256 } from './batch-sha256.js';
export {
  DEFAULT_MERKLE_TREE_VERSION,
  MERKLE_TREE_VERSIONS,
  type MerkleTreeOptions,
  type MerkleTreeVersion,
} from './tree-version.js';
