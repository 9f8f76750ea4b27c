import { IMPRESSION_RECORD_FIELDS } from './impression-record.js';
import { RECORD_ENCODING_VERSION } from './record-encoding.js';

const KNOWN_FIELDS = new Set<string>(IMPRESSION_RECORD_FIELDS);
const LEDGER_ID_CHARS = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-') {
  LEDGER_ID_CHARS[char.charCodeAt(0)] = 1;
}

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= max;
}

/**
 * The length of the canonical encoding of `value` when its shape is that of an impression record (an object with
 * only record fields, text fields of allowed lengths), else -1. The characters are checked by
 * {@link writeCheckedRecord}; together the two accept exactly what `isImpressionRecord` accepts.
 */
export function encodedRecordLength(value: unknown): number {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return -1;
  }
  for (const key of Object.keys(value)) {
    if (!KNOWN_FIELDS.has(key)) {
      return -1;
    }
  }
  const { impressionId, timestamp, campaignId, lineItemId, placementId, creativeId } = value as Record<string, unknown>;
  if (
    !isText(impressionId, 128) ||
    typeof timestamp !== 'string' ||
    timestamp.length !== 24 ||
    !isText(campaignId, 64) ||
    !isText(lineItemId, 64)
  ) {
    return -1;
  }
  let length = 1 + 2 + impressionId.length + 2 + 24 + 2 + campaignId.length + 2 + lineItemId.length + 2;
  if (placementId !== undefined) {
    if (!isText(placementId, 128)) {
      return -1;
    }
    length += 2 + placementId.length;
  }
  if (creativeId !== undefined) {
    if (!isText(creativeId, 128)) {
      return -1;
    }
    length += 2 + creativeId.length;
  }
  return length;
}

/** Writes a length-prefixed `[!-~]` field; -1 on a character outside the range. */
function writeLogId(value: string, target: Uint8Array, offset: number): number {
  const length = value.length;
  target[offset] = length >>> 8;
  target[offset + 1] = length & 0xff;
  const start = offset + 2;
  for (let index = 0; index < length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x21 || code > 0x7e) {
      return -1;
    }
    target[start + index] = code;
  }
  return start + length;
}

/** Writes a length-prefixed `[A-Za-z0-9._-]` field; -1 on another character. */
function writeLedgerId(value: string, target: Uint8Array, offset: number): number {
  const length = value.length;
  target[offset] = length >>> 8;
  target[offset + 1] = length & 0xff;
  const start = offset + 2;
  for (let index = 0; index < length; index++) {
    const code = value.charCodeAt(index);
    if (code > 0x7f || LEDGER_ID_CHARS[code] !== 1) {
      return -1;
    }
    target[start + index] = code;
  }
  return start + length;
}

function writeOptionalLogId(value: string | undefined, target: Uint8Array, offset: number): number {
  if (value === undefined) {
    target[offset] = 0x00;
    return offset + 1;
  }
  target[offset] = 0x01;
  return writeLogId(value, target, offset + 1);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The value of the two ASCII digits at `at` (already checked to be digits). */
function twoDigits(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) - 0x30) * 10 + ((bytes[at + 1] ?? 0) - 0x30);
}

const SEPARATORS: (number | undefined)[] = [];
for (const [position, char] of [
  [4, '-'],
  [7, '-'],
  [10, 'T'],
  [13, ':'],
  [16, ':'],
  [19, '.'],
  [23, 'Z'],
] as const) {
  SEPARATORS[position] = char.charCodeAt(0);
}

/** Writes the length-prefixed timestamp; -1 unless it is `YYYY-MM-DDTHH:mm:ss.sssZ` naming a real UTC instant. */
function writeTimestamp(value: string, target: Uint8Array, offset: number): number {
  target[offset] = 0;
  target[offset + 1] = 24;
  const start = offset + 2;
  for (let index = 0; index < 24; index++) {
    const code = value.charCodeAt(index);
    const separator = SEPARATORS[index];
    if (separator === undefined ? !isDigit(code) : code !== separator) {
      return -1;
    }
    target[start + index] = code;
  }
  const year = twoDigits(target, start) * 100 + twoDigits(target, start + 2);
  const month = twoDigits(target, start + 5);
  const day = twoDigits(target, start + 8);
  if (month < 1 || month > 12 || day < 1 || twoDigits(target, start + 11) > 23) {
    return -1;
  }
  if (twoDigits(target, start + 14) > 59 || twoDigits(target, start + 17) > 59) {
    return -1;
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days ? start + 24 : -1;
}

/**
 * Checks the characters of a record that passed {@link encodedRecordLength} while writing its canonical encoding
 * (version 1) into `target` at `offset`: validation and encoding in one pass over the text.
 *
 * @returns the offset just after the encoding, or -1 when a character is not allowed (the bytes written are then
 * meaningless).
 */
export function writeCheckedRecord(
  record: Readonly<Record<string, unknown>>,
  target: Uint8Array,
  offset: number,
): number {
  target[offset] = RECORD_ENCODING_VERSION;
  let end = writeLogId(record.impressionId as string, target, offset + 1);
  end = end < 0 ? end : writeTimestamp(record.timestamp as string, target, end);
  end = end < 0 ? end : writeLedgerId(record.campaignId as string, target, end);
  end = end < 0 ? end : writeLedgerId(record.lineItemId as string, target, end);
  end = end < 0 ? end : writeOptionalLogId(record.placementId as string | undefined, target, end);
  return end < 0 ? end : writeOptionalLogId(record.creativeId as string | undefined, target, end);
}
