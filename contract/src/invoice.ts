import { actorSchema } from './actor.js';
import { z } from 'zod';
import { BILLABLE_UNITS, INVOICE_STATUSES } from './enums.js';
import { LIMITS } from './limits.js';
import { pageQueryShape } from './page.js';
import {
  countSchema,
  currencySchema,
  dateSchema,
  dateToEpochMs,
  idSchema,
  instantSchema,
  jsonObject,
  mspIdSchema,
  positiveSchema,
  rule,
  textOf,
  timestampSchema,
  txIdSchema,
} from './primitives.js';

const invoiceInputShape = {
  invoiceId: idSchema,
  campaignId: idSchema,
  lineItemId: idSchema,
  periodStart: dateSchema,
  periodEnd: dateSchema,
};

function checkPeriod(value: { periodStart: string; periodEnd: string }, ctx: z.RefinementCtx): void {
  if ((dateToEpochMs(value.periodEnd) ?? 0) < (dateToEpochMs(value.periodStart) ?? 0)) {
    ctx.addIssue({ code: 'custom', message: 'must not be before periodStart', path: ['periodEnd'] });
  }
}

const invoiceStatusSchema = z.enum(INVOICE_STATUSES, rule(`must be one of ${INVOICE_STATUSES.join(', ')}`));

/** What the publisher sends to invoice a line item for a range of days, inclusive (`billing:IssueInvoice`). */
export const invoiceInputSchema = jsonObject(invoiceInputShape).superRefine(checkPeriod);
/** An invoice input. */
export type InvoiceInput = z.output<typeof invoiceInputSchema>;

/**
 * The billable impressions of one reconciled day frozen into an invoice, and the price in force on that day
 * (`cpmMicros`; absent in invoices that predate versioned terms: the invoice's `cpmMicros`).
 */
export const invoicePeriodSchema = jsonObject({
  periodStart: instantSchema,
  billableImpressions: countSchema,
  cpmMicros: countSchema.optional(),
  /** A flat-fee day: its share of the flat fee, frozen (absent for CPM and vCPM days: billable × cpmMicros / 1000). */
  amountMicros: countSchema.optional(),
});
/** One invoiced day. */
export type InvoicePeriod = z.output<typeof invoicePeriodSchema>;

/** An invoice as stored. The amount is computed by the chaincode, never sent by a client. */
export const invoiceSchema = jsonObject({
  ...invoiceInputShape,
  publisher: mspIdSchema,
  advertiser: mspIdSchema,
  agency: mspIdSchema,
  currency: currencySchema,
  /** The line item's billable unit (absent in invoices issued before units existed: `IMPRESSIONS`). */
  billableUnit: z.enum(BILLABLE_UNITS).optional(),
  cpmMicros: countSchema,
  billableImpressions: countSchema,
  periods: z.array(invoicePeriodSchema).min(1).max(LIMITS.invoicePeriods),
  amountMicros: countSchema,
  paidMicros: countSchema,
  /**
   * Σ of the accepted credit notes against the invoice (absent: none). The invoice's amount and days never change; a
   * credit reduces what is owed: outstanding = amountMicros − creditedMicros − paidMicros.
   */
  creditedMicros: countSchema.optional(),
  status: invoiceStatusSchema,
  issuedAt: timestampSchema,
  /** The user who issued the invoice. */
  issuedBy: actorSchema.optional(),
  dueDate: dateSchema,
  txId: txIdSchema,
}).superRefine(checkPeriod);
/** A stored invoice. */
export type Invoice = z.output<typeof invoiceSchema>;

/** The `billing:ListInvoices` query. */
export const invoiceListQuerySchema = jsonObject({
  campaignId: idSchema.optional(),
  status: invoiceStatusSchema.optional(),
  ...pageQueryShape,
});

/** What the advertiser or agency sends to record a payment (`billing:RecordPayment`). */
export const paymentInputSchema = jsonObject({
  paymentId: idSchema,
  invoiceId: idSchema,
  amountMicros: positiveSchema,
  reference: textOf(1, LIMITS.referenceLength),
});
/** A payment input. */
export type PaymentInput = z.output<typeof paymentInputSchema>;

/** A payment as stored; immutable once written. */
export const paymentSchema = paymentInputSchema.extend({
  paidBy: mspIdSchema,
  /** The user who recorded the payment. */
  recordedBy: actorSchema.optional(),
  paidAt: timestampSchema,
  txId: txIdSchema,
});
/** A stored payment. */
export type Payment = z.output<typeof paymentSchema>;

/** The `billing:RecordPayment` result. */
export const paymentResultSchema = z.object({ payment: paymentSchema, invoice: invoiceSchema });

/** The `billing:ListPayments` query. */
export const paymentListQuerySchema = jsonObject({ invoiceId: idSchema });
