import type { ZoneCalendar } from '@adrecon/contract';
import { ValidationError } from '../errors.js';
import { HOUR_MS, dayStartOf, formatInstant, instantMs } from './calendar.js';

/** The length of a report period: a key attribute that separates hourly from daily reports of one day. */
export type Granularity = 'DAY' | 'HOUR';

/** What a report's keys need of its period: its day's key and its granularity. */
export interface PeriodKey {
  readonly day: string;
  readonly granularity: Granularity;
}

/**
 * A report period, parsed once: exactly one hour or one day of the campaign's time zone (a day is 23 or 25 hours
 * long at a daylight-saving change). Carries its instants, its granularity and its day so that no one parses the
 * period strings again.
 */
export class ReportPeriod {
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly granularity: Granularity;
  /** The day the period belongs to, as a day number in ms (see `ZoneCalendar`). */
  readonly dayMs: number;
  /** The instant that day starts in the campaign's zone (`YYYY-MM-DDT00:00:00Z` in UTC): the day's key. */
  readonly day: string;

  private constructor(
    periodStart: string,
    periodEnd: string,
    startMs: number,
    endMs: number,
    granularity: Granularity,
    dayMs: number,
    dayStartMs: number,
  ) {
    this.periodStart = periodStart;
    this.periodEnd = periodEnd;
    this.startMs = startMs;
    this.endMs = endMs;
    this.granularity = granularity;
    this.dayMs = dayMs;
    this.day = formatInstant(dayStartMs);
  }

  /**
   * Parses a period in the campaign's time zone.
   *
   * @throws ValidationError for a period that is not one hour starting on a whole local hour, nor one local day.
   */
  static parse(periodStart: string, periodEnd: string, calendar: ZoneCalendar): ReportPeriod {
    const startMs = instantMs(periodStart, 'periodStart');
    const endMs = instantMs(periodEnd, 'periodEnd');
    const dayMs = calendar.dayOf(startMs);
    const dayStartMs = calendar.startOf(dayMs);
    if (startMs === dayStartMs && endMs === calendar.startOf(dayMs + 86_400_000)) {
      return new ReportPeriod(periodStart, periodEnd, startMs, endMs, 'DAY', dayMs, dayStartMs);
    }
    if (endMs - startMs === HOUR_MS && calendar.isHourStart(startMs)) {
      return new ReportPeriod(periodStart, periodEnd, startMs, endMs, 'HOUR', dayMs, dayStartMs);
    }
    throw new ValidationError(
      `period ${periodStart}..${periodEnd} must be exactly one hour or one day of the campaign's time zone ${calendar.timeZone}, starting on an hour or day boundary there`,
    );
  }

  /** The period of a stored report (checked when it was written). */
  static of(report: { periodStart: string; periodEnd: string }, calendar: ZoneCalendar): ReportPeriod {
    return ReportPeriod.parse(report.periodStart, report.periodEnd, calendar);
  }

  /**
   * The key parts of a stored report's period without its campaign's zone: its stored `day` (or, for a report stored
   * before time zones, the UTC day of its start) and its granularity (one hour, or a day of 23 to 25 hours).
   */
  static keyOf(report: { periodStart: string; periodEnd: string; day?: string | undefined }): PeriodKey {
    const startMs = instantMs(report.periodStart, 'periodStart');
    const endMs = instantMs(report.periodEnd, 'periodEnd');
    return {
      day: report.day ?? formatInstant(dayStartOf(startMs)),
      granularity: endMs - startMs === HOUR_MS ? 'HOUR' : 'DAY',
    };
  }

  /** The other granularity: the only reports of the same day and side that can clash with this one. */
  get otherGranularity(): Granularity {
    return this.granularity === 'DAY' ? 'HOUR' : 'DAY';
  }

  /** `start..end`, for messages. */
  toString(): string {
    return `${this.periodStart}..${this.periodEnd}`;
  }
}
