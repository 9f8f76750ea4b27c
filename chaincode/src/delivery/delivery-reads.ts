import { loadInvoices } from '../domain/reconciliation.js';
import { ReportPeriod, type Granularity } from '../domain/report-period.js';
import { KEY_TYPES } from '../ledger/keys.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Invoice } from '../models/invoice.js';
import type { ReportSource } from '@adrecon/contract';
import {
  parseDeliveryReport,
  parseReportPointer,
  type DeliveryReport,
  type ReportPointer,
} from '../models/delivery-report.js';
import { parseResolution, type Resolution } from '../models/resolution.js';
import { countKey, reportDayRange, reportKey, reportPointerKey } from './report-keys.js';

/**
 * The reads of one Submit/SubmitBatch transaction, each key or range read once. Reads never see this transaction's
 * own writes (Fabric semantics): {@link DeliveryReads.created} holds them, so that clashes among the reports of
 * one batch are still found.
 */
export class DeliveryReads {
  readonly #ledger: Ledger;
  readonly #campaignId: string;
  readonly #seen = new Map<string, DeliveryReport>();
  /** This transaction's own reports by line item, day and granularity: each report checks only its own day's. */
  readonly #created = new Map<string, DeliveryReport[]>();
  readonly #invoices = new Map<string, Invoice[]>();
  readonly #resolutions = new Map<string, Resolution | undefined>();
  readonly #dayCounts = new Map<string, DeliveryReport[]>();

  constructor(ledger: Ledger, campaignId: string) {
    this.#ledger = ledger;
    this.#campaignId = campaignId;
  }

  /** A report of this reporter with this ID: written earlier in this transaction, or committed. */
  async byId(reporter: string, reportId: string): Promise<DeliveryReport | undefined> {
    return this.#seen.get(reportId) ?? (await findReport(this.#ledger, reporter, reportId));
  }

  /** The line item's invoices: a range over its invoice index, which only IssueInvoice writes. */
  async invoices(lineItemId: string): Promise<Invoice[]> {
    let invoices = this.#invoices.get(lineItemId);
    if (invoices === undefined) {
      invoices = await loadInvoices(this.#ledger, this.#campaignId, lineItemId);
      this.#invoices.set(lineItemId, invoices);
    }
    return invoices;
  }

  /** The day's resolution: a point read of its one key. */
  async resolution(lineItemId: string, day: string): Promise<Resolution | undefined> {
    const cacheKey = `${lineItemId}\u0000${day}`;
    if (!this.#resolutions.has(cacheKey)) {
      const attributes = [this.#campaignId, lineItemId, day];
      this.#resolutions.set(cacheKey, await this.#ledger.get(KEY_TYPES.resolution, attributes, parseResolution));
    }
    return this.#resolutions.get(cacheKey);
  }

  /**
   * The counts in force of one granularity of the period's day (one per side and period): the committed ones (a
   * range over `[campaignId, lineItemId, day, granularity]` of the count keys, at most 24 per side) and the ones
   * this transaction wrote.
   */
  async countsOfDay(lineItemId: string, period: ReportPeriod, granularity: Granularity): Promise<DeliveryReport[]> {
    const cacheKey = `${lineItemId}\u0000${period.day}\u0000${granularity}`;
    let counts = this.#dayCounts.get(cacheKey);
    if (counts === undefined) {
      const range = reportDayRange(this.#campaignId, lineItemId, period, granularity);
      counts = (await this.#ledger.list(KEY_TYPES.count, range, parseDeliveryReport)).map((e) => e.value);
      this.#dayCounts.set(cacheKey, counts);
    }
    return [...counts, ...(this.#created.get(cacheKey) ?? [])];
  }

  /**
   * The report in force for one side and period (what a new report of that period restates): this transaction's
   * latest, else a point read of the period's count key.
   */
  async countOf(lineItemId: string, period: ReportPeriod, source: ReportSource): Promise<DeliveryReport | undefined> {
    const sameDay = this.#created.get(`${lineItemId}\u0000${period.day}\u0000${period.granularity}`) ?? [];
    const own = [...sameDay].reverse().find((r) => r.source === source && r.periodStart === period.periodStart);
    if (own !== undefined) {
      return own;
    }
    const key = countKey({ campaignId: this.#campaignId, lineItemId, source }, period);
    return this.#ledger.get(KEY_TYPES.count, key, parseDeliveryReport);
  }

  /** Remembers a report this transaction wrote. */
  written(report: DeliveryReport): void {
    const period = ReportPeriod.keyOf(report);
    const key = `${report.lineItemId}\u0000${period.day}\u0000${period.granularity}`;
    const sameDay = this.#created.get(key);
    if (sameDay === undefined) this.#created.set(key, [report]);
    else sameDay.push(report);
    this.#seen.set(report.reportId, report);
  }
}

/** A pointer, or undefined for a value that is not one (any 3 organizations may create a public key). */
function pointerOrUndefined(value: unknown): ReportPointer | undefined {
  try {
    return parseReportPointer(value);
  } catch {
    return undefined;
  }
}

/**
 * A committed report the caller may read, found through its public `reportById` pointer (a pointer to a report the
 * caller may not read, or a forged one, finds nothing).
 */
export async function findReport(
  ledger: Ledger,
  reporter: string,
  reportId: string,
): Promise<DeliveryReport | undefined> {
  const pointer = await ledger.get(KEY_TYPES.reportById, reportPointerKey(reporter, reportId), pointerOrUndefined);
  if (pointer === undefined) {
    return undefined;
  }
  return ledger.get(KEY_TYPES.report, reportKey({ ...pointer, reporter, reportId }), parseDeliveryReport);
}
