import { InvalidStateError, ValidationError } from '../errors.js';
import type { LineItem } from '../models/campaign.js';
import { dateToEpochMs, formatInstant, instantToEpochMs } from '../validation.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The UTC day (start instant, `YYYY-MM-DDT00:00:00Z`) a period belongs to. */
export function dayStartOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** A report period in milliseconds. */
export interface Period {
  startMs: number;
  endMs: number;
  lengthMs: number;
}

/**
 * Checks that a report period is exactly one aligned UTC hour or day, inside the line item's flight.
 *
 * @throws ValidationError for a period that is not one aligned hour or day; InvalidStateError outside the flight.
 */
export function checkReportPeriod(periodStart: string, periodEnd: string, lineItem: LineItem): Period {
  const startMs = instantToEpochMs(periodStart, 'periodStart');
  const endMs = instantToEpochMs(periodEnd, 'periodEnd');
  const lengthMs = endMs - startMs;
  if (lengthMs !== HOUR_MS && lengthMs !== DAY_MS) {
    throw new ValidationError(`period ${periodStart}..${periodEnd} must be exactly one UTC hour or one UTC day`);
  }
  if (startMs % lengthMs !== 0) {
    throw new ValidationError(
      `period ${periodStart}..${periodEnd} must start on a UTC ${lengthMs === HOUR_MS ? 'hour' : 'day'} boundary`,
    );
  }
  const flightStartMs = dateToEpochMs(lineItem.flightStart, 'flightStart');
  const flightEndMs = dateToEpochMs(lineItem.flightEnd, 'flightEnd') + DAY_MS;
  if (startMs < flightStartMs || endMs > flightEndMs) {
    throw new InvalidStateError(
      `period ${periodStart}..${periodEnd} is outside the flight ${lineItem.flightStart}..${lineItem.flightEnd} of line item ${lineItem.lineItemId}`,
    );
  }
  return { startMs, endMs, lengthMs };
}

/**
 * Parses a reconciliation period argument: the start of a UTC day as an instant (`2026-03-01T00:00:00Z`).
 *
 * @throws ValidationError otherwise.
 */
export function parseDayStart(periodStart: string): string {
  const ms = instantToEpochMs(periodStart, 'periodStart');
  if (ms % DAY_MS !== 0) {
    throw new ValidationError(`periodStart ${periodStart} must be the start of a UTC day (reconciliation is daily)`);
  }
  return formatInstant(ms);
}
