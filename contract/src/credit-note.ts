import { actorSchema } from './actor.js';
import { z } from 'zod';
import { CREDIT_NOTE_REASONS, CREDIT_NOTE_STATUSES } from './enums.js';
import { invoiceSchema } from './invoice.js';
import { LIMITS } from './limits.js';
import {
  currencySchema,
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

/** One invoiced day a credit note corrects, and how many of its billed units it takes back. */
export const creditedPeriodSchema = jsonObject({
  /** The start of an invoiced day, as in the invoice's `periods`. */
  periodStart: instantSchema,
  /** Billed units of that day credited back (impressions, or viewable impressions on a vCPM line item). */
  impressions: positiveSchema,
});
/** One credited day. */
export type CreditedPeriod = z.output<typeof creditedPeriodSchema>;

const creditNoteInputShape = {
  creditNoteId: idSchema,
  invoiceId: idSchema,
  reason: z.enum(CREDIT_NOTE_REASONS, rule(`must be one of ${CREDIT_NOTE_REASONS.join(', ')}`)),
  /** Free text for the parties (e.g. the dispute or the invalid-traffic audit it follows). */
  note: textOf(0, LIMITS.reasonLength).optional(),
  periods: z
    .array(creditedPeriodSchema, rule(`must be an array of 1 to ${LIMITS.invoicePeriods} days`))
    .min(1, rule(`must be an array of 1 to ${LIMITS.invoicePeriods} days`))
    .max(LIMITS.invoicePeriods, rule(`must be an array of 1 to ${LIMITS.invoicePeriods} days`))
    .refine((periods) => new Set(periods.map((p) => p.periodStart)).size === periods.length, {
      message: 'must name each day once',
    }),
};

/**
 * What the publisher's finance sends to credit part of an invoice (`billing:IssueCreditNote`): the invoiced days and
 * how many billed units of each it takes back. The chaincode computes the amount; a client never supplies it.
 */
export const creditNoteInputSchema = jsonObject(creditNoteInputShape);
/** A credit note input. */
export type CreditNoteInput = z.output<typeof creditNoteInputSchema>;

/** A credit note as stored: issued against one invoice, never edited except for the buyer's acceptance. */
export const creditNoteSchema = jsonObject({
  ...creditNoteInputShape,
  campaignId: idSchema,
  lineItemId: idSchema,
  publisher: mspIdSchema,
  advertiser: mspIdSchema,
  agency: mspIdSchema,
  currency: currencySchema,
  /** Computed by the chaincode from the invoice's frozen days (see docs/chaincode.md, credit notes). */
  amountMicros: positiveSchema,
  status: z.enum(CREDIT_NOTE_STATUSES, rule(`must be one of ${CREDIT_NOTE_STATUSES.join(', ')}`)),
  issuedAt: timestampSchema,
  issuedBy: actorSchema.optional(),
  txId: txIdSchema,
  acceptedAt: timestampSchema.optional(),
  acceptedByMsp: mspIdSchema.optional(),
  acceptedBy: actorSchema.optional(),
  acceptedTxId: txIdSchema.optional(),
});
/** A stored credit note. */
export type CreditNote = z.output<typeof creditNoteSchema>;

/** The `billing:ListCreditNotes` query. */
export const creditNoteListQuerySchema = jsonObject({ invoiceId: idSchema });

/** The `billing:IssueCreditNote` and `billing:AcceptCreditNote` result: the note and the invoice after it. */
export const creditNoteResultSchema = z.object({ creditNote: creditNoteSchema, invoice: invoiceSchema });
