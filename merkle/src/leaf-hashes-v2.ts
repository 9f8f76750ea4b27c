import { batchSha256, type BatchSha256 } from './batch-sha256.js';
import { HASH_BYTES } from './hex.js';
import { assertImpressionRecord, type ImpressionRecord } from './impression-record.js';
import { leafBlockCount, leafTag } from './leaf-tag.js';
import { encodedRecordLength, writeCheckedRecord } from './record-writer.js';

const WORDS_PER_HASH = HASH_BYTES / 4;
const tagWords = new Map<number, Uint32Array>();

function tagWordsOf(length: number): Uint32Array {
  let words = tagWords.get(length);
  if (words === undefined) {
    words = new Uint32Array(WORDS_PER_HASH);
    new Uint8Array(words.buffer).set(leafTag(length));
    if (tagWords.size < 4096) {
      tagWords.set(length, words);
    }
  }
  return words;
}

/** log2 of the number of 64-byte blocks a leaf is padded to: leaves of one class are hashed together. */
function classOf(length: number): number {
  return Math.log2(leafBlockCount(length));
}

/**
 * Hashes `count` version-2 leaves with a few batched calls: leaves of one size class (1, 2, 4… blocks) sit
 * zero-padded side by side in one buffer, each level of their block trees is one call, then every leaf's
 * `tag ‖ chunkRoot` message is one more call.
 *
 * @param lengthOf - the byte length of leaf `i` (called once per leaf, in order, before any `write`).
 * @param write - writes leaf `i` into a zeroed slot of `target` at `offset`.
 * @returns the leaf hashes, 32 bytes each, in leaf order.
 */
function hashLeavesV2(
  count: number,
  lengthOf: (index: number) => number,
  write: (index: number, target: Uint8Array, offset: number) => void,
  hasher: BatchSha256,
): Uint8Array {
  const lengths = new Uint32Array(count);
  const classes = new Uint8Array(count);
  const slots = new Uint32Array(count);
  const classCounts: number[] = [];
  for (let index = 0; index < count; index++) {
    const length = lengthOf(index);
    const leafClass = classOf(length);
    lengths[index] = length;
    classes[index] = leafClass;
    const slot = classCounts[leafClass] ?? 0;
    slots[index] = slot;
    classCounts[leafClass] = slot + 1;
  }
  const slotBuffers = classCounts.map((slotCount, leafClass) => new Uint8Array(slotCount * (64 << leafClass)));
  for (let index = 0; index < count; index++) {
    const leafClass = classes[index] ?? 0;
    const buffer = slotBuffers[leafClass];
    if (buffer !== undefined) {
      write(index, buffer, (slots[index] ?? 0) * (64 << leafClass));
    }
  }
  const chunkRoots = slotBuffers.map(
    (blocks, leafClass) => new Uint32Array(reduceBlocks(blocks, leafClass, hasher).buffer),
  );
  const messages = new Uint32Array(count * 2 * WORDS_PER_HASH);
  for (let index = 0; index < count; index++) {
    const tag = tagWordsOf(lengths[index] ?? 0);
    const roots = chunkRoots[classes[index] ?? 0];
    const from = (slots[index] ?? 0) * WORDS_PER_HASH;
    const to = index * 2 * WORDS_PER_HASH;
    for (let word = 0; word < WORDS_PER_HASH; word++) {
      messages[to + word] = tag[word] ?? 0;
      messages[to + WORDS_PER_HASH + word] = roots?.[from + word] ?? 0;
    }
  }
  const leafHashes = new Uint8Array(count * HASH_BYTES);
  hasher.hashPairsInto(new Uint8Array(messages.buffer), leafHashes);
  return leafHashes;
}

/**
 * Hashes every 64-byte block, then pairs of digests, until one digest per slot of `2^leafClass` blocks is left.
 * A slot's digests stay side by side at every level, and its width is a power of two, so pairs never straddle slots.
 */
function reduceBlocks(blocks: Uint8Array, leafClass: number, hasher: BatchSha256): Uint8Array {
  let level = new Uint8Array(blocks.length / 2);
  hasher.hashPairsInto(blocks, level);
  for (let width = 1 << leafClass; width > 1; width /= 2) {
    const next = new Uint8Array(level.length / 2);
    hasher.hashPairsInto(level, next);
    level = next;
  }
  return level;
}

function invalidRecord(record: unknown, index: number): never {
  assertImpressionRecord(record, `records[${index}]`);
  throw new Error(`unreachable: records[${index}] failed the one-pass check but passed validation`);
}

/**
 * Version-2 leaf hashes of raw leaves, batched.
 *
 * @returns the leaf hashes, 32 bytes each, in leaf order.
 */
export function leafHashesOfLeavesV2(leaves: readonly Uint8Array[], hasher: BatchSha256 = batchSha256()): Uint8Array {
  return hashLeavesV2(
    leaves.length,
    (index) => leaves[index]?.length ?? 0,
    (index, target, offset) => {
      const leaf = leaves[index];
      if (leaf !== undefined) {
        target.set(leaf, offset);
      }
    },
    hasher,
  );
}

/**
 * Version-2 leaf hashes of impression records: each record is validated and encoded in one pass straight into its
 * padded slot, then all are hashed in batched calls.
 *
 * @returns the leaf hashes, 32 bytes each, in record order.
 * @throws {@link MerkleInputError} naming the first invalid record, e.g. `records[12].timestamp`.
 */
export function leafHashesOfRecordsV2(
  records: readonly ImpressionRecord[],
  hasher: BatchSha256 = batchSha256(),
): Uint8Array {
  return hashLeavesV2(
    records.length,
    (index) => {
      const length = encodedRecordLength(records[index]);
      return length < 0 ? invalidRecord(records[index], index) : length;
    },
    (index, target, offset) => {
      const record = records[index] as unknown as Readonly<Record<string, unknown>>;
      if (writeCheckedRecord(record, target, offset) < 0) {
        invalidRecord(record, index);
      }
    },
    hasher,
  );
}
