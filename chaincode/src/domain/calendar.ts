import { DAY_MS, ZoneCalendar, dateToEpochMs, instantToEpochMs } from '@adrecon/contract';
import { ValidationError } from '../errors.js';

export { DAY_MS };
export { formatDate, formatInstant } from '@adrecon/contract';

/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;

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

/**
 * The calendar of a campaign's reporting time zone (tz rules pinned in `@adrecon/contract`): days are carried as day
 * numbers in ms (that date's UTC midnight), so `DAY_MS` steps one calendar day; `startOf` gives the instant a day
 * starts in the zone.
 */
export function calendarOf(campaign: { readonly timeZone: string }): ZoneCalendar {
  return ZoneCalendar.of(campaign.timeZone);
}
