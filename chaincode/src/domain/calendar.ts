import { dateToEpochMs, instantToEpochMs } from '@adrecon/contract';
import { ValidationError } from '../errors.js';

export { formatDate, formatInstant } from '@adrecon/contract';

/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** The start of the UTC day that holds `ms`. */
export function dayStartOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * Milliseconds since the epoch of a validated `YYYY-MM-DD` date.
 *
 * @throws ValidationError when it is not one (a value that bypassed the contract's schemas).
 */
export function dateMs(value: string, path: string): number {
  const ms = dateToEpochMs(value);
  if (ms === undefined) throw new ValidationError(`${path}: must be an existing calendar date YYYY-MM-DD`);
  return ms;
}

/**
 * Milliseconds since the epoch of a validated UTC instant.
 *
 * @throws ValidationError when it is not one (a value that bypassed the contract's schemas).
 */
export function instantMs(value: string, path: string): number {
  const ms = instantToEpochMs(value);
  if (ms === undefined) throw new ValidationError(`${path}: must be an existing ISO 8601 UTC instant`);
  return ms;
}
