import { actorSchema } from './actor.js';
import { z } from 'zod';
import { REPORT_SOURCES } from './enums.js';
import { LIMITS } from './limits.js';
import { pageQueryShape } from './page.js';
import {
  countSchema,
  hashHexSchema,
  idSchema,
  instantSchema,
  jsonObject,
  mspIdSchema,
  rule,
  timestampSchema,
  txIdSchema,
} from './primitives.js';

const reportSourceSchema = z.enum(REPORT_SOURCES, rule(`must be one of ${REPORT_SOURCES.join(', ')}`));

const reportInputShape = {
  reportId: idSchema,
  campaignId: idSchema,
  lineItemId: idSchema,
  periodStart: instantSchema,
  periodEnd: instantSchema,
  impressions: countSchema,
  invalidImpressions: countSchema,
  viewableImpressions: countSchema.optional(),
  recordCount: countSchema.optional(),
  merkleRoot: hashHexSchema.optional(),
};

type ReportCounts = Readonly<{
  impressions: number;
  invalidImpressions: number;
  viewableImpressions?: number | undefined;
  recordCount?: number | undefined;
  merkleRoot?: string | undefined;
}>;

function checkCounts(report: ReportCounts, ctx: z.RefinementCtx): void {
  if (report.invalidImpressions > report.impressions) {
    ctx.addIssue({ code: 'custom', message: 'must not exceed impressions', path: ['invalidImpressions'] });
  }
  if (report.viewableImpressions !== undefined && report.viewableImpressions > report.impressions) {
    ctx.addIssue({ code: 'custom', message: 'must not exceed impressions', path: ['viewableImpressions'] });
  }
  if ((report.recordCount === undefined) !== (report.merkleRoot === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'and merkleRoot must be given together', path: ['recordCount'] });
  }
}

/**
 * One impression batch of one line item and one UTC hour or day, as the reporter sends it (`delivery:Submit`,
 * one item of `delivery:SubmitBatch`). Period alignment and the flight are checked against the campaign by the
 * chaincode.
 */
export const deliveryReportInputSchema = jsonObject(reportInputShape).superRefine(checkCounts);
/** A report input. */
export type DeliveryReportInput = z.output<typeof deliveryReportInputSchema>;

/** A delivery report as stored: the input plus who reported it, as which side, and when. */
export const deliveryReportSchema = jsonObject({
  ...reportInputShape,
  source: reportSourceSchema,
  reporter: mspIdSchema,
  /** The user who reported. */
  reportedBy: actorSchema.optional(),
  reportedAt: timestampSchema,
  txId: txIdSchema,
  /** The reportId of the same reporter's earlier report of the same period that this one restates (replaces). */
  restates: idSchema.optional(),
  /**
   * The instant the report's day starts in the campaign's time zone (the day's key; absent in reports stored before
   * time zones: the UTC day of `periodStart`).
   */
  day: instantSchema.optional(),
}).superRefine(checkCounts);
/** A stored report. */
export type DeliveryReport = z.output<typeof deliveryReportSchema>;

/** The `delivery:SubmitBatch` argument: 1..500 reports of one campaign. */
export const deliveryBatchSchema = z
  .array(deliveryReportInputSchema, rule(`must be an array of 1 to ${LIMITS.batchReports} reports`))
  .min(1, rule(`must be an array of 1 to ${LIMITS.batchReports} reports`))
  .max(LIMITS.batchReports, rule(`must be an array of 1 to ${LIMITS.batchReports} reports`))
  .refine((reports) => reports.every((r) => r.campaignId === reports[0]?.campaignId), {
    message: 'all reports of a batch must belong to one campaign',
  });

/** What `reportById` stores: enough to rebuild the report's key. */
export const reportPointerSchema = jsonObject({
  campaignId: idSchema,
  lineItemId: idSchema,
  periodStart: instantSchema,
  periodEnd: instantSchema,
  source: reportSourceSchema,
  /** The report's `day` (absent in pointers written before time zones). */
  day: instantSchema.optional(),
});
/** A report pointer. */
export type ReportPointer = z.output<typeof reportPointerSchema>;

/** The `delivery:Submit` result: the report and whether this call created it (false: an identical repeat). */
export const submitResultSchema = z.object({ report: deliveryReportSchema, created: z.boolean() });
/** The `delivery:SubmitBatch` result: the reports and how many were new. */
export const submitBatchResultSchema = z.object({ reports: z.array(deliveryReportSchema), created: countSchema });

/** The `delivery:List` query. */
export const deliveryListQuerySchema = jsonObject({
  campaignId: idSchema,
  lineItemId: idSchema.optional(),
  source: reportSourceSchema.optional(),
  ...pageQueryShape,
});
