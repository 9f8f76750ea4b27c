import { describeValue, isHashHex } from './hex.js';
import { MerkleInputError } from './merkle-input-error.js';
import { isMerkleTreeVersion, type MerkleTreeVersion } from './tree-version.js';

/**
 * An RFC 6962 inclusion proof (audit path) of one leaf in a tree, in the JSON shape the ledger and the REST API use.
 */
export interface InclusionProof {
  /** Zero-based position of the leaf in the tree. */
  readonly leafIndex: number;
  /** Number of leaves in the tree (the report's `recordCount`). */
  readonly treeSize: number;
  /** Sibling hashes from the leaf up to the root, each 64 lowercase hex characters (RFC 6962 PATH order). */
  readonly auditPath: readonly string[];
  /** Tree format version; absent means 1 (RFC 6962), so every proof written before versions existed keeps its meaning. */
  readonly version?: MerkleTreeVersion | undefined;
}

const PROOF_FIELDS = new Set(['leafIndex', 'treeSize', 'auditPath', 'version']);

/**
 * Number of hashes in the audit path of leaf `leafIndex` in a tree of `treeSize` leaves: one per level where the
 * leaf's ancestor has a sibling.
 *
 * @param leafIndex - zero-based leaf position, below `treeSize`.
 * @param treeSize - number of leaves, at least 1.
 * @returns the path length, between 0 and ceil(log2(treeSize)).
 * @throws {@link MerkleInputError} when the arguments are not integers with 0 ≤ leafIndex < treeSize.
 */
export function auditPathLength(leafIndex: number, treeSize: number): number {
  if (!Number.isSafeInteger(treeSize) || treeSize < 1) {
    throw new MerkleInputError({ field: 'treeSize', reason: `must be a positive safe integer, got ${treeSize}` });
  }
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) {
    throw new MerkleInputError({
      field: 'leafIndex',
      reason: `must be an integer from 0 to treeSize - 1 (${treeSize - 1}), got ${leafIndex}`,
    });
  }
  let length = 0;
  let index = leafIndex;
  let size = treeSize;
  while (size > 1) {
    if (index % 2 === 1 || index + 1 < size) {
      length++;
    }
    index = Math.floor(index / 2);
    size = Math.ceil(size / 2);
  }
  return length;
}

function fail(field: string, reason: string): never {
  throw new MerkleInputError({ field, reason });
}

/**
 * Validates untrusted input (e.g. the parsed JSON of a dispute) as an {@link InclusionProof}.
 *
 * Checks the shape (`leafIndex`, `treeSize`, `auditPath`, optional `version`), that `version` is absent, 1 or 2,
 * that `treeSize` is a positive safe integer,
 * that `0 ≤ leafIndex < treeSize`, that every path entry is 64 lowercase hex characters, and that the path has
 * exactly the length the index and size imply. It cannot check the hashes themselves: that is
 * {@link verifyInclusion}'s job.
 *
 * @param value - the candidate proof.
 * @returns a new proof object with a copy of the path.
 * @throws {@link MerkleInputError} naming the first bad field, e.g. `proof.auditPath[2]`.
 */
export function parseInclusionProof(value: unknown): InclusionProof {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('proof', `must be an object with leafIndex, treeSize and auditPath, got ${describeValue(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!PROOF_FIELDS.has(key)) {
      fail(`proof.${key}`, 'is not a field of an inclusion proof (allowed: leafIndex, treeSize, auditPath, version)');
    }
  }
  const { leafIndex, treeSize, auditPath, version } = value as Record<string, unknown>;
  if (version !== undefined && !isMerkleTreeVersion(version)) {
    fail('proof.version', `must be 1 or 2 when present, got ${describeValue(version)}`);
  }
  if (typeof treeSize !== 'number' || !Number.isSafeInteger(treeSize) || treeSize < 1) {
    fail('proof.treeSize', `must be a positive safe integer, got ${describeValue(treeSize)}`);
  }
  if (typeof leafIndex !== 'number' || !Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) {
    fail(
      'proof.leafIndex',
      `must be an integer from 0 to treeSize - 1 (${treeSize - 1}), got ${describeValue(leafIndex)}`,
    );
  }
  if (!Array.isArray(auditPath)) {
    fail('proof.auditPath', `must be an array of 64-character lowercase hex hashes, got ${describeValue(auditPath)}`);
  }
  const path = auditPath as unknown[];
  const expected = auditPathLength(leafIndex, treeSize);
  if (path.length !== expected) {
    fail(
      'proof.auditPath',
      `must hold ${expected} hashes for leaf ${leafIndex} of a tree of ${treeSize}, got ${path.length}`,
    );
  }
  const entries = path.map((entry, position) => {
    if (!isHashHex(entry)) {
      fail(`proof.auditPath[${position}]`, `must be 64 lowercase hex characters, got ${describeValue(entry)}`);
    }
    return entry;
  });
  return version === undefined
    ? { leafIndex, treeSize, auditPath: entries }
    : { leafIndex, treeSize, auditPath: entries, version };
}
