import type { ReportRow } from '@adrecon/contract';
import type { Invoice } from '../models/invoice.js';
import type { ReconciliationRow } from './reconciliation.js';

export type { ReportRow } from '@adrecon/contract';

/**
 * Spreads each invoice's amount and payments over its rows in chronological order: each row is invoiced its own
 * amount, the last row of the invoice absorbs the rounding difference, and payments fill rows oldest first.
 */
export function allocateInvoiceMoney(
  rows: readonly ReconciliationRow[],
  invoices: readonly Invoice[],
  asOfDate: string,
): ReportRow[] {
  const byInvoice = new Map<string, ReconciliationRow[]>();
  for (const row of rows) {
    if (row.invoiceId !== null) {
      byInvoice.set(row.invoiceId, [...(byInvoice.get(row.invoiceId) ?? []), row]);
    }
  }
  const allocation = new Map<ReconciliationRow, { invoiced: number; paid: number; overdue: boolean }>();
  for (const [invoiceId, invoiceRows] of byInvoice) {
    const invoice = invoices.find((i) => i.invoiceId === invoiceId);
    if (invoice === undefined) continue;
    let invoiceLeft = invoice.amountMicros;
    let paidLeft = invoice.paidMicros;
    invoiceRows.forEach((row, index) => {
      const invoiced = index === invoiceRows.length - 1 ? invoiceLeft : Math.min(row.amountMicros, invoiceLeft);
      invoiceLeft -= invoiced;
      const paid = Math.min(invoiced, paidLeft);
      paidLeft -= paid;
      allocation.set(row, { invoiced, paid, overdue: invoiced > paid && invoice.dueDate < asOfDate });
    });
  }
  return rows.map((row) => {
    const money = allocation.get(row) ?? { invoiced: 0, paid: 0, overdue: false };
    return {
      ...row,
      invoicedMicros: money.invoiced,
      paidMicros: money.paid,
      outstandingMicros: money.invoiced - money.paid,
      overdue: money.overdue,
    };
  });
}
