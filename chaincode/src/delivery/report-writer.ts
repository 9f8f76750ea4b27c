import type { Context } from 'fabric-contract-api';
import { actorRecord } from '../actor.js';
import { lineItemParties, reportSource, visibleLineItem, type CampaignRelation } from '../access.js';
import { canonicalJson } from '../canonical-json.js';
import { requireLifecycle } from '../domain/campaign-lifecycle.js';
import { loadTermsSchedule } from '../campaign-store.js';
import { TermsSchedule } from '../domain/terms-schedule.js';
import { invoiceCovering, makeGoodOn } from '../domain/reconciliation.js';
import { parseMakeGood, type MakeGood } from '../models/make-good.js';
import { ReportPeriod } from '../domain/report-period.js';
import { calendarOf, formatDate } from '../domain/calendar.js';
import { ChaincodeError, ConflictError, InvalidStateError, ValidationError } from '../errors.js';
import { billableUnitOf } from '../domain/billable-count.js';
import { KEY_TYPES } from '../ledger/keys.js';
import type { Ledger } from '../ledger/ledger.js';
import { txTimeIso } from '../ledger/tx-time.js';
import type { Campaign, LineItem } from '../models/campaign.js';
import type { DeliveryReport, DeliveryReportInput } from '../models/delivery-report.js';
import { DeliveryReads } from './delivery-reads.js';
import { countKey, pointerOf, reportKey, reportPointerKey } from './report-keys.js';

/** What recording one report did. */
export interface Outcome {
  readonly report: DeliveryReport;
  readonly created: boolean;
  readonly lineItem: LineItem;
}

function inputOf(report: DeliveryReportInput): DeliveryReportInput {
  return {
    reportId: report.reportId,
    campaignId: report.campaignId,
    lineItemId: report.lineItemId,
    periodStart: report.periodStart,
    periodEnd: report.periodEnd,
    impressions: report.impressions,
    invalidImpressions: report.invalidImpressions,
    viewableImpressions: report.viewableImpressions,
    recordCount: report.recordCount,
    merkleRoot: report.merkleRoot,
  };
}

/**
 * The write path of delivery reports: records the reports of one campaign in one transaction, checking each against
 * the campaign, earlier reports, invoices and resolutions.
 */
export class ReportWriter {
  readonly #ctx: Context;
  readonly #ledger: Ledger;
  readonly #campaign: Campaign;
  readonly #relation: CampaignRelation;
  readonly #reads: DeliveryReads;
  #schedule: TermsSchedule;
  readonly #makeGoodCache = new Map<string, MakeGood[]>();

  constructor(ctx: Context, ledger: Ledger, campaign: Campaign, relation: CampaignRelation) {
    this.#ctx = ctx;
    this.#ledger = ledger;
    this.#campaign = campaign;
    this.#relation = relation;
    this.#reads = new DeliveryReads(ledger, campaign.campaignId);
    this.#schedule = TermsSchedule.current(campaign);
  }

  /**
   * The terms schedule that knows the report's day: the current version alone for days since its effective date
   * (no extra read), else the whole schedule (the superseded versions, read once per transaction).
   */
  async #scheduleFor(dayMs: number): Promise<TermsSchedule> {
    if (!this.#schedule.covers(dayMs)) {
      this.#schedule = await loadTermsSchedule(this.#ctx, this.#campaign);
    }
    return this.#schedule;
  }

  /** The accepted make-goods of a line item (read once per transaction and line item). */
  async #makeGoods(lineItemId: string): Promise<MakeGood[]> {
    let found = this.#makeGoodCache.get(lineItemId);
    if (found === undefined) {
      found = (await this.#ledger.list(KEY_TYPES.makeGood, [this.#campaign.campaignId, lineItemId], parseMakeGood))
        .map((e) => e.value)
        .filter((m) => m.status === 'ACCEPTED');
      this.#makeGoodCache.set(lineItemId, found);
    }
    return found;
  }

  /**
   * Records the reports in order, all or nothing. In a batch, a refusal names the report's index and ID.
   *
   * @throws InvalidStateError unless the campaign is ACTIVE; as {@link ReportWriter.recordOne} otherwise.
   */
  async recordAll(inputs: readonly DeliveryReportInput[]): Promise<Outcome[]> {
    requireLifecycle(this.#campaign, 'report');
    const outcomes: Outcome[] = [];
    for (const [index, input] of inputs.entries()) {
      try {
        outcomes.push(await this.recordOne(input));
      } catch (err) {
        if (inputs.length > 1 && err instanceof ChaincodeError) {
          err.message = err.message.replace(': ', `: reports[${index}] (${input.reportId}): `);
        }
        throw err;
      }
    }
    return outcomes;
  }

  /**
   * Records one report; a repeat of its reportId with the same content is a no-op.
   *
   * @throws CAMPAIGN_NOT_FOUND (no such line item, or another publisher's), ForbiddenError, ValidationError (period,
   * no viewable count on a vCPM line item), InvalidStateError
   * (outside the flight, invoiced or resolved day), ConflictError (other content, mixed granularity).
   */
  async recordOne(input: DeliveryReportInput): Promise<Outcome> {
    const campaign = this.#campaign;
    // Another publisher's line item answers as one that does not exist (issue 8 item 6).
    const lineItem = visibleLineItem(campaign, this.#relation, input.lineItemId);
    const source = reportSource(this.#relation, lineItem.lineItemId);
    const period = ReportPeriod.parse(input.periodStart, input.periodEnd, calendarOf(campaign));
    const schedule = await this.#scheduleFor(period.dayMs);
    // A day outside the flight is reportable when an accepted make-good extended the flight to it.
    const extended =
      schedule.lineItemOn(lineItem.lineItemId, period.dayMs) === undefined &&
      makeGoodOn(await this.#makeGoods(lineItem.lineItemId), period.dayMs) !== undefined;
    const inForce = extended ? lineItem : schedule.requireFlight(lineItem.lineItemId, period.dayMs, period.toString());
    if (billableUnitOf(inForce) === 'VIEWABLE_IMPRESSIONS' && input.viewableImpressions === undefined) {
      throw new ValidationError(
        `viewableImpressions: is required on line item ${lineItem.lineItemId}, which bills viewable impressions (vCPM)`,
      );
    }
    const earlier = await this.#reads.byId(this.#relation.mspId, input.reportId);
    if (earlier !== undefined) {
      if (canonicalJson(inputOf(earlier)) !== canonicalJson(inputOf(input))) {
        throw new ConflictError(
          `report ${input.reportId} of ${this.#relation.mspId} already exists with other content`,
        );
      }
      return { report: earlier, created: false, lineItem };
    }
    const invoice = invoiceCovering(await this.#reads.invoices(lineItem.lineItemId), period.dayMs);
    if (invoice !== undefined) {
      throw new InvalidStateError(`${formatDate(period.dayMs)} is already invoiced (${invoice.invoiceId})`);
    }
    if ((await this.#reads.resolution(lineItem.lineItemId, period.day))?.status === 'ACCEPTED') {
      throw new InvalidStateError(`the dispute of ${formatDate(period.dayMs)} is already resolved`);
    }
    // Only the other granularity's counts of the day can clash: an hourly report reads the day's DAY counts, a
    // daily report the day's HOUR counts, and concurrent reports of other periods never meet.
    const others = await this.#reads.countsOfDay(lineItem.lineItemId, period, period.otherGranularity);
    const clash = others.find((r) => r.source === source);
    if (clash !== undefined) {
      throw new ConflictError(
        `${source} report ${clash.reportId} covers ${clash.periodStart}..${clash.periodEnd}; one side may not mix hourly and daily reports of one day`,
      );
    }
    const restated = await this.#reads.countOf(lineItem.lineItemId, period, source);
    const report: DeliveryReport = {
      ...inputOf(input),
      source,
      reporter: this.#relation.mspId,
      reportedBy: actorRecord(this.#ctx),
      reportedAt: txTimeIso(this.#ctx),
      txId: this.#ctx.stub.getTxID(),
      restates: restated?.reportId,
      day: period.day,
    };
    const endorsers = lineItemParties(campaign, lineItem);
    // No pointer for this reporter and ID, and the report's key holds both: a new key.
    if (this.#ledger.readAbsent(KEY_TYPES.reportById, reportPointerKey(report.reporter, report.reportId))) {
      this.#ledger.presumeNew(KEY_TYPES.report, reportKey(report, period));
    }
    await this.#ledger.put(KEY_TYPES.report, reportKey(report, period), report, endorsers);
    await this.#ledger.put(
      KEY_TYPES.reportById,
      reportPointerKey(report.reporter, report.reportId),
      pointerOf(report),
      endorsers,
    );
    // The period's count key holds the report in force: a restatement replaces the earlier count (whose report
    // stays readable, and the count key's history shows every restatement).
    await this.#ledger.put(KEY_TYPES.count, countKey(report, period), report, endorsers);
    this.#reads.written(report);
    return { report, created: true, lineItem };
  }
}
