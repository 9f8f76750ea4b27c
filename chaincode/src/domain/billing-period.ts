import { InvalidStateError } from '../errors.js';
import { amountOfDays } from './arithmetic.js';
import { billableUnitOf, flatFeeOfDay } from './billable-count.js';
import { DAY_MS, formatDate, instantMs } from './calendar.js';
import { isBillable, reportingWindowPassed, type ReconciliationRow } from './reconciliation.js';
import type { TermsSchedule } from './terms-schedule.js';
import type { LineItem } from '../models/campaign.js';

/** How many blocking days a refusal names before it says "and N more". */
const NAMED_DAYS = 10;

/**
 * An invoice's billing period: whole days of the campaign's time zone from `startMs` to `endMs` (its last day), as
 * day numbers in ms, inclusive.
 */
export interface BillingPeriod {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The rows an invoice of `period` bills, checked against the one invoicing rule: the period has ended at `asOfMs`
 * (the transaction time), and every flight day inside it (by the terms in force on that day, up to a cancellation) is
 * billable: reconciled (WITHIN_TOLERANCE, RESOLVED), or
 * past its reporting window (billed on the only side's count, or on nothing when neither side reported).
 *
 * @returns the rows of the period's days, chronological.
 * @throws InvalidStateError when the period has not ended, holds no flight day or no reported day, or naming the
 * days that block it.
 */
export function rowsToInvoice(
  schedule: TermsSchedule,
  lineItem: LineItem,
  rows: readonly ReconciliationRow[],
  period: BillingPeriod,
  asOfMs: number,
): ReconciliationRow[] {
  const label = `${formatDate(period.startMs)}..${formatDate(period.endMs)}`;
  if (asOfMs < schedule.calendar.startOf(period.endMs + DAY_MS)) {
    throw new InvalidStateError(`the billing period ${label} has not ended; invoice only periods that have ended`);
  }
  const hull = schedule.flightHull(lineItem.lineItemId);
  const firstMs = Math.max(period.startMs, hull?.firstMs ?? Infinity);
  const lastMs = Math.min(period.endMs, hull?.lastMs ?? -Infinity);
  if (firstMs > lastMs) {
    throw new InvalidStateError(
      `the billing period ${label} holds no day of the flight of line item ${lineItem.lineItemId}`,
    );
  }
  const byDay = new Map(rows.map((r) => [schedule.calendar.dayOf(instantMs(r.periodStart, 'periodStart')), r]));
  const blocking: string[] = [];
  const billed: ReconciliationRow[] = [];
  for (let dayMs = firstMs; dayMs <= lastMs; dayMs += DAY_MS) {
    if (schedule.lineItemOn(lineItem.lineItemId, dayMs) === undefined) continue;
    const row = byDay.get(dayMs);
    if (row === undefined) {
      if (!reportingWindowPassed(schedule.on(dayMs), dayMs, asOfMs)) {
        blocking.push(`${formatDate(dayMs)} (no report)`);
      }
    } else if (isBillable(row)) {
      billed.push(row);
    } else {
      blocking.push(`${formatDate(dayMs)} (${row.status})`);
    }
  }
  if (blocking.length > 0) {
    const more = blocking.length > NAMED_DAYS ? ` and ${blocking.length - NAMED_DAYS} more` : '';
    throw new InvalidStateError(
      `every flight day of an invoice must be reconciled or past its reporting window; blocking: ${blocking.slice(0, NAMED_DAYS).join(', ')}${more}`,
    );
  }
  if (billed.length === 0) {
    throw new InvalidStateError(`line item ${lineItem.lineItemId} has no reported day in ${label}`);
  }
  return billed;
}

/**
 * The amount of an invoice of `period` whose billed days are `rows` (from {@link rowsToInvoice}): Σ billable ×
 * cpmMicros / 1000 rounded once ({@link amountOfDays}) for CPM and vCPM; for a `FLAT_FEE` line item, the shares of
 * the fee of every flight day in the period ({@link flatFeeOfDay}, by the terms in force on each day), reported or
 * not: a sponsorship is owed for its days once they are reconciled or past their reporting window.
 */
export function invoiceAmount(
  schedule: TermsSchedule,
  lineItem: LineItem,
  rows: readonly ReconciliationRow[],
  period: BillingPeriod,
): number {
  if (billableUnitOf(lineItem) !== 'FLAT_FEE') {
    return amountOfDays(rows);
  }
  let total = 0;
  for (let dayMs = period.startMs; dayMs <= period.endMs; dayMs += DAY_MS) {
    const inForce = schedule.lineItemOn(lineItem.lineItemId, dayMs);
    if (inForce !== undefined) total += flatFeeOfDay(inForce, dayMs);
  }
  return total;
}
