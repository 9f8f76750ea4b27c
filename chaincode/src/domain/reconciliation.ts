import type { ReconciliationRow, ReconciliationStatus } from '@adrecon/contract';
import { KEY_TYPES } from '../ledger/keys.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Campaign, LineItem } from '../models/campaign.js';
import { parseDeliveryReport, type DeliveryReport } from '../models/delivery-report.js';
import { parseInvoice, type Invoice } from '../models/invoice.js';
import { parseResolution, type Resolution } from '../models/resolution.js';
import { parseInvoiceIndex } from '../ledger/index-entries.js';
import { amountMicros, applyCap, discrepancyBps } from './arithmetic.js';
import { DAY_MS, dateMs, dayStartOf, formatInstant, instantMs } from './calendar.js';

export type { ReconciliationRow, ReconciliationStatus } from '@adrecon/contract';

/** Everything stored about one line item that reconciliation derives from. */
export interface LineItemRecords {
  reports: DeliveryReport[];
  /** Keyed by the day's periodStart. */
  resolutions: Map<string, Resolution>;
  invoices: Invoice[];
}

/** Loads the reports, resolutions and invoices of one line item (all of them: reconciliation is derived). */
export async function loadLineItemRecords(
  ledger: Ledger,
  campaignId: string,
  lineItemId: string,
): Promise<LineItemRecords> {
  const reports = (await ledger.list(KEY_TYPES.report, [campaignId, lineItemId], parseDeliveryReport)).map(
    (e) => e.value,
  );
  const resolutions = new Map(
    (await ledger.list(KEY_TYPES.resolution, [campaignId, lineItemId], parseResolution)).map((e) => [
      e.value.periodStart,
      e.value,
    ]),
  );
  return { reports, resolutions, invoices: await loadInvoices(ledger, campaignId, lineItemId) };
}

/**
 * Loads the invoices of one line item: a range over its `invoiceByLineItem` index, which only invoice issuance writes
 * to, then a point read per invoice.
 */
export async function loadInvoices(ledger: Ledger, campaignId: string, lineItemId: string): Promise<Invoice[]> {
  const invoices: Invoice[] = [];
  for (const entry of await ledger.list(KEY_TYPES.invoiceByLineItem, [campaignId, lineItemId], parseInvoiceIndex)) {
    const invoice = await ledger.get(KEY_TYPES.invoice, [entry.value], parseInvoice);
    if (invoice !== undefined) {
      invoices.push(invoice);
    }
  }
  return invoices;
}

/** The invoice whose date range covers the UTC day starting at `dayMs`, if any. */
export function invoiceCovering(invoices: readonly Invoice[], dayMs: number): Invoice | undefined {
  return invoices.find(
    (invoice) => dayMs >= dateMs(invoice.periodStart, 'periodStart') && dayMs <= dateMs(invoice.periodEnd, 'periodEnd'),
  );
}

function validCount(reports: readonly DeliveryReport[]): number | null {
  if (reports.length === 0) {
    return null;
  }
  return reports.reduce((sum, r) => sum + (r.impressions - r.invalidImpressions), 0);
}

interface DayFigures {
  dayMs: number;
  firstParty: number | null;
  thirdParty: number | null;
  discrepancy: number | null;
  status: ReconciliationStatus;
  resolution: Resolution | null;
  uncapped: number;
  invoice: Invoice | undefined;
}

function figuresOfDay(
  campaign: Campaign,
  dayMs: number,
  reports: readonly DeliveryReport[],
  records: LineItemRecords,
): DayFigures {
  const firstParty = validCount(reports.filter((r) => r.source === 'FIRST_PARTY'));
  const thirdParty = validCount(reports.filter((r) => r.source === 'THIRD_PARTY'));
  const resolution = records.resolutions.get(formatInstant(dayMs)) ?? null;
  const invoice = invoiceCovering(records.invoices, dayMs);
  if (firstParty === null || thirdParty === null) {
    return { dayMs, firstParty, thirdParty, discrepancy: null, status: 'PENDING', resolution, uncapped: 0, invoice };
  }
  const discrepancy = discrepancyBps(firstParty, thirdParty);
  let status: ReconciliationStatus;
  let uncapped = 0;
  if (resolution?.status === 'ACCEPTED') {
    status = 'RESOLVED';
    uncapped = resolution.agreedImpressions;
  } else if (discrepancy <= campaign.discrepancyToleranceBps) {
    status = 'WITHIN_TOLERANCE';
    uncapped = campaign.billingSource === 'THIRD_PARTY' ? thirdParty : firstParty;
  } else {
    status = 'DISPUTED';
  }
  return { dayMs, firstParty, thirdParty, discrepancy, status, resolution, uncapped, invoice };
}

/**
 * Derives the reconciliation rows of a line item, one per UTC day with at least one report, in chronological
 * order. Reports of one side for one day are summed. Billable counts are capped cumulatively by
 * {@link applyCap}: invoiced days keep the count frozen in their invoice.
 */
export function deriveRows(campaign: Campaign, lineItem: LineItem, records: LineItemRecords): ReconciliationRow[] {
  const byDay = new Map<number, DeliveryReport[]>();
  for (const report of records.reports) {
    const dayMs = dayStartOf(instantMs(report.periodStart, 'periodStart'));
    const list = byDay.get(dayMs) ?? [];
    list.push(report);
    byDay.set(dayMs, list);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const figures = days.map((dayMs) => figuresOfDay(campaign, dayMs, byDay.get(dayMs) ?? [], records));
  const billable = applyCap(
    lineItem.bookedImpressions,
    figures.map((f) => {
      const periodStart = formatInstant(f.dayMs);
      const frozen = f.invoice?.periods.find((p) => p.periodStart === periodStart)?.billableImpressions;
      return { uncapped: f.uncapped, frozen: f.invoice === undefined ? undefined : (frozen ?? 0) };
    }),
  );
  return figures.map((f, index) => {
    const billableImpressions = billable[index] ?? 0;
    return {
      campaignId: campaign.campaignId,
      lineItemId: lineItem.lineItemId,
      publisher: lineItem.publisher,
      periodStart: formatInstant(f.dayMs),
      periodEnd: formatInstant(f.dayMs + DAY_MS),
      firstPartyImpressions: f.firstParty,
      thirdPartyImpressions: f.thirdParty,
      discrepancyBps: f.discrepancy,
      status: f.status,
      agreedImpressions: f.resolution?.status === 'ACCEPTED' ? f.resolution.agreedImpressions : null,
      resolution: f.resolution,
      billableImpressions,
      amountMicros: amountMicros(billableImpressions, f.invoice?.cpmMicros ?? lineItem.cpmMicros),
      invoiceId: f.invoice?.invoiceId ?? null,
    };
  });
}
