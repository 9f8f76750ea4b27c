import { InvalidStateError } from '../errors.js';

/**
 * The shortfall of a line item that ended with `delivered` of `booked` units: booked − delivered, when it is more
 * than `thresholdBps` of the booking ((booked − delivered) × 10000 > booked × thresholdBps, in exact arithmetic).
 *
 * @throws InvalidStateError when the line item is not under-delivered beyond the threshold.
 */
export function shortfallBeyond(booked: number, delivered: number, thresholdBps: number): number {
  const shortfall = booked - delivered;
  if (shortfall <= 0 || BigInt(shortfall) * 10_000n <= BigInt(booked) * BigInt(thresholdBps)) {
    throw new InvalidStateError(
      `the line item delivered ${delivered} of ${booked} booked units: not under-delivered by more than ${thresholdBps} bps, no make-good is due`,
    );
  }
  return shortfall;
}

/**
 * Counts make-good delivery against a make-good's impressions: the days' counts in chronological order, each taking
 * at most what is left of `impressions`.
 *
 * @returns the counted units of each day, in input order.
 */
export function countAgainst(impressions: number, counts: readonly number[]): number[] {
  let left = impressions;
  return counts.map((count) => {
    const counted = Math.min(count, left);
    left -= counted;
    return counted;
  });
}
