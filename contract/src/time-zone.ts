import { ZoneId, ZoneRulesProvider } from '@js-joda/core';
import '@js-joda/timezone';
import { z } from 'zod';
import { rule } from './primitives.js';

/** The reporting time zone of a campaign that names none. */
export const DEFAULT_TIME_ZONE = 'UTC';

/** The longest IANA time-zone name accepted (the longest in the database is 32 characters). */
const TIME_ZONE_NAME_LENGTH = 64;

let knownNames: ReadonlySet<string> | undefined;

/**
 * Whether `name` is a time-zone name of the IANA database pinned in this package (`@js-joda/timezone`, exact
 * version): a zone or a link such as `America/New_York` or `UTC`. Fixed offsets (`+05:00`) are not names.
 */
export function isKnownTimeZone(name: string): boolean {
  knownNames ??= new Set(ZoneRulesProvider.getAvailableZoneIds());
  return knownNames.has(name);
}

/**
 * The zone of a name this package knows.
 *
 * @throws Error for a name {@link isKnownTimeZone} refuses (callers validate with {@link timeZoneSchema} first).
 */
export function zoneIdOf(name: string): ZoneId {
  if (!isKnownTimeZone(name)) throw new Error(`unknown time zone ${name}`);
  return ZoneId.of(name);
}

/** A campaign's reporting time zone: an IANA name of the pinned database. */
export const timeZoneSchema = z
  .string(rule('must be an IANA time-zone name such as America/New_York'))
  .max(TIME_ZONE_NAME_LENGTH, rule(`must be at most ${TIME_ZONE_NAME_LENGTH} characters`))
  .refine(isKnownTimeZone, rule('must be an IANA time-zone name of the pinned tz database (e.g. America/New_York)'));
