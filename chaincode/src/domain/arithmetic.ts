import { InvalidStateError } from '../errors.js';

/**
 * The discrepancy between the two sides' valid counts in basis points: floor(|fp − tp| × 10000 / max(fp, tp)),
 * 0 when both are 0. Computed with BigInt so that no count up to 2^53 − 1 loses precision.
 */
export function discrepancyBps(firstParty: number, thirdParty: number): number {
  const high = Math.max(firstParty, thirdParty);
  if (high === 0) {
    return 0;
  }
  const difference = BigInt(Math.abs(firstParty - thirdParty));
  return Number((difference * 10_000n) / BigInt(high));
}

/**
 * The amount in micros of `impressions` at `cpmMicros` per thousand: impressions × cpmMicros / 1000 rounded half
 * up, in exact integer arithmetic.
 *
 * @throws InvalidStateError when the amount is not a safe integer.
 */
export function amountMicros(impressions: number, cpmMicros: number): number {
  const amount = (BigInt(impressions) * BigInt(cpmMicros) + 500n) / 1000n;
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidStateError(`the amount of ${impressions} impressions at CPM ${cpmMicros} micros is too large`);
  }
  return Number(amount);
}

/** One period offered to the cap: its uncapped billable count, or the count frozen by an invoice. */
export interface CapInput {
  uncapped: number;
  frozen?: number | undefined;
}

/** A period offered to a cap that may change over time: the booked impressions in force on that period. */
export interface DatedCapInput extends CapInput {
  cap: number;
}

/**
 * Applies the line item's cumulative cap. Frozen (invoiced) periods keep their invoiced count and consume the cap
 * first; the other periods, in the given (chronological) order, each get min(uncapped, what is left of the cap).
 *
 * @returns the billable count of each period, in input order.
 */
export function applyCap(cap: number, periods: readonly CapInput[]): number[] {
  return applyDatedCaps(periods.map((period) => ({ ...period, cap })));
}

/**
 * {@link applyCap} when the booking changes over time (amended terms): each open period gets min(uncapped, its own
 * cap − every frozen count − what the earlier open periods took), never below 0. With one cap throughout it is
 * exactly {@link applyCap}.
 *
 * @returns the billable count of each period, in input order.
 */
export function applyDatedCaps(periods: readonly DatedCapInput[]): number[] {
  const frozenTotal = periods.reduce((sum, period) => sum + (period.frozen ?? 0), 0);
  let taken = 0;
  return periods.map((period) => {
    if (period.frozen !== undefined) {
      return period.frozen;
    }
    const billable = Math.max(0, Math.min(period.uncapped, period.cap - frozenTotal - taken));
    taken += billable;
    return billable;
  });
}

/**
 * The amount in micros of days billed at their own prices: Σ billable × cpmMicros / 1000, rounded half up once on
 * the exact total (a single price gives {@link amountMicros}).
 *
 * @throws InvalidStateError when the amount is not a safe integer.
 */
export function amountOfDays(days: readonly { billableImpressions: number; cpmMicros: number }[]): number {
  const total = days.reduce((sum, d) => sum + BigInt(d.billableImpressions) * BigInt(d.cpmMicros), 0n);
  const amount = (total + 500n) / 1000n;
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidStateError(`the amount of ${days.length} days is too large`);
  }
  return Number(amount);
}

/**
 * The share in micros of a flat fee that day `dayIndex` (0-based) of a `flightDays`-day flight bills:
 * floor(fee × (i + 1) / n) − floor(fee × i / n), in exact integer arithmetic. The shares of all days sum to the fee
 * exactly, and two shares never differ by more than one micro.
 *
 * @throws InvalidStateError when the day is not one of the flight's.
 */
export function flatFeeShareMicros(feeMicros: number, flightDays: number, dayIndex: number): number {
  if (!Number.isSafeInteger(flightDays) || flightDays < 1 || dayIndex < 0 || dayIndex >= flightDays) {
    throw new InvalidStateError(`day ${dayIndex} is not one of a ${flightDays}-day flight`);
  }
  const fee = BigInt(feeMicros);
  const n = BigInt(flightDays);
  const i = BigInt(dayIndex);
  return Number((fee * (i + 1n)) / n - (fee * i) / n);
}
