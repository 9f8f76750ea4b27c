import { actorSchema } from './actor.js';
import { z } from 'zod';
import { BILLABLE_UNITS, BILLING_BASES, RECONCILIATION_STATUSES } from './enums.js';
import {
  countSchema,
  dateSchema,
  dateToEpochMs,
  idSchema,
  instantSchema,
  instantToEpochMs,
  jsonObject,
  mspIdSchema,
  rule,
} from './primitives.js';
import { resolutionSchema } from './resolution.js';
import { pageQueryShape } from './page.js';
import { timeZoneSchema } from './time-zone.js';

const QUARTER_HOUR_MS = 900_000;

/**
 * A reconciliation day: the instant a day of the campaign's time zone starts (`2026-03-01T00:00:00Z` in UTC,
 * `2026-03-01T05:00:00Z` in America/New_York), as a row's `periodStart` shows it; reconciliation is daily. Every
 * zone's day starts on a quarter hour of UTC; the chaincode checks it against the campaign's zone.
 */
export const dayStartSchema = instantSchema.refine(
  (value) => (instantToEpochMs(value) ?? 1) % QUARTER_HOUR_MS === 0,
  rule("must be the start of a day in the campaign's time zone (reconciliation is daily)"),
);

/** One line item's reconciliation of one UTC day, derived from the reports, the resolution and the invoices. */
export const reconciliationRowSchema = z.object({
  campaignId: idSchema,
  lineItemId: idSchema,
  publisher: mspIdSchema,
  /**
   * The line item's billable unit on the day. With `VIEWABLE_IMPRESSIONS` the first- and third-party counts, the
   * discrepancy, the agreed and the billable counts are viewable impressions; with `FLAT_FEE` the amount is the day's
   * share of the flat fee. Absent in rows of stores that predate units: `IMPRESSIONS`.
   */
  billableUnit: z.enum(BILLABLE_UNITS).optional(),
  /** The campaign's reporting time zone, whose day the row is (absent in rows of stores that predate zones: UTC). */
  timeZone: timeZoneSchema.optional(),
  /** The row's day, `YYYY-MM-DD` in {@link timeZone}; `periodStart`..`periodEnd` are its first and next day's starts. */
  day: dateSchema.optional(),
  periodStart: z.string(),
  periodEnd: z.string(),
  firstPartyImpressions: countSchema.nullable(),
  thirdPartyImpressions: countSchema.nullable(),
  discrepancyBps: countSchema.nullable(),
  status: z.enum(RECONCILIATION_STATUSES),
  agreedImpressions: countSchema.nullable(),
  resolution: resolutionSchema.nullable(),
  billingBasis: z.enum(BILLING_BASES),
  billableImpressions: countSchema,
  /** The price in force on the day (frozen in its invoice once invoiced); 0 for a flat fee. */
  cpmMicros: countSchema,
  amountMicros: countSchema,
  invoiceId: idSchema.nullable(),
  /**
   * A day of an accepted make-good's flight: the units it delivered against the line item's shortfall (the billing
   * source's count, or the agreed one, up to the make-good's impressions), never billed. Absent on other days.
   */
  makeGoodImpressions: countSchema.optional(),
  /** The user who issued the invoice of the day (null when not invoiced, or invoiced before users were recorded). */
  invoicedBy: actorSchema.nullable().default(null),
});
/** One reconciliation row. */
export type ReconciliationRow = z.output<typeof reconciliationRowSchema>;

/** A reconciliation row with the money invoiced and paid against it (the finance report). */
export const reportRowSchema = reconciliationRowSchema.extend({
  invoicedMicros: countSchema,
  /** The row's part of the accepted credit notes against its invoice (absent in stores that predate them: 0). */
  creditedMicros: countSchema.optional(),
  paidMicros: countSchema,
  outstandingMicros: countSchema,
  overdue: z.boolean(),
});
/** One finance report row. */
export type ReportRow = z.output<typeof reportRowSchema>;

/** The finance report: rows, totals and the transaction time it was computed at. */
export const reconciliationReportSchema = z.object({
  rows: z.array(reportRowSchema),
  totals: z.object({
    firstPartyImpressions: countSchema,
    thirdPartyImpressions: countSchema,
    billableImpressions: countSchema,
    amountMicros: countSchema,
    invoicedMicros: countSchema,
    creditedMicros: countSchema.optional(),
    paidMicros: countSchema,
    outstandingMicros: countSchema,
    overdueMicros: countSchema,
  }),
  asOf: z.string(),
  /** Without a campaignId: the bookmark of the next page of the caller's campaigns ('' at the end). */
  bookmark: z.string(),
  /** How many of the caller's campaign index entries this page read (1 with a campaignId). */
  fetchedCount: countSchema,
});

/** An inclusive range of UTC days (`from`, `to` are dates; an instant is refused). */
const dayRangeShape = { from: dateSchema.optional(), to: dateSchema.optional() };

/** The one rule of a day range: `to` is not before `from`. */
export function checkDayRange(
  range: { from?: string | undefined; to?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (range.from !== undefined && range.to !== undefined) {
    if ((dateToEpochMs(range.to) ?? 0) < (dateToEpochMs(range.from) ?? 0)) {
      ctx.addIssue({ code: 'custom', message: 'must not be before from', path: ['to'] });
    }
  }
}

/** The `reconciliation:List` query: one campaign, optionally one line item and a range of days. */
export const reconciliationListQuerySchema = jsonObject({
  campaignId: idSchema,
  lineItemId: idSchema.optional(),
  ...dayRangeShape,
}).superRefine(checkDayRange);

/**
 * The `reconciliation:Report` query: one campaign, or a page of the caller's campaigns (`pageSize` campaigns from
 * `bookmark`), optionally one publisher, one line item and a range of days. With a line item the chaincode reads
 * only that line item's records (the reporting listener's bounded re-read of what a block changed).
 */
export const reportQueryShape = {
  campaignId: idSchema.optional(),
  publisher: mspIdSchema.optional(),
  lineItemId: idSchema.optional(),
  ...dayRangeShape,
  ...pageQueryShape,
};
/** The `reconciliation:Report` query (see {@link reportQueryShape}). */
export const reportQuerySchema = jsonObject(reportQueryShape).superRefine(checkDayRange);
