import { HASH_BYTES } from './hex.js';
import type { ImpressionRecord } from './impression-record.js';
import type { InclusionProof } from './inclusion-proof.js';
import { MerkleInputError } from './merkle-input-error.js';
import { EMPTY_MERKLE_ROOT } from './merkle-root.js';
import { leafHashesOfLeavesV2, leafHashesOfRecordsV2 } from './leaf-hashes-v2.js';
import { leafHashesOfLeaves, leafHashesOfRecords, levelsOf } from './tree-levels.js';
import { levelsOfV2 } from './tree-levels-v2.js';
import { resolveTreeVersion, type MerkleTreeOptions, type MerkleTreeVersion } from './tree-version.js';

/**
 * An RFC 6962 Merkle tree built once from its leaves, kept in memory to hand out inclusion proofs. A publisher or
 * agency builds one from the records behind a delivery report, puts {@link MerkleTree.root} on the ledger, and
 * later answers a dispute with {@link MerkleTree.proof}.
 *
 * Memory: every level is kept, about 64 bytes per leaf.
 */
export class MerkleTree {
  readonly #leafHashes: Buffer;
  readonly #levels: readonly Buffer[];
  readonly #size: number;
  readonly #root: string;
  readonly #version: MerkleTreeVersion;

  private constructor(leafHashes: Uint8Array, size: number, version: MerkleTreeVersion) {
    this.#leafHashes = Buffer.from(leafHashes.buffer, leafHashes.byteOffset, leafHashes.length);
    this.#size = size;
    this.#version = version;
    if (size === 0) {
      this.#levels = [];
    } else {
      this.#levels = version === 2 ? levelsOfV2(leafHashes, size) : levelsOf(this.#leafHashes, size);
    }
    const top = this.#levels[this.#levels.length - 1];
    this.#root = top === undefined ? EMPTY_MERKLE_ROOT : top.toString('hex', 0, HASH_BYTES);
  }

  /**
   * Builds the tree of raw leaves.
   *
   * @param leaves - the leaf data, in tree order.
   * @param options - the tree format version (1 by default).
   * @returns the tree.
   * @throws {@link MerkleInputError} when `options.version` is neither 1 nor 2; any list of byte strings makes a tree.
   */
  static fromLeaves(leaves: readonly Uint8Array[], options?: Readonly<MerkleTreeOptions>): MerkleTree {
    const version = resolveTreeVersion(options);
    const leafHashes = version === 2 ? leafHashesOfLeavesV2(leaves) : leafHashesOfLeaves(leaves);
    return new MerkleTree(leafHashes, leaves.length, version);
  }

  /**
   * Builds the tree of impression records (leaves are their canonical encodings).
   *
   * @param records - the records, in the order the reporter keeps them.
   * @param options - the tree format version (1 by default; 2 is several times faster).
   * @returns the tree; its root equals {@link merkleRootOfRecords} of the same records and version.
   * @throws {@link MerkleInputError} when a record is invalid; its `field` names it, e.g. `records[12].timestamp`;
   * or when `options.version` is neither 1 nor 2.
   */
  static fromRecords(records: readonly ImpressionRecord[], options?: Readonly<MerkleTreeOptions>): MerkleTree {
    const version = resolveTreeVersion(options);
    const leafHashes = version === 2 ? leafHashesOfRecordsV2(records) : leafHashesOfRecords(records);
    return new MerkleTree(leafHashes, records.length, version);
  }

  /** The tree format version the tree was built in; its proofs carry it (version 1 proofs leave it out). */
  get version(): MerkleTreeVersion {
    return this.#version;
  }

  /** Number of leaves (the report's `recordCount`). */
  get size(): number {
    return this.#size;
  }

  /** The root as 64 lowercase hex characters ({@link EMPTY_MERKLE_ROOT} for an empty tree). */
  get root(): string {
    return this.#root;
  }

  #checkIndex(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.#size) {
      throw new MerkleInputError({
        field: 'index',
        reason: `must be an integer from 0 to ${this.#size - 1} (tree of ${this.#size} leaves), got ${index}`,
      });
    }
  }

  /**
   * The leaf hash at a position.
   *
   * @param index - zero-based leaf position.
   * @returns the leaf hash as 64 lowercase hex characters.
   * @throws {@link MerkleInputError} when `index` is not an integer in `[0, size)`.
   */
  leafHash(index: number): string {
    this.#checkIndex(index);
    return this.#leafHashes.toString('hex', index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }

  /**
   * The RFC 6962 inclusion proof (audit path) of a leaf.
   *
   * @param index - zero-based leaf position.
   * @returns the proof, with `version` for a version-2 tree; {@link verifyInclusion} accepts it against
   * {@link MerkleTree.root}.
   * @throws {@link MerkleInputError} when `index` is not an integer in `[0, size)`.
   */
  proof(index: number): InclusionProof {
    this.#checkIndex(index);
    const auditPath: string[] = [];
    let position = index;
    let count = this.#size;
    for (const level of this.#levels) {
      if (count === 1) {
        break;
      }
      const sibling = position % 2 === 1 ? position - 1 : position + 1;
      if (sibling < count) {
        auditPath.push(level.toString('hex', sibling * HASH_BYTES, (sibling + 1) * HASH_BYTES));
      }
      position = Math.floor(position / 2);
      count = Math.ceil(count / 2);
    }
    const proof = { leafIndex: index, treeSize: this.#size, auditPath };
    return this.#version === 1 ? proof : { ...proof, version: this.#version };
  }
}
