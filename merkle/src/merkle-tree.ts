import { HASH_BYTES } from './hex.js';
import type { ImpressionRecord } from './impression-record.js';
import type { InclusionProof } from './inclusion-proof.js';
import { MerkleInputError } from './merkle-input-error.js';
import { EMPTY_MERKLE_ROOT } from './merkle-root.js';
import { leafHashesOfLeaves, leafHashesOfRecords, levelsOf } from './tree-levels.js';

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

  private constructor(leafHashes: Buffer, size: number) {
    this.#leafHashes = leafHashes;
    this.#size = size;
    this.#levels = size === 0 ? [] : levelsOf(leafHashes, size);
    const top = this.#levels[this.#levels.length - 1];
    this.#root = top === undefined ? EMPTY_MERKLE_ROOT : top.toString('hex', 0, HASH_BYTES);
  }

  /**
   * Builds the tree of raw leaves.
   *
   * @param leaves - the leaf data, in tree order.
   * @returns the tree.
   * @throws never: any list of byte strings makes a tree.
   */
  static fromLeaves(leaves: readonly Uint8Array[]): MerkleTree {
    return new MerkleTree(leafHashesOfLeaves(leaves), leaves.length);
  }

  /**
   * Builds the tree of impression records (leaves are their canonical encodings).
   *
   * @param records - the records, in the order the reporter keeps them.
   * @returns the tree; its root equals {@link merkleRootOfRecords} of the same records.
   * @throws {@link MerkleInputError} when a record is invalid; its `field` names it, e.g. `records[12].timestamp`.
   */
  static fromRecords(records: readonly ImpressionRecord[]): MerkleTree {
    return new MerkleTree(leafHashesOfRecords(records), records.length);
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
   * @returns the proof; {@link verifyInclusion} accepts it against {@link MerkleTree.root}.
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
    return { leafIndex: index, treeSize: this.#size, auditPath };
  }
}
