import { ValidationError } from './errors.js';

/** Campaign, line item, report, invoice and payment identifiers. */
export const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** Fabric MSP IDs as the consortium registers them. */
export const MSP_ID_PATTERN = /^[A-Za-z0-9.-]{1,64}$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const MERKLE_ROOT_PATTERN = /^[0-9a-f]{64}$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?Z$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `number ${value}`;
  return typeof value;
}

function fail(path: string, reason: string, value: unknown): never {
  throw new ValidationError(`${path} ${reason}, got ${describe(value)}`);
}

/** Parses a JSON argument, converting a syntax error to VALIDATION_FAILED. */
export function parseJsonArgument(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ValidationError(`${what} is not valid JSON`, { cause: err });
  }
}

/** Milliseconds since the epoch of a `YYYY-MM-DD` date, checking that the calendar date exists. */
export function dateToEpochMs(value: string, path: string): number {
  const match = DATE_PATTERN.exec(value);
  if (!match) {
    fail(path, 'must be a date YYYY-MM-DD', value);
  }
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== value) {
    fail(path, 'must be an existing calendar date', value);
  }
  return ms;
}

/** Milliseconds since the epoch of an ISO UTC instant `YYYY-MM-DDTHH:mm:ss[.sss]Z`. */
export function instantToEpochMs(value: string, path: string): number {
  const match = INSTANT_PATTERN.exec(value);
  if (!match) {
    fail(path, 'must be an ISO 8601 UTC instant YYYY-MM-DDTHH:mm:ssZ', value);
  }
  const ms = Date.UTC(
    Number(match[1]),
    Number(match[2]) - 1,
    Number(match[3]),
    Number(match[4]),
    Number(match[5]),
    Number(match[6]),
    Number(match[7] ?? '0'),
  );
  const canonical = new Date(ms).toISOString();
  const given = match[7] === undefined ? value.replace('Z', '.000Z') : value;
  if (canonical !== given) {
    fail(path, 'must be an existing UTC instant', value);
  }
  return ms;
}

/** The `YYYY-MM-DDTHH:mm:ssZ` form (no milliseconds) used for report periods. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The `YYYY-MM-DD` form of a UTC day. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Reads the fields of one untrusted JSON object, each with its rule; {@link FieldReader.done} refuses any field that
 * was not read. Every failure is a {@link ValidationError} naming the field path.
 */
export class FieldReader {
  readonly #source: Record<string, unknown>;
  readonly #path: string;
  readonly #seen = new Set<string>();

  constructor(value: unknown, path: string) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail(path, 'must be a JSON object', value);
    }
    this.#source = value as Record<string, unknown>;
    this.#path = path;
  }

  /** Whether the field is present (not undefined); marks it as known. */
  has(name: string): boolean {
    this.#seen.add(name);
    return this.#source[name] !== undefined;
  }

  /** The raw value of a field; marks it as known. */
  raw(name: string): unknown {
    this.#seen.add(name);
    return this.#source[name];
  }

  /** Full path of a field, for messages. */
  at(name: string): string {
    return `${this.#path}.${name}`;
  }

  string(name: string, min: number, max: number): string {
    const value = this.raw(name);
    if (typeof value !== 'string' || value.length < min || value.length > max) {
      fail(this.at(name), `must be a string of ${min} to ${max} characters`, value);
    }
    return value;
  }

  optionalString(name: string, min: number, max: number): string | undefined {
    return this.has(name) ? this.string(name, min, max) : undefined;
  }

  matching(name: string, pattern: RegExp, what: string): string {
    const value = this.raw(name);
    if (typeof value !== 'string' || !pattern.test(value)) {
      fail(this.at(name), `must be ${what}`, value);
    }
    return value;
  }

  id(name: string): string {
    return this.matching(name, ID_PATTERN, 'an identifier matching [A-Za-z0-9._-]{1,64}');
  }

  mspId(name: string): string {
    return this.matching(name, MSP_ID_PATTERN, 'an MSP ID matching [A-Za-z0-9.-]{1,64}');
  }

  currency(name: string): string {
    return this.matching(name, CURRENCY_PATTERN, 'an ISO 4217 currency code (three upper-case letters)');
  }

  merkleRoot(name: string): string {
    return this.matching(name, MERKLE_ROOT_PATTERN, '64 lowercase hex characters');
  }

  count(name: string, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.raw(name);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
      fail(this.at(name), `must be an integer from 0 to ${max}`, value);
    }
    return value;
  }

  optionalCount(name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
    return this.has(name) ? this.count(name, max) : undefined;
  }

  positive(name: string, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.count(name, max);
    if (value < 1) {
      fail(this.at(name), `must be an integer from 1 to ${max}`, value);
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      fail(this.at(name), `must be one of ${allowed.join(', ')}`, value);
    }
    return value as T;
  }

  optionalOneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    return this.has(name) ? this.oneOf(name, allowed) : undefined;
  }

  date(name: string): string {
    const value = this.string(name, 10, 10);
    dateToEpochMs(value, this.at(name));
    return value;
  }

  optionalDate(name: string): string | undefined {
    return this.has(name) ? this.date(name) : undefined;
  }

  /** An ISO UTC instant, returned without milliseconds when they are zero. */
  instant(name: string): string {
    const value = this.string(name, 1, 64);
    return formatInstant(instantToEpochMs(value, this.at(name)));
  }

  /** An instant with its milliseconds, as written by the chaincode (`toISOString`). */
  timestamp(name: string): string {
    const value = this.string(name, 1, 64);
    instantToEpochMs(value, this.at(name));
    return value;
  }

  optionalTimestamp(name: string): string | undefined {
    return this.has(name) ? this.timestamp(name) : undefined;
  }

  boolean(name: string): boolean {
    const value = this.raw(name);
    if (typeof value !== 'boolean') {
      fail(this.at(name), 'must be a boolean', value);
    }
    return value;
  }

  /** An array whose items are each read by `item`. */
  array<T>(name: string, min: number, max: number, item: (value: unknown, path: string) => T): T[] {
    const value = this.raw(name);
    if (!Array.isArray(value) || value.length < min || value.length > max) {
      fail(this.at(name), `must be an array of ${min} to ${max} items`, value);
    }
    return (value as unknown[]).map((entry, index) => item(entry, `${this.at(name)}[${index}]`));
  }

  /** Refuses every field that no rule read. */
  done(): void {
    for (const key of Object.keys(this.#source).sort()) {
      if (!this.#seen.has(key)) {
        throw new ValidationError(`${this.#path}.${key} is not a known field`);
      }
    }
  }
}

/** A page size argument: 1..200, default 50. */
export function readPageSize(reader: FieldReader): number {
  return reader.has('pageSize') ? reader.positive('pageSize', 200) : 50;
}

/** A version argument given as the decimal string of a positive integer. */
export function parseVersionArgument(text: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(text)) {
    throw new ValidationError(`version must be a positive integer, got ${describe(text)}`);
  }
  return Number(text);
}

/** A count argument given as the decimal string of a non-negative safe integer. */
export function parseCountArgument(text: string, name: string): number {
  const value = /^(0|[1-9][0-9]{0,15})$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) {
    throw new ValidationError(`${name} must be a non-negative safe integer, got ${describe(text)}`);
  }
  return value;
}

/** An identifier argument. */
export function checkId(value: string, name: string): string {
  if (!ID_PATTERN.test(value)) {
    fail(name, 'must be an identifier matching [A-Za-z0-9._-]{1,64}', value);
  }
  return value;
}

/** An MSP ID argument. */
export function checkMspId(value: string, name: string): string {
  if (!MSP_ID_PATTERN.test(value)) {
    fail(name, 'must be an MSP ID matching [A-Za-z0-9.-]{1,64}', value);
  }
  return value;
}
