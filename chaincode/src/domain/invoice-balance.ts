import type { Invoice, InvoiceStatus } from '@adrecon/contract';

/** What is still owed on an invoice: its amount less the accepted credits and the payments. */
export function outstandingMicros(invoice: Pick<Invoice, 'amountMicros' | 'paidMicros' | 'creditedMicros'>): number {
  return invoice.amountMicros - (invoice.creditedMicros ?? 0) - invoice.paidMicros;
}

/**
 * An invoice's status from its balance: `PAID` once nothing is owed (payments and accepted credits cover the
 * amount), `PARTIALLY_PAID` once a payment arrived, `ISSUED` before.
 */
export function invoiceStatus(invoice: Pick<Invoice, 'amountMicros' | 'paidMicros' | 'creditedMicros'>): InvoiceStatus {
  if (outstandingMicros(invoice) === 0) return 'PAID';
  return invoice.paidMicros > 0 ? 'PARTIALLY_PAID' : 'ISSUED';
}
