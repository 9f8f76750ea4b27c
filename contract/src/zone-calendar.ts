import { Instant, LocalDate, type ZoneId } from '@js-joda/core';
import { DAY_MS } from './primitives.js';
import { zoneIdOf } from './time-zone.js';

const HOUR_MS = 3_600_000;

const calendars = new Map<string, ZoneCalendar>();

/**
 * The days of one reporting time zone, computed with the tz rules pinned in this package (never the host's ICU data).
 *
 * A day is carried as a *day number in ms*: the epoch ms of that calendar date's midnight in UTC, so that adding
 * `86_400_000` steps one calendar day whatever the zone. {@link ZoneCalendar.startOf} turns it into the instant the
 * day starts in the zone; a day is 23 or 25 hours long at a daylight-saving change.
 */
export class ZoneCalendar {
  /** The IANA name. */
  readonly timeZone: string;
  readonly #zone: ZoneId;

  private constructor(timeZone: string) {
    this.timeZone = timeZone;
    this.#zone = zoneIdOf(timeZone);
  }

  /**
   * The calendar of a known zone (one instance per name).
   *
   * @throws Error for an unknown name (validated by `timeZoneSchema` before it gets here).
   */
  static of(timeZone: string): ZoneCalendar {
    let calendar = calendars.get(timeZone);
    if (calendar === undefined) {
      calendar = new ZoneCalendar(timeZone);
      calendars.set(timeZone, calendar);
    }
    return calendar;
  }

  /** The day (day number in ms) that holds the instant `instantMs` in this zone. */
  dayOf(instantMs: number): number {
    return Instant.ofEpochMilli(instantMs).atZone(this.#zone).toLocalDate().toEpochDay() * DAY_MS;
  }

  /** The instant (epoch ms) the day `dayMs` (day number in ms) starts in this zone. */
  startOf(dayMs: number): number {
    return LocalDate.ofEpochDay(Math.floor(dayMs / DAY_MS))
      .atStartOfDay(this.#zone)
      .toInstant()
      .toEpochMilli();
  }

  /** The length of the day `dayMs` in hours: 24, or 23/25 at a daylight-saving change. */
  hoursOf(dayMs: number): number {
    return (this.startOf(dayMs + DAY_MS) - this.startOf(dayMs)) / HOUR_MS;
  }

  /** Whether `instantMs` starts a whole hour of local time in this zone. */
  isHourStart(instantMs: number): boolean {
    const offsetSeconds = Instant.ofEpochMilli(instantMs).atZone(this.#zone).offset().totalSeconds();
    return (((instantMs + offsetSeconds * 1000) % HOUR_MS) + HOUR_MS) % HOUR_MS === 0;
  }

  /** The UTC offset at `instantMs` in seconds (e.g. -18000 for New York in winter). */
  offsetSecondsAt(instantMs: number): number {
    return Instant.ofEpochMilli(instantMs).atZone(this.#zone).offset().totalSeconds();
  }
}
