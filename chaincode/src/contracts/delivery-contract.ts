import {
  MerkleInputError,
  parseImpressionRecord,
  parseInclusionProof,
  verifyInclusion,
  verifyRecordInclusion,
} from '@adrecon/merkle';
import { plainToInstance } from 'class-transformer';
import { Context, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { BaseContract } from './base-contract.js';
import {
  canSeeLineItem,
  lineItemParties,
  relationTo,
  reportSource,
  visibleLineItem,
  type CampaignRelation,
} from '../access.js';
import { loadCampaign } from '../campaign-store.js';
import { canonicalJson } from '../canonical-json.js';
import { ChaincodeError, ConflictError, InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import { emitEvent, EVENTS } from '../events.js';
import { checkReportPeriod, DAY_MS, dayStartOf } from '../domain/periods.js';
import { invoiceCovering, loadInvoices } from '../domain/reconciliation.js';
import { KEY_TYPES } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { txTimeIso } from '../ledger/tx-time.js';
import type { Campaign, LineItem } from '../models/campaign.js';
import type { Invoice } from '../models/invoice.js';
import { parseResolution, type Resolution } from '../models/resolution.js';
import {
  DeliveryReport,
  parseDeliveryReport,
  parseDeliveryReportInput,
  REPORT_SOURCES,
  type DeliveryReportInput,
  type ReportSource,
} from '../models/delivery-report.js';
import {
  checkId,
  checkMspId,
  FieldReader,
  formatInstant,
  instantToEpochMs,
  parseJsonArgument,
  readPageSize,
} from '../validation.js';

/** Most reports one SubmitBatch may carry. */
export const MAX_BATCH_REPORTS = 500;

/** The length of a report period, the key attribute that separates hourly from daily reports of one day. */
type Granularity = 'DAY' | 'HOUR';

/** What `reportById` stores: enough to rebuild the report's key. */
interface ReportPointer {
  campaignId: string;
  lineItemId: string;
  periodStart: string;
  periodEnd: string;
  source: ReportSource;
}

function parseReportPointer(value: unknown): ReportPointer {
  const reader = new FieldReader(value, 'reportPointer');
  const pointer = {
    campaignId: reader.id('campaignId'),
    lineItemId: reader.id('lineItemId'),
    periodStart: reader.instant('periodStart'),
    periodEnd: reader.instant('periodEnd'),
    source: reader.oneOf('source', REPORT_SOURCES),
  };
  reader.done();
  return pointer;
}

/** A period's granularity; the period was checked to be one hour or one day when the report was written. */
function granularityOf(periodStart: string, periodEnd: string): Granularity {
  const length = instantToEpochMs(periodEnd, 'periodEnd') - instantToEpochMs(periodStart, 'periodStart');
  return length === DAY_MS ? 'DAY' : 'HOUR';
}

/**
 * `[campaignId, lineItemId, dayStart, granularity, periodStart, source, reporter, reportId]`: the granularity comes
 * before the period so that a report reads only the other granularity's reports of its day (see #recordOne).
 */
function reportKey(
  report: Pick<
    DeliveryReport,
    'campaignId' | 'lineItemId' | 'periodStart' | 'periodEnd' | 'source' | 'reporter' | 'reportId'
  >,
): string[] {
  const day = formatInstant(dayStartOf(instantToEpochMs(report.periodStart, 'periodStart')));
  return [
    report.campaignId,
    report.lineItemId,
    day,
    granularityOf(report.periodStart, report.periodEnd),
    report.periodStart,
    report.source,
    report.reporter,
    report.reportId,
  ];
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

interface Outcome {
  report: DeliveryReport;
  created: boolean;
  lineItem: LineItem;
}

/**
 * What one Submit/SubmitBatch transaction has read and written so far. Reads are cached so that a batch reads each
 * key or range once; `created` holds this transaction's own reports, which its reads never see (Fabric semantics),
 * so that clashes among the reports of one batch are still found. It is keyed by line item, day and granularity
 * (`createdKey`), so that each report of a batch looks only at its own day's reports, not at every earlier one.
 */
interface TxState {
  seen: Map<string, DeliveryReport>;
  created: Map<string, DeliveryReport[]>;
  invoices: Map<string, Invoice[]>;
  resolutions: Map<string, Resolution | undefined>;
  stored: Map<string, DeliveryReport[]>;
}

/** The key of a transaction's own reports of one line item, day and granularity in `TxState.created`. */
function createdKey(lineItemId: string, dayMs: number, granularity: Granularity): string {
  return `${lineItemId}\u0000${String(dayMs)}\u0000${granularity}`;
}

/** Impression batches: the two sides' counts per line item and UTC hour or day. */
@Info({ title: 'delivery', description: 'Delivery (impression) reports' })
export class DeliveryContract extends BaseContract {
  constructor() {
    super('delivery');
  }

  /**
   * Records one delivery report. A repeat of a reportId with the same content is a no-op (`created: false`).
   *
   * @returns `{report, created}`.
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND, ConflictError, InvalidStateError.
   */
  @Transaction()
  @Param('reportJson', 'string')
  @Returns('string')
  async Submit(ctx: Context, reportJson: string): Promise<string> {
    const input = parseDeliveryReportInput(parseJsonArgument(reportJson, 'report'));
    const { campaign, outcomes } = await this.#record(ctx, [input]);
    const outcome = outcomes[0];
    if (outcome === undefined) {
      throw new Error('unreachable: one report gives one outcome');
    }
    if (outcome.created) {
      // No reconciliation status: it would need the other reports of the day, and reading them would make every
      // concurrent report of the day a phantom-read conflict.
      emitEvent(ctx, EVENTS.deliveryReported, {
        campaignId: campaign.campaignId,
        lineItemId: outcome.lineItem.lineItemId,
        periodStart: outcome.report.periodStart,
        reportId: outcome.report.reportId,
        reporter: outcome.report.reporter,
        source: outcome.report.source,
        parties: lineItemParties(campaign, outcome.lineItem),
      });
    }
    return canonicalJson({ report: outcome.report, created: outcome.created });
  }

  /**
   * Records 1..500 reports of one campaign, all or nothing.
   *
   * @returns `{reports, created}` with `created` the number of new reports.
   * @throws as {@link DeliveryContract.Submit}, for the first failing report (its index in the message).
   */
  @Transaction()
  @Param('reportsJson', 'string')
  @Returns('string')
  async SubmitBatch(ctx: Context, reportsJson: string): Promise<string> {
    const value = parseJsonArgument(reportsJson, 'reports');
    if (!Array.isArray(value) || value.length < 1 || value.length > MAX_BATCH_REPORTS) {
      throw new ValidationError(`reports must be an array of 1 to ${MAX_BATCH_REPORTS} reports`);
    }
    const inputs = (value as unknown[]).map((item, index) => parseDeliveryReportInput(item, `reports[${index}]`));
    const campaignId = inputs[0]?.campaignId;
    if (inputs.some((i) => i.campaignId !== campaignId)) {
      throw new ValidationError('all reports of a batch must belong to one campaign');
    }
    const { campaign, outcomes } = await this.#record(ctx, inputs);
    const created = outcomes.filter((o) => o.created);
    if (created.length > 0) {
      emitEvent(ctx, EVENTS.deliveryBatchReported, {
        campaignId: campaign.campaignId,
        lineItemIds: [...new Set(created.map((o) => o.lineItem.lineItemId))].sort(),
        reportIds: created.map((o) => o.report.reportId),
        reporter: created[0]?.report.reporter,
        created: created.length,
        parties: created.flatMap((o) => lineItemParties(campaign, o.lineItem)),
      });
    }
    return canonicalJson({ reports: outcomes.map((o) => o.report), created: created.length });
  }

  async #record(
    ctx: Context,
    inputs: readonly DeliveryReportInput[],
  ): Promise<{ campaign: Campaign; outcomes: Outcome[] }> {
    const first = inputs[0];
    if (first === undefined) {
      throw new ValidationError('no report given');
    }
    const campaign = await loadCampaign(ctx, first.campaignId);
    const relation = await relationTo(ctx, campaign);
    if (campaign.status !== 'ACTIVE') {
      throw new InvalidStateError(
        `campaign ${campaign.campaignId} is ${campaign.status}; reports need an ACTIVE campaign`,
      );
    }
    const ledger = new Ledger(ctx);
    const tx: TxState = {
      seen: new Map(),
      created: new Map(),
      invoices: new Map(),
      resolutions: new Map(),
      stored: new Map(),
    };
    const outcomes: Outcome[] = [];
    for (const [index, input] of inputs.entries()) {
      const where = inputs.length > 1 ? `reports[${index}] (${input.reportId}): ` : '';
      try {
        outcomes.push(await this.#recordOne(ctx, ledger, campaign, relation, input, tx));
      } catch (err) {
        if (where !== '' && err instanceof ChaincodeError) {
          err.message = err.message.replace(': ', `: ${where}`);
        }
        throw err;
      }
    }
    return { campaign, outcomes };
  }

  async #recordOne(
    ctx: Context,
    ledger: Ledger,
    campaign: Campaign,
    relation: CampaignRelation,
    input: DeliveryReportInput,
    tx: TxState,
  ): Promise<Outcome> {
    const lineItem = campaign.lineItems.find((i) => i.lineItemId === input.lineItemId);
    if (lineItem === undefined) {
      throw new NotFoundError(
        'CAMPAIGN_NOT_FOUND',
        `campaign ${campaign.campaignId} has no line item ${input.lineItemId}`,
      );
    }
    const source = reportSource(relation, lineItem.lineItemId);
    const period = checkReportPeriod(input.periodStart, input.periodEnd, lineItem);
    const same = canonicalJson(inputOf(input));
    const earlier = tx.seen.get(input.reportId) ?? (await this.#findById(ledger, relation.mspId, input.reportId));
    if (earlier !== undefined) {
      if (canonicalJson(inputOf(earlier)) !== same) {
        throw new ConflictError(`report ${input.reportId} of ${relation.mspId} already exists with other content`);
      }
      return { report: earlier, created: false, lineItem };
    }
    const dayMs = dayStartOf(period.startMs);
    const day = formatInstant(dayMs);
    const invoice = invoiceCovering(await this.#invoices(ledger, campaign, lineItem, tx), dayMs);
    if (invoice !== undefined) {
      throw new InvalidStateError(`${day.slice(0, 10)} is already invoiced (${invoice.invoiceId})`);
    }
    if ((await this.#resolution(ledger, campaign, lineItem, day, tx))?.status === 'ACCEPTED') {
      throw new InvalidStateError(`the dispute of ${day.slice(0, 10)} is already resolved`);
    }
    // Only the other granularity's reports of the day can clash: an hourly report reads the day's DAY reports, a
    // daily report the day's HOUR reports, and concurrent reports of the same granularity never meet.
    const other: Granularity = period.lengthMs === DAY_MS ? 'HOUR' : 'DAY';
    const candidates = [
      ...(await this.#storedReports(ledger, campaign, lineItem, day, other, tx)),
      ...(tx.created.get(createdKey(lineItem.lineItemId, dayMs, other)) ?? []),
    ];
    const clash = candidates.find((r) => r.source === source);
    if (clash !== undefined) {
      throw new ConflictError(
        `${source} report ${clash.reportId} covers ${clash.periodStart}..${clash.periodEnd}; one side may not mix hourly and daily reports of one day`,
      );
    }
    const report = plainToInstance(DeliveryReport, {
      ...inputOf(input),
      source,
      reporter: relation.mspId,
      reportedAt: txTimeIso(ctx),
      txId: ctx.stub.getTxID(),
    });
    const endorsers = lineItemParties(campaign, lineItem);
    await ledger.put(KEY_TYPES.report, reportKey(report), report, endorsers);
    const pointer: ReportPointer = {
      campaignId: report.campaignId,
      lineItemId: report.lineItemId,
      periodStart: report.periodStart,
      periodEnd: report.periodEnd,
      source,
    };
    await ledger.put(KEY_TYPES.reportById, [report.reporter, report.reportId], pointer, endorsers);
    const ownKey = createdKey(lineItem.lineItemId, dayMs, period.lengthMs === DAY_MS ? 'DAY' : 'HOUR');
    const sameDay = tx.created.get(ownKey);
    if (sameDay === undefined) {
      tx.created.set(ownKey, [report]);
    } else {
      sameDay.push(report);
    }
    tx.seen.set(report.reportId, report);
    return { report, created: true, lineItem };
  }

  /** The line item's invoices: a range over its invoice index, which only IssueInvoice writes. */
  async #invoices(ledger: Ledger, campaign: Campaign, lineItem: LineItem, tx: TxState): Promise<Invoice[]> {
    let invoices = tx.invoices.get(lineItem.lineItemId);
    if (invoices === undefined) {
      invoices = await loadInvoices(ledger, campaign.campaignId, lineItem.lineItemId);
      tx.invoices.set(lineItem.lineItemId, invoices);
    }
    return invoices;
  }

  /** The day's resolution: a point read of its one key. */
  async #resolution(
    ledger: Ledger,
    campaign: Campaign,
    lineItem: LineItem,
    day: string,
    tx: TxState,
  ): Promise<Resolution | undefined> {
    const cacheKey = `${lineItem.lineItemId}\u0000${day}`;
    if (!tx.resolutions.has(cacheKey)) {
      const attributes = [campaign.campaignId, lineItem.lineItemId, day];
      tx.resolutions.set(cacheKey, await ledger.get(KEY_TYPES.resolution, attributes, parseResolution));
    }
    return tx.resolutions.get(cacheKey);
  }

  /** The committed reports of one granularity of the day: a range over `[campaignId, lineItemId, day, granularity]`. */
  async #storedReports(
    ledger: Ledger,
    campaign: Campaign,
    lineItem: LineItem,
    day: string,
    granularity: Granularity,
    tx: TxState,
  ): Promise<DeliveryReport[]> {
    const cacheKey = `${lineItem.lineItemId}\u0000${day}\u0000${granularity}`;
    let reports = tx.stored.get(cacheKey);
    if (reports === undefined) {
      const attributes = [campaign.campaignId, lineItem.lineItemId, day, granularity];
      reports = (await ledger.list(KEY_TYPES.report, attributes, parseDeliveryReport)).map((e) => e.value);
      tx.stored.set(cacheKey, reports);
    }
    return reports;
  }

  async #findById(ledger: Ledger, reporter: string, reportId: string): Promise<DeliveryReport | undefined> {
    const pointer = await ledger.get(KEY_TYPES.reportById, [reporter, reportId], parseReportPointer);
    if (pointer === undefined) {
      return undefined;
    }
    return ledger.get(KEY_TYPES.report, reportKey({ ...pointer, reporter, reportId }), parseDeliveryReport);
  }

  async #visibleReport(ctx: Context, reporter: string, reportId: string): Promise<DeliveryReport> {
    checkMspId(reporter, 'reporter');
    checkId(reportId, 'reportId');
    const report = await this.#findById(new Ledger(ctx), reporter, reportId);
    if (report === undefined) {
      throw new NotFoundError('REPORT_NOT_FOUND', `report ${reportId} of ${reporter} does not exist`);
    }
    const campaign = await loadCampaign(ctx, report.campaignId);
    visibleLineItem(campaign, await relationTo(ctx, campaign), report.lineItemId);
    return report;
  }

  /**
   * @returns the report.
   * @throws ValidationError, REPORT_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  @Param('reporter', 'string')
  @Param('reportId', 'string')
  @Returns('string')
  async Get(ctx: Context, reporter: string, reportId: string): Promise<string> {
    return canonicalJson(await this.#visibleReport(ctx, reporter, reportId));
  }

  /**
   * Every write of the report's key (found through its `reportById` pointer), for tracing the report to the
   * transaction that wrote it. Same access as Get.
   *
   * @returns `[{txId, timestamp, isDelete, value}]` in Fabric's history order (newest first in Fabric 2.x).
   * @throws ValidationError, REPORT_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  @Param('reporter', 'string')
  @Param('reportId', 'string')
  @Returns('string')
  async History(ctx: Context, reporter: string, reportId: string): Promise<string> {
    const report = await this.#visibleReport(ctx, reporter, reportId);
    return canonicalJson(await new Ledger(ctx).history(KEY_TYPES.report, reportKey(report), parseDeliveryReport));
  }

  /**
   * Lists a campaign's reports (optionally of one line item and one source) a page at a time.
   *
   * @returns `{records, bookmark, fetchedCount}`.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  @Param('queryJson', 'string')
  @Returns('string')
  async List(ctx: Context, queryJson: string): Promise<string> {
    const reader = new FieldReader(parseJsonArgument(queryJson, 'query'), 'query');
    const campaignId = reader.id('campaignId');
    const lineItemId = reader.has('lineItemId') ? reader.id('lineItemId') : undefined;
    const source = reader.optionalOneOf('source', REPORT_SOURCES);
    const pageSize = readPageSize(reader);
    const bookmark = reader.optionalString('bookmark', 0, 1024) ?? '';
    reader.done();
    const campaign = await loadCampaign(ctx, campaignId);
    const relation = await relationTo(ctx, campaign);
    if (lineItemId !== undefined) {
      visibleLineItem(campaign, relation, lineItemId);
    }
    const attributes = lineItemId === undefined ? [campaignId] : [campaignId, lineItemId];
    const page = await new Ledger(ctx).page(KEY_TYPES.report, attributes, parseDeliveryReport, pageSize, bookmark);
    const records = page.entries
      .map((e) => e.value)
      .filter((r) => canSeeLineItem(relation, r.lineItemId) && (source === undefined || r.source === source));
    return canonicalJson({ records, bookmark: page.bookmark, fetchedCount: page.fetchedCount });
  }

  /**
   * Checks that an impression record (or a leaf hash) is in a report's Merkle batch. The proof is the
   * `@adrecon/merkle` InclusionProof JSON plus exactly one of `record` (an impression record) or `leafHash` (64 hex).
   *
   * @returns `{valid, merkleRoot, reportId, reporter}`.
   * @throws ValidationError, REPORT_NOT_FOUND, ForbiddenError, InvalidStateError (report without a Merkle root).
   */
  @Transaction(false)
  @Param('reporter', 'string')
  @Param('reportId', 'string')
  @Param('proofJson', 'string')
  @Returns('string')
  async VerifyProof(ctx: Context, reporter: string, reportId: string, proofJson: string): Promise<string> {
    const value = parseJsonArgument(proofJson, 'proof');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ValidationError('proof must be a JSON object');
    }
    const { record, leafHash, ...proofFields } = value as Record<string, unknown>;
    if ((record === undefined) === (leafHash === undefined)) {
      throw new ValidationError('proof must carry exactly one of record or leafHash');
    }
    const report = await this.#visibleReport(ctx, reporter, reportId);
    if (report.merkleRoot === undefined) {
      throw new InvalidStateError(`report ${reportId} of ${reporter} has no Merkle root`);
    }
    let valid: boolean;
    try {
      const proof = parseInclusionProof(proofFields);
      if (leafHash !== undefined) {
        if (typeof leafHash !== 'string' || !/^[0-9a-f]{64}$/.test(leafHash)) {
          throw new ValidationError('proof.leafHash must be 64 lowercase hex characters');
        }
        valid = verifyInclusion(report.merkleRoot, leafHash, proof);
      } else {
        valid = verifyRecordInclusion(report.merkleRoot, parseImpressionRecord(record), proof);
      }
      valid = valid && proof.treeSize === report.recordCount;
    } catch (err) {
      if (err instanceof MerkleInputError) {
        throw new ValidationError(err.message, { cause: err });
      }
      throw err;
    }
    return canonicalJson({ valid, merkleRoot: report.merkleRoot, reportId, reporter });
  }
}
