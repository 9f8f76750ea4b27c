import { ZoneRulesProvider } from '@js-joda/core';
import { hash } from 'node:crypto';
import { z } from 'zod';
import { countSchema, instantSchema, jsonObject } from './primitives.js';
import { timeZoneSchema } from './time-zone.js';
import { ZoneCalendar } from './zone-calendar.js';

/** Instants just after a daylight-saving change, each with its zone: the probes {@link timeZoneRules} reports. */
export const TIME_ZONE_PROBES = [
  { timeZone: 'America/New_York', instant: '2026-03-08T07:00:00Z' },
  { timeZone: 'America/New_York', instant: '2026-11-01T06:00:00Z' },
  { timeZone: 'Europe/Berlin', instant: '2026-03-29T01:00:00Z' },
  { timeZone: 'Europe/Berlin', instant: '2026-10-25T01:00:00Z' },
] as const;

/** One probe's answer: the UTC offsets one second before and at the instant, in seconds. */
export const timeZoneProbeSchema = jsonObject({
  timeZone: timeZoneSchema,
  instant: instantSchema,
  offsetBeforeSeconds: z.number().int(),
  offsetAfterSeconds: z.number().int(),
});

/**
 * The `campaigns:TimeZoneRules` result: the version of the tz database this build computes days with, the SHA-256 of
 * that database as packaged, the number of names it knows and the offsets around known daylight-saving changes. Equal
 * answers from every organization's chaincode server show that all of them compute the same days.
 */
export const timeZoneRulesSchema = jsonObject({
  tzdbVersion: z.string().min(1),
  rulesSha256: z.string().regex(/^[0-9a-f]{64}$/),
  zoneNames: countSchema,
  probes: z.array(timeZoneProbeSchema),
});
/** The tz rules a build uses. */
export type TimeZoneRules = z.output<typeof timeZoneRulesSchema>;

interface PackedTzdb {
  readonly version: string;
}

/** The tz rules this package pins (see {@link timeZoneRulesSchema}); the same on every host. */
export function timeZoneRules(): TimeZoneRules {
  // The typings omit getTzdbData, which @js-joda/timezone installs on the provider.
  const data = (ZoneRulesProvider as unknown as { getTzdbData(): PackedTzdb }).getTzdbData();
  return {
    tzdbVersion: data.version,
    rulesSha256: hash('sha256', JSON.stringify(data)),
    zoneNames: ZoneRulesProvider.getAvailableZoneIds().length,
    probes: TIME_ZONE_PROBES.map(({ timeZone, instant }) => {
      const calendar = ZoneCalendar.of(timeZone);
      const ms = Date.parse(instant);
      return {
        timeZone,
        instant,
        offsetBeforeSeconds: calendar.offsetSecondsAt(ms - 1000),
        offsetAfterSeconds: calendar.offsetSecondsAt(ms),
      };
    }),
  };
}
