import { ValidationError } from '../errors.js';
import { DAY_MS, HOUR_MS, dayStartOf, formatInstant, instantMs } from './calendar.js';

/** The length of a report period: a key attribute that separates hourly from daily reports of one day. */
export type Granularity = 'DAY' | 'HOUR';

/**
 * A report period, parsed once: exactly one aligned UTC hour or day. Carries its instants, its granularity and its
 * UTC day so that no one parses the period strings again.
 */
export class ReportPeriod {
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly granularity: Granularity;
  /** The start of the UTC day the period belongs to. */
  readonly dayMs: number;
  /** {@link dayMs} as an instant, `YYYY-MM-DDT00:00:00Z`. */
  readonly day: string;

  private constructor(periodStart: string, periodEnd: string, startMs: number, endMs: number) {
    this.periodStart = periodStart;
    this.periodEnd = periodEnd;
    this.startMs = startMs;
    this.endMs = endMs;
    this.granularity = endMs - startMs === DAY_MS ? 'DAY' : 'HOUR';
    this.dayMs = dayStartOf(startMs);
    this.day = formatInstant(this.dayMs);
  }

  /**
   * Parses a period.
   *
   * @throws ValidationError for a period that is not one aligned UTC hour or day.
   */
  static parse(periodStart: string, periodEnd: string): ReportPeriod {
    const startMs = instantMs(periodStart, 'periodStart');
    const endMs = instantMs(periodEnd, 'periodEnd');
    const lengthMs = endMs - startMs;
    if (lengthMs !== HOUR_MS && lengthMs !== DAY_MS) {
      throw new ValidationError(`period ${periodStart}..${periodEnd} must be exactly one UTC hour or one UTC day`);
    }
    if (startMs % lengthMs !== 0) {
      throw new ValidationError(
        `period ${periodStart}..${periodEnd} must start on a UTC ${lengthMs === HOUR_MS ? 'hour' : 'day'} boundary`,
      );
    }
    return new ReportPeriod(periodStart, periodEnd, startMs, endMs);
  }

  /** The period of a stored report (checked when it was written). */
  static of(report: { periodStart: string; periodEnd: string }): ReportPeriod {
    return ReportPeriod.parse(report.periodStart, report.periodEnd);
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
