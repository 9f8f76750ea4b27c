import { assertImpressionRecord, type ImpressionRecord } from './impression-record.js';

/** First byte of every encoded record: the version of the encoding. A new field means a new version. */
export const RECORD_ENCODING_VERSION = 0x01;

const ABSENT = 0x00;
const PRESENT = 0x01;

/** Upper bound of an encoded record's length in bytes (every field at its longest). */
export const MAX_ENCODED_RECORD_BYTES = 1 + (2 + 128) + (2 + 24) + (2 + 64) + (2 + 64) + 2 * (1 + 2 + 128);

/** Length-prefixed field. Validated fields are ASCII, so each char code is its one UTF-8 byte. */
function writeField(value: string, target: Buffer, offset: number): number {
  const length = value.length;
  target[offset] = length >>> 8;
  target[offset + 1] = length & 0xff;
  const start = offset + 2;
  for (let index = 0; index < length; index++) {
    target[start + index] = value.charCodeAt(index);
  }
  return start + length;
}

function writeOptionalField(value: string | undefined, target: Buffer, offset: number): number {
  if (value === undefined) {
    target[offset] = ABSENT;
    return offset + 1;
  }
  target[offset] = PRESENT;
  return writeField(value, target, offset + 1);
}

/**
 * Writes the canonical encoding of an already validated record into `target` at `offset`.
 * `target` must have at least {@link MAX_ENCODED_RECORD_BYTES} bytes from `offset`.
 *
 * @returns the offset just after the encoding.
 */
export function writeImpressionRecord(record: ImpressionRecord, target: Buffer, offset: number): number {
  target[offset] = RECORD_ENCODING_VERSION;
  let end = writeField(record.impressionId, target, offset + 1);
  end = writeField(record.timestamp, target, end);
  end = writeField(record.campaignId, target, end);
  end = writeField(record.lineItemId, target, end);
  end = writeOptionalField(record.placementId, target, end);
  return writeOptionalField(record.creativeId, target, end);
}

/**
 * Encodes an impression record into its canonical bytes (encoding version 1): the version byte `0x01`, then
 * `impressionId`, `timestamp`, `campaignId` and `lineItemId`, each as a 2-byte big-endian length and its UTF-8
 * bytes, then `placementId` and `creativeId`, each as `0x00` when absent or `0x01`, length and bytes when present.
 *
 * The encoding is a prefix-free concatenation of fields in a fixed order, so two different records never share
 * the same bytes. Properties other than the record's fields are rejected, never ignored.
 *
 * @param record - the impression record.
 * @returns the encoded bytes, the leaf data of the record in a Merkle tree.
 * @throws {@link MerkleInputError} when the record is invalid (see {@link ImpressionRecord}).
 */
export function encodeImpressionRecord(record: ImpressionRecord): Uint8Array {
  assertImpressionRecord(record);
  const scratch = Buffer.allocUnsafe(MAX_ENCODED_RECORD_BYTES);
  const end = writeImpressionRecord(record, scratch, 0);
  return Uint8Array.prototype.slice.call(scratch, 0, end);
}
