import {
  ZoneCalendar,
  billableUnitOf,
  formatDate,
  type CreditNote,
  type Invoice,
  type Payment,
} from '@adrecon/contract';
import { z } from 'zod';

/**
 * What the document says of its own field names: the IAB Digital Advertising Invoice API specification (2025,
 * Seller Invoice API, drafted from Mediaocean Prisma's seller invoice API) could not be read from here, so none of
 * the names below is claimed to be the specification's. docs/api.md maps each field to its source.
 */
export const IAB_SPECIFICATION_NOTE = {
  specification: 'IAB Digital Advertising Invoice API Specifications (2025): Seller Invoice API',
  fieldNamesVerified: false,
  mapping: 'docs/api.md, "The IAB seller-invoice document"',
} as const;

const moneySchema = z.string().regex(/^-?\d+\.\d{6}$/);
const txIdSchema = z.string();

/** One invoiced day as a document line. */
const lineSchema = z.object({
  lineNumber: z.number().int().positive(),
  /** `DELIVERY`: one invoiced day; `ADJUSTMENT`: what the days' own amounts leave of the invoice's amount. */
  lineType: z.enum(['DELIVERY', 'ADJUSTMENT']),
  placementId: z.string(),
  serviceDate: z.string(),
  unitType: z.enum(['CPM', 'VCPM', 'FLAT_FEE']),
  quantity: z.number().int().nonnegative(),
  rate: moneySchema,
  amount: moneySchema,
});

/** A credit note as a credit memo against the invoice. */
const creditMemoSchema = z.object({
  invoiceType: z.literal('Credit Memo'),
  creditMemoNumber: z.string(),
  originalInvoiceId: z.string(),
  reason: z.string(),
  amount: moneySchema,
  status: z.string(),
  issueTransactionId: txIdSchema,
  acceptTransactionId: txIdSchema.nullable(),
});

/** A payment recorded against the invoice. */
const paymentSchema = z.object({
  paymentId: z.string(),
  reference: z.string(),
  amount: moneySchema,
  paidAt: z.string(),
  transactionId: txIdSchema,
});

/** The seller-invoice document of one invoice (see {@link iabSellerInvoice}). */
export const iabSellerInvoiceSchema = z.object({
  about: z.object({
    specification: z.string(),
    fieldNamesVerified: z.literal(false),
    mapping: z.string(),
  }),
  invoiceType: z.literal('Invoice'),
  invoiceNumber: z.string(),
  invoiceDate: z.string(),
  dueDate: z.string(),
  currency: z.string(),
  seller: z.object({ id: z.string() }),
  buyer: z.object({ advertiserId: z.string(), agencyId: z.string() }),
  campaignId: z.string(),
  timeZone: z.string(),
  servicePeriodStart: z.string(),
  servicePeriodEnd: z.string(),
  lines: z.array(lineSchema),
  grossAmount: moneySchema,
  creditedAmount: moneySchema,
  paidAmount: moneySchema,
  balanceDue: moneySchema,
  status: z.string(),
  creditMemos: z.array(creditMemoSchema),
  payments: z.array(paymentSchema),
  ledger: z.object({
    invoiceKey: z.string(),
    issueTransactionId: txIdSchema,
    transactionIds: z.array(txIdSchema),
  }),
});
/** A seller-invoice document. */
export type IabSellerInvoice = z.output<typeof iabSellerInvoiceSchema>;

const MICROS = 1_000_000n;

/** Exact decimal text of an amount in micros: `31700000` → `31.700000` (no floating point). */
export function microsToDecimal(micros: number): string {
  const value = BigInt(micros);
  return `${(value / MICROS).toString()}.${(value % MICROS).toString().padStart(6, '0')}`;
}

function amountOfLine(decimal: string): number {
  return Number(decimal.replace('.', ''));
}

const UNIT_TYPES = { IMPRESSIONS: 'CPM', VIEWABLE_IMPRESSIONS: 'VCPM', FLAT_FEE: 'FLAT_FEE' } as const;

/**
 * An invoice as a seller-invoice document: header, one line per invoiced day (in the campaign's time zone), its
 * accepted and pending credit notes as credit memos, its payments, and the ledger transaction IDs that wrote each.
 * Amounts are exact decimal strings of the currency unit (6 decimals, from integer micros); `balanceDue` = amount −
 * accepted credits − payments.
 */
export function iabSellerInvoice(
  invoice: Invoice,
  timeZone: string,
  creditNotes: readonly CreditNote[],
  payments: readonly Payment[],
): IabSellerInvoice {
  const calendar = ZoneCalendar.of(timeZone);
  const unit = billableUnitOf(invoice);
  const credited = invoice.creditedMicros ?? 0;
  const lines = invoice.periods.map((period, index): z.output<typeof lineSchema> => {
    const cpmMicros = period.cpmMicros ?? invoice.cpmMicros;
    const amountMicros =
      period.amountMicros ?? Number((BigInt(period.billableImpressions) * BigInt(cpmMicros) + 500n) / 1000n);
    return {
      lineNumber: index + 1,
      lineType: 'DELIVERY',
      placementId: invoice.lineItemId,
      serviceDate: formatDate(calendar.dayOf(Date.parse(period.periodStart))),
      unitType: UNIT_TYPES[unit],
      quantity: period.billableImpressions,
      rate: microsToDecimal(unit === 'FLAT_FEE' ? amountMicros : cpmMicros),
      amount: microsToDecimal(amountMicros),
    };
  });
  // A CPM invoice rounds its total once, not each day; a flat-fee invoice also bills its unreported flight days.
  const adjustment = invoice.amountMicros - lines.reduce((sum, line) => sum + amountOfLine(line.amount), 0);
  if (adjustment !== 0) {
    lines.push({
      lineNumber: lines.length + 1,
      lineType: 'ADJUSTMENT',
      placementId: invoice.lineItemId,
      serviceDate: invoice.periodEnd,
      unitType: UNIT_TYPES[unit],
      quantity: 0,
      rate: microsToDecimal(0),
      amount: adjustment < 0 ? `-${microsToDecimal(-adjustment)}` : microsToDecimal(adjustment),
    });
  }
  const memos = [...creditNotes]
    .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.creditNoteId.localeCompare(b.creditNoteId))
    .map((note) => ({
      invoiceType: 'Credit Memo' as const,
      creditMemoNumber: note.creditNoteId,
      originalInvoiceId: invoice.invoiceId,
      reason: note.reason,
      amount: microsToDecimal(note.amountMicros),
      status: note.status,
      issueTransactionId: note.txId,
      acceptTransactionId: note.acceptedTxId ?? null,
    }));
  const paid = [...payments]
    .sort((a, b) => a.paidAt.localeCompare(b.paidAt) || a.paymentId.localeCompare(b.paymentId))
    .map((payment) => ({
      paymentId: payment.paymentId,
      reference: payment.reference,
      amount: microsToDecimal(payment.amountMicros),
      paidAt: payment.paidAt,
      transactionId: payment.txId,
    }));
  return {
    about: { ...IAB_SPECIFICATION_NOTE },
    invoiceType: 'Invoice',
    invoiceNumber: invoice.invoiceId,
    invoiceDate: formatDate(calendar.dayOf(Date.parse(invoice.issuedAt))),
    dueDate: invoice.dueDate,
    currency: invoice.currency,
    seller: { id: invoice.publisher },
    buyer: { advertiserId: invoice.advertiser, agencyId: invoice.agency },
    campaignId: invoice.campaignId,
    timeZone,
    servicePeriodStart: invoice.periodStart,
    servicePeriodEnd: invoice.periodEnd,
    lines,
    grossAmount: microsToDecimal(invoice.amountMicros),
    creditedAmount: microsToDecimal(credited),
    paidAmount: microsToDecimal(invoice.paidMicros),
    balanceDue: microsToDecimal(invoice.amountMicros - credited - invoice.paidMicros),
    status: invoice.status,
    creditMemos: memos,
    payments: paid,
    ledger: {
      invoiceKey: invoice.invoiceId,
      issueTransactionId: invoice.txId,
      transactionIds: [
        invoice.txId,
        ...memos.flatMap((m) => [
          m.issueTransactionId,
          ...(m.acceptTransactionId === null ? [] : [m.acceptTransactionId]),
        ]),
        ...paid.map((p) => p.transactionId),
      ],
    },
  };
}
