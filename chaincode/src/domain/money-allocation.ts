import type { ReportRow } from '@adrecon/contract';
import type { Invoice } from '../models/invoice.js';
import type { ReconciliationRow } from './reconciliation.js';

export type { ReportRow } from '@adrecon/contract';

/**
 * Spreads each invoice's amount, payments and accepted credits over its rows in chronological order: each row is
 * invoiced its own amount, the last row of the invoice absorbs the rounding difference, payments fill rows oldest
 * first, then the credits fill what the payments left, oldest first (outstanding = invoiced − paid − credited).
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
  const allocation = new Map<
    ReconciliationRow,
    { invoiced: number; credited: number; paid: number; overdue: boolean }
  >();
  for (const [invoiceId, invoiceRows] of byInvoice) {
    const invoice = invoices.find((i) => i.invoiceId === invoiceId);
    if (invoice === undefined) continue;
    let invoiceLeft = invoice.amountMicros;
    let paidLeft = invoice.paidMicros;
    let creditLeft = invoice.creditedMicros ?? 0;
    invoiceRows.forEach((row, index) => {
      const invoiced = index === invoiceRows.length - 1 ? invoiceLeft : Math.min(row.amountMicros, invoiceLeft);
      invoiceLeft -= invoiced;
      const paid = Math.min(invoiced, paidLeft);
      paidLeft -= paid;
      const credited = Math.min(invoiced - paid, creditLeft);
      creditLeft -= credited;
      const overdue = invoiced > paid + credited && invoice.dueDate < asOfDate;
      allocation.set(row, { invoiced, credited, paid, overdue });
    });
  }
  return rows.map((row) => {
    const money = allocation.get(row) ?? { invoiced: 0, credited: 0, paid: 0, overdue: false };
    return {
      ...row,
      invoicedMicros: money.invoiced,
      creditedMicros: money.credited,
      paidMicros: money.paid,
      outstandingMicros: money.invoiced - money.paid - money.credited,
      overdue: money.overdue,
    };
  });
}
