import { describeValue } from './hex.js';
import { MerkleInputError } from './merkle-input-error.js';

/**
 * One log-level impression as an ad server records it. Records stay off-chain; only the Merkle root of a batch
 * of them goes on the ledger with the delivery report.
 *
 * Every text field is printable ASCII, so its UTF-8 encoding is one byte per character and needs no Unicode
 * normalisation. See `docs/merkle.md` for the byte encoding.
 */
export interface ImpressionRecord {
  /** The ad server's unique ID of the impression: 1 to 128 printable ASCII characters, no spaces. */
  readonly impressionId: string;
  /** When the impression was served, ISO 8601 in UTC with milliseconds: `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  readonly timestamp: string;
  /** The campaign (insertion order): `[A-Za-z0-9._-]{1,64}`, as on the ledger. */
  readonly campaignId: string;
  /** The line item of the campaign: `[A-Za-z0-9._-]{1,64}`, as on the ledger. */
  readonly lineItemId: string;
  /** The publisher's placement (ad slot) ID, when logged: 1 to 128 printable ASCII characters, no spaces. */
  readonly placementId?: string | undefined;
  /** The creative served, when logged: 1 to 128 printable ASCII characters, no spaces. */
  readonly creativeId?: string | undefined;
}

/** The fields of an {@link ImpressionRecord}, in encoding order. */
export const IMPRESSION_RECORD_FIELDS = [
  'impressionId',
  'timestamp',
  'campaignId',
  'lineItemId',
  'placementId',
  'creativeId',
] as const;

const KNOWN_FIELDS = new Set<string>(IMPRESSION_RECORD_FIELDS);
const MAX_LEDGER_ID_LENGTH = 64;
const MAX_LOG_ID_LENGTH = 128;

function fail(field: string, reason: string): never {
  throw new MerkleInputError({ field, reason });
}

function isLedgerIdChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x2e || // .
    code === 0x5f || // _
    code === 0x2d // -
  );
}

/** `[A-Za-z0-9._-]{1,64}`, the ledger's identifier pattern (char codes: this runs once per record). */
function isLedgerId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LEDGER_ID_LENGTH) {
    return false;
  }
  for (let index = 0; index < value.length; index++) {
    if (!isLedgerIdChar(value.charCodeAt(index))) {
      return false;
    }
  }
  return true;
}

/** `[!-~]{1,128}`: printable ASCII without space. */
function isLogId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LOG_ID_LENGTH) {
    return false;
  }
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x21 || code > 0x7e) {
      return false;
    }
  }
  return true;
}

/** The number written by the ASCII digits of `value` in `[from, to)`, or -1 if one is not a digit. */
function digits(value: string, from: number, to: number): number {
  let result = 0;
  for (let index = from; index < to; index++) {
    const digit = value.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) {
      return -1;
    }
    result = result * 10 + digit;
  }
  return result;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ` naming a real UTC instant (what `Date.prototype.toISOString` writes for years 0-9999). */
function isUtcTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 24) {
    return false;
  }
  for (const [position, separator] of TIMESTAMP_SEPARATORS) {
    if (value.charCodeAt(position) !== separator) {
      return false;
    }
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  const hour = digits(value, 11, 13);
  const minute = digits(value, 14, 16);
  const second = digits(value, 17, 19);
  const millisecond = digits(value, 20, 23);
  return (
    year >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59 &&
    millisecond >= 0
  );
}

const TIMESTAMP_SEPARATORS: readonly (readonly [number, number])[] = [
  [4, 0x2d], // -
  [7, 0x2d], // -
  [10, 0x54], // T
  [13, 0x3a], // :
  [16, 0x3a], // :
  [19, 0x2e], // .
  [23, 0x5a], // Z
];

function checkText(value: unknown, field: string, isValid: (text: unknown) => boolean, rule: string): void {
  if (!isValid(value)) {
    fail(field, `must be ${rule}, got ${describeValue(value)}`);
  }
}

const LEDGER_ID_RULE = 'an identifier matching [A-Za-z0-9._-]{1,64}';
const LOG_ID_RULE = '1 to 128 printable ASCII characters without spaces';

function isOptionalLogId(value: unknown): boolean {
  return value === undefined || isLogId(value);
}

/**
 * True when `value` is a valid {@link ImpressionRecord} with no other own properties. The fast path of
 * {@link assertImpressionRecord}: it builds no error text.
 */
export function isImpressionRecord(value: unknown): value is ImpressionRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  for (const key of Object.keys(value)) {
    if (!KNOWN_FIELDS.has(key)) {
      return false;
    }
  }
  const { impressionId, timestamp, campaignId, lineItemId, placementId, creativeId } = value as Record<string, unknown>;
  return (
    isLogId(impressionId) &&
    isUtcTimestamp(timestamp) &&
    isLedgerId(campaignId) &&
    isLedgerId(lineItemId) &&
    isOptionalLogId(placementId) &&
    isOptionalLogId(creativeId)
  );
}

/**
 * Checks that `value` is a valid {@link ImpressionRecord} and has no other own properties.
 *
 * @param value - the candidate record.
 * @param path - the name of the value in error messages, e.g. `records[3]`; a function when it is costly to build.
 * @throws {@link MerkleInputError} naming the first bad field.
 */
export function assertImpressionRecord(
  value: unknown,
  path: string | (() => string) = 'record',
): asserts value is ImpressionRecord {
  if (isImpressionRecord(value)) {
    return;
  }
  diagnoseImpressionRecord(value, typeof path === 'string' ? path : path());
}

function diagnoseImpressionRecord(value: unknown, path: string): never {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `must be an object, got ${describeValue(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!KNOWN_FIELDS.has(key)) {
      fail(
        `${path}.${key}`,
        `is not a field of an impression record (allowed: ${IMPRESSION_RECORD_FIELDS.join(', ')})`,
      );
    }
  }
  const { impressionId, timestamp, campaignId, lineItemId, placementId, creativeId } = value as Record<string, unknown>;
  checkText(impressionId, `${path}.impressionId`, isLogId, LOG_ID_RULE);
  if (!isUtcTimestamp(timestamp)) {
    fail(
      `${path}.timestamp`,
      `must be an ISO 8601 UTC timestamp with milliseconds (YYYY-MM-DDTHH:mm:ss.sssZ), got ${describeValue(timestamp)}`,
    );
  }
  checkText(campaignId, `${path}.campaignId`, isLedgerId, LEDGER_ID_RULE);
  checkText(lineItemId, `${path}.lineItemId`, isLedgerId, LEDGER_ID_RULE);
  checkText(placementId, `${path}.placementId`, isOptionalLogId, `absent or ${LOG_ID_RULE}`);
  checkText(creativeId, `${path}.creativeId`, isOptionalLogId, `absent or ${LOG_ID_RULE}`);
  throw new Error(`unreachable: ${path} failed validation without a diagnosis`);
}

/**
 * Validates an untrusted value (e.g. parsed JSON from a dispute) and returns it as a fresh
 * {@link ImpressionRecord} holding only the record's fields.
 *
 * @param value - the candidate record.
 * @returns a new record object; optional fields that were absent or `undefined` are left out.
 * @throws {@link MerkleInputError} when `value` is not an object, has an unknown property, or a field is missing
 * or malformed.
 */
export function parseImpressionRecord(value: unknown): ImpressionRecord {
  assertImpressionRecord(value);
  const { impressionId, timestamp, campaignId, lineItemId, placementId, creativeId } = value;
  return {
    impressionId,
    timestamp,
    campaignId,
    lineItemId,
    ...(placementId === undefined ? {} : { placementId }),
    ...(creativeId === undefined ? {} : { creativeId }),
  };
}
