import { z } from 'zod';
import { LIMITS } from './limits.js';

/** A short description of an offending value for messages (`string "x"`, `number 3`, `null`, `array`). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `number ${value}`;
  return typeof value;
}

/** A zod error option whose message states the rule and the value that broke it. */
export function rule(text: string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => `${text}, got ${describeValue(issue.input)}` };
}

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const MSP_ID_PATTERN = /^[A-Za-z0-9.-]{1,64}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;

const ID_RULE = `an identifier matching [A-Za-z0-9._-]{1,${LIMITS.idLength}}, other than . and ..`;

/**
 * Campaign, line item, report, invoice and payment identifiers: `[A-Za-z0-9._-]{1,64}`, except `.` and `..`
 * (they would name a path segment, not a record, in every URL that carries them).
 */
export const idSchema = z
  .string(rule(`must be ${ID_RULE}`))
  .regex(ID_PATTERN, rule(`must be ${ID_RULE}`))
  .refine((value) => value !== '.' && value !== '..', rule(`must be ${ID_RULE}`));

/** Fabric MSP IDs as the consortium registers them: `[A-Za-z0-9.-]{1,64}`. */
export const mspIdSchema = z
  .string(rule('must be an MSP ID matching [A-Za-z0-9.-]{1,64}'))
  .regex(MSP_ID_PATTERN, rule('must be an MSP ID matching [A-Za-z0-9.-]{1,64}'));

/** An integer from `min` to `max` (at most a safe integer). */
export function integerIn(min: number, max: number): z.ZodInt {
  const message = rule(`must be an integer from ${min} to ${max}`);
  return z.int(message).min(min, message).max(max, message);
}

/** A count or an amount in micros: a non-negative safe integer. */
export const countSchema = integerIn(0, Number.MAX_SAFE_INTEGER);
/** A positive safe integer (payment amounts, tree sizes). */
export const positiveSchema = integerIn(1, Number.MAX_SAFE_INTEGER);

/** A string of `min` to `max` characters. */
export function textOf(min: number, max: number): z.ZodString {
  const message = rule(`must be a string of ${min} to ${max} characters`);
  return z.string(message).min(min, message).max(max, message);
}

/** An ISO 4217 currency code. */
export const currencySchema = z
  .string(rule('must be an ISO 4217 currency code (three upper-case letters)'))
  .regex(/^[A-Z]{3}$/, rule('must be an ISO 4217 currency code (three upper-case letters)'));

/** A SHA-256 hash as 64 lowercase hex characters (Merkle roots and leaf hashes). */
export const hashHexSchema = z
  .string(rule('must be 64 lowercase hex characters'))
  .regex(/^[0-9a-f]{64}$/, rule('must be 64 lowercase hex characters'));

/** A Fabric transaction ID as a record stores it. */
export const txIdSchema = textOf(1, LIMITS.txIdLength);

/** One day in milliseconds (a UTC day: the dates of terms, flights and ranges). */
export const DAY_MS = 86_400_000;

/** Milliseconds since the epoch of a `YYYY-MM-DD` date, or undefined when it is no existing calendar date. */
export function dateToEpochMs(value: string): number | undefined {
  if (!DATE_PATTERN.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00.000Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value ? undefined : ms;
}

/** Milliseconds since the epoch of a `YYYY-MM-DDTHH:mm:ss[.sss]Z` instant, or undefined when it does not exist. */
export function instantToEpochMs(value: string): number | undefined {
  if (!INSTANT_PATTERN.test(value)) return undefined;
  const ms = Date.parse(value);
  const given = value.length === 20 ? value.replace('Z', '.000Z') : value;
  return Number.isNaN(ms) || new Date(ms).toISOString() !== given ? undefined : ms;
}

/** The `YYYY-MM-DDTHH:mm:ssZ` form (milliseconds only when they are not zero) used for periods. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The `YYYY-MM-DD` form of a UTC day. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** An existing UTC calendar date `YYYY-MM-DD`. */
export const dateSchema = z
  .string(rule('must be a date YYYY-MM-DD'))
  .refine((value) => dateToEpochMs(value) !== undefined, rule('must be an existing calendar date YYYY-MM-DD'));

/**
 * An existing UTC instant `YYYY-MM-DDTHH:mm:ssZ` (milliseconds allowed), normalized to drop zero milliseconds,
 * so `2026-03-01T00:00:00.000Z` and `2026-03-01T00:00:00Z` are one period.
 */
export const instantSchema = z
  .string(rule('must be an ISO 8601 UTC instant YYYY-MM-DDTHH:mm:ssZ'))
  .refine(
    (value) => instantToEpochMs(value) !== undefined,
    rule('must be an existing ISO 8601 UTC instant YYYY-MM-DDTHH:mm:ssZ'),
  )
  .transform((value) => formatInstant(Date.parse(value)));

/** An instant with its milliseconds, as the chaincode writes it (`toISOString`). */
export const timestampSchema = z
  .string(rule('must be an ISO 8601 UTC instant'))
  .refine((value) => instantToEpochMs(value) !== undefined, rule('must be an existing ISO 8601 UTC instant'));

/** A page size: 1..200. */
export const pageSizeSchema = integerIn(1, LIMITS.pageSize);

/** A bookmark of a paginated list, as the previous page returned it. */
export const bookmarkSchema = textOf(0, LIMITS.bookmarkLength);

/** A JSON object with exactly these fields (an unknown field is refused). */
export function jsonObject<T extends z.core.$ZodLooseShape>(shape: T): z.ZodObject<T, z.core.$strict> {
  return z.strictObject(shape, rule('must be a JSON object'));
}
