import type { BillableUnit, BillingBasis, ReconciliationRow, ReconciliationStatus } from '@adrecon/contract';
import { KEY_TYPES } from '../ledger/keys.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Campaign, LineItem } from '../models/campaign.js';
import { parseDeliveryReport, type DeliveryReport } from '../models/delivery-report.js';
import { parseInvoice, type Invoice } from '../models/invoice.js';
import { parseResolution, type Resolution } from '../models/resolution.js';
import { parseMakeGood, type MakeGood } from '../models/make-good.js';
import { countAgainst } from './make-good-rules.js';
import { Flight } from './flight.js';
import { parseInvoiceIndex } from '../ledger/index-entries.js';
import { amountMicros, applyDatedCaps, discrepancyBps } from './arithmetic.js';
import { billableUnitOf, countInUnit, flatFeeOfDay } from './billable-count.js';
import type { TermsSchedule } from './terms-schedule.js';
import { DAY_MS, calendarOf, dateMs, formatDate, formatInstant, instantMs } from './calendar.js';

export type { ReconciliationRow, ReconciliationStatus } from '@adrecon/contract';

/** Everything stored about one line item that reconciliation derives from. */
export interface LineItemRecords {
  /** The reports in force: one per side and period (the latest restatement), from the count keys. */
  reports: DeliveryReport[];
  /** Keyed by the day's periodStart. */
  resolutions: Map<string, Resolution>;
  invoices: Invoice[];
  /** The line item's accepted make-goods. */
  makeGoods: MakeGood[];
}

/**
 * Loads the counts in force, resolutions and invoices of one line item (reconciliation is derived). Bounded: one
 * count per side and hour or day of the flight, whose length is bounded by the contract.
 */
export async function loadLineItemRecords(
  ledger: Ledger,
  campaignId: string,
  lineItemId: string,
): Promise<LineItemRecords> {
  const reports = (await ledger.list(KEY_TYPES.count, [campaignId, lineItemId], parseDeliveryReport)).map(
    (e) => e.value,
  );
  const resolutions = new Map(
    (await ledger.list(KEY_TYPES.resolution, [campaignId, lineItemId], parseResolution)).map((e) => [
      e.value.periodStart,
      e.value,
    ]),
  );
  const makeGoods = (await ledger.list(KEY_TYPES.makeGood, [campaignId, lineItemId], parseMakeGood))
    .map((e) => e.value)
    .filter((m) => m.status === 'ACCEPTED');
  return { reports, resolutions, invoices: await loadInvoices(ledger, campaignId, lineItemId), makeGoods };
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

/** The accepted make-good whose extended flight holds the day `dayMs` (a day number in ms), if any. */
export function makeGoodOn(makeGoods: readonly MakeGood[], dayMs: number): MakeGood | undefined {
  return makeGoods.find((m) => new Flight(m).contains(dayMs, dayMs + DAY_MS));
}

/** The invoice whose date range covers the day `dayMs` (a day number in ms), if any. */
export function invoiceCovering(invoices: readonly Invoice[], dayMs: number): Invoice | undefined {
  return invoices.find(
    (invoice) => dayMs >= dateMs(invoice.periodStart, 'periodStart') && dayMs <= dateMs(invoice.periodEnd, 'periodEnd'),
  );
}

interface DayFigures {
  dayMs: number;
  firstParty: number | null;
  thirdParty: number | null;
  discrepancy: number | null;
  status: ReconciliationStatus;
  basis: BillingBasis;
  resolution: Resolution | null;
  uncapped: number;
  invoice: Invoice | undefined;
}

/**
 * Whether the reporting window of the day `dayMs` (a day number in ms) has passed at `asOfMs`: the window counts
 * whole days of the campaign's zone from the end of the day, so a 7-day window of 1 March closes at the start of
 * 9 March in that zone.
 */
export function reportingWindowPassed(
  campaign: Pick<Campaign, 'reportingWindowDays' | 'timeZone'>,
  dayMs: number,
  asOfMs: number,
): boolean {
  return asOfMs >= calendarOf(campaign).startOf(dayMs + DAY_MS + campaign.reportingWindowDays * DAY_MS);
}

function figuresOfDay(
  campaign: Campaign,
  unit: BillableUnit,
  dayMs: number,
  reports: readonly DeliveryReport[],
  records: LineItemRecords,
  asOfMs: number,
): DayFigures {
  const firstParty = countInUnit(
    reports.filter((r) => r.source === 'FIRST_PARTY'),
    unit,
  );
  const thirdParty = countInUnit(
    reports.filter((r) => r.source === 'THIRD_PARTY'),
    unit,
  );
  const resolution = records.resolutions.get(formatInstant(calendarOf(campaign).startOf(dayMs))) ?? null;
  const invoice = invoiceCovering(records.invoices, dayMs);
  const day = { dayMs, firstParty, thirdParty, resolution, invoice };
  if (firstParty === null || thirdParty === null) {
    // A silent side blocks billing only until the day's reporting window has passed; then the count available is
    // billed, and the row says so.
    if (!reportingWindowPassed(campaign, dayMs, asOfMs)) {
      return { ...day, discrepancy: null, status: 'PENDING', basis: 'NONE', uncapped: 0 };
    }
    return firstParty === null
      ? { ...day, discrepancy: null, status: 'PENDING', basis: 'THIRD_PARTY_ONLY', uncapped: thirdParty ?? 0 }
      : { ...day, discrepancy: null, status: 'PENDING', basis: 'FIRST_PARTY_ONLY', uncapped: firstParty };
  }
  const discrepancy = discrepancyBps(firstParty, thirdParty);
  if (resolution?.status === 'ACCEPTED') {
    return { ...day, discrepancy, status: 'RESOLVED', basis: 'AGREED', uncapped: resolution.agreedImpressions };
  }
  if (discrepancy <= campaign.discrepancyToleranceBps) {
    const uncapped = campaign.billingSource === 'THIRD_PARTY' ? thirdParty : firstParty;
    return { ...day, discrepancy, status: 'WITHIN_TOLERANCE', basis: campaign.billingSource, uncapped };
  }
  return { ...day, discrepancy, status: 'DISPUTED', basis: 'NONE', uncapped: 0 };
}

/** Whether a row's day may be invoiced: reconciled, or billed on one side's count after the reporting window. */
export function isBillable(row: Pick<ReconciliationRow, 'billingBasis'>): boolean {
  return row.billingBasis !== 'NONE';
}

/**
 * Derives the reconciliation rows of a line item, one per day of the campaign's time zone with at least one report,
 * in chronological order, as of the transaction time `asOfMs` (reporting windows). The counts in force of one side for one day are
 * summed (the day's 23 to 25 hours, or the day), in the day's billable unit ({@link countInUnit}); a flat-fee day's amount is its
 * share of the fee ({@link flatFeeOfDay}), frozen in its invoice once invoiced. Each day is judged, capped and priced by the terms in force on that day
 * (`schedule`); billable counts are capped cumulatively by {@link applyDatedCaps}: invoiced days keep the count and
 * the price frozen in their invoice.
 */
export function deriveRows(
  schedule: TermsSchedule,
  lineItem: LineItem,
  records: LineItemRecords,
  asOfMs: number,
): ReconciliationRow[] {
  const byDay = new Map<number, DeliveryReport[]>();
  for (const report of records.reports) {
    const dayMs = schedule.calendar.dayOf(instantMs(report.periodStart, 'periodStart'));
    const list = byDay.get(dayMs) ?? [];
    list.push(report);
    byDay.set(dayMs, list);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const figures = days.map((dayMs) => {
    const terms = schedule.on(dayMs);
    const inForce = schedule.lineItemOn(lineItem.lineItemId, dayMs);
    const unit = billableUnitOf(inForce ?? lineItem);
    const judged = figuresOfDay(terms, unit, dayMs, byDay.get(dayMs) ?? [], records, asOfMs);
    // A day the terms in force no longer cover (an amendment that ended the flight after a report of a later day,
    // which every party accepted): its counts and status are shown, nothing is billed.
    const f = inForce === undefined ? { ...judged, basis: 'NONE' as const, uncapped: 0 } : judged;
    const makeGood = inForce === undefined ? makeGoodOn(records.makeGoods, dayMs) : undefined;
    const periodStart = formatInstant(schedule.calendar.startOf(dayMs));
    const frozen = f.invoice?.periods.find((p) => p.periodStart === periodStart);
    const cpmMicros = frozen?.cpmMicros ?? f.invoice?.cpmMicros ?? inForce?.cpmMicros ?? lineItem.cpmMicros;
    const flatFee =
      unit !== 'FLAT_FEE'
        ? undefined
        : (frozen?.amountMicros ?? (inForce === undefined ? 0 : flatFeeOfDay(inForce, dayMs)));
    return {
      ...f,
      unit,
      frozen,
      cpmMicros,
      flatFee,
      cap: inForce?.bookedImpressions ?? 0,
      makeGood,
      makeGoodCount: judged.uncapped,
    };
  });
  const billable = applyDatedCaps(
    figures.map((f) => ({
      uncapped: f.uncapped,
      cap: f.cap,
      frozen: f.invoice === undefined ? undefined : (f.frozen?.billableImpressions ?? 0),
    })),
  );
  // A make-good's days are reconciled like any other; what they deliver counts against its impressions, unbilled.
  const makeGoodUnits = new Map<number, number>();
  for (const makeGood of records.makeGoods) {
    const days = figures.filter((f) => f.makeGood === makeGood);
    countAgainst(
      makeGood.impressions,
      days.map((f) => f.makeGoodCount),
    ).forEach((units, i) => makeGoodUnits.set(days[i]?.dayMs ?? NaN, units));
  }
  return figures.map((f, index) => {
    const billableImpressions = billable[index] ?? 0;
    return {
      campaignId: schedule.campaign.campaignId,
      lineItemId: lineItem.lineItemId,
      publisher: lineItem.publisher,
      billableUnit: f.unit,
      timeZone: schedule.calendar.timeZone,
      day: formatDate(f.dayMs),
      periodStart: formatInstant(schedule.calendar.startOf(f.dayMs)),
      periodEnd: formatInstant(schedule.calendar.startOf(f.dayMs + DAY_MS)),
      firstPartyImpressions: f.firstParty,
      thirdPartyImpressions: f.thirdParty,
      discrepancyBps: f.discrepancy,
      status: f.status,
      agreedImpressions: f.resolution?.status === 'ACCEPTED' ? f.resolution.agreedImpressions : null,
      resolution: f.resolution,
      billingBasis: f.basis,
      billableImpressions,
      cpmMicros: f.cpmMicros,
      // A flat-fee day bills its share of the fee once it is billable, whatever the count.
      amountMicros:
        f.flatFee === undefined ? amountMicros(billableImpressions, f.cpmMicros) : f.basis === 'NONE' ? 0 : f.flatFee,
      invoiceId: f.invoice?.invoiceId ?? null,
      ...(f.makeGood === undefined ? {} : { makeGoodImpressions: makeGoodUnits.get(f.dayMs) ?? 0 }),
      invoicedBy: f.invoice?.issuedBy ?? null,
    };
  });
}
