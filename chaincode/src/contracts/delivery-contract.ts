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
import { checkReportPeriod, dayStartOf } from '../domain/periods.js';
import { deriveRows, invoiceCovering, loadDayRecords, type LineItemRecords } from '../domain/reconciliation.js';
import { KEY_TYPES } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { txTimeIso } from '../ledger/tx-time.js';
import type { Campaign, LineItem } from '../models/campaign.js';
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

interface ReportPointer {
  campaignId: string;
  lineItemId: string;
  periodStart: string;
  source: ReportSource;
}

function parseReportPointer(value: unknown): ReportPointer {
  const reader = new FieldReader(value, 'reportPointer');
  const pointer = {
    campaignId: reader.id('campaignId'),
    lineItemId: reader.id('lineItemId'),
    periodStart: reader.instant('periodStart'),
    source: reader.oneOf('source', REPORT_SOURCES),
  };
  reader.done();
  return pointer;
}

function reportKey(
  report: Pick<DeliveryReport, 'campaignId' | 'lineItemId' | 'periodStart' | 'source' | 'reporter' | 'reportId'>,
): string[] {
  const day = formatInstant(dayStartOf(instantToEpochMs(report.periodStart, 'periodStart')));
  return [
    report.campaignId,
    report.lineItemId,
    day,
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
    const { campaign, outcomes, records } = await this.#record(ctx, [input]);
    const outcome = outcomes[0];
    if (outcome === undefined) {
      throw new Error('unreachable: one report gives one outcome');
    }
    if (outcome.created) {
      const day = formatInstant(dayStartOf(instantToEpochMs(outcome.report.periodStart, 'periodStart')));
      const dayRecords = records.get(`${outcome.lineItem.lineItemId}\u0000${day}`) ?? emptyRecords();
      // Only the day's status is used: the cap needs every day, which Submit deliberately does not read.
      const rows = deriveRows(campaign, outcome.lineItem, dayRecords);
      emitEvent(ctx, EVENTS.deliveryReported, {
        campaignId: campaign.campaignId,
        lineItemId: outcome.lineItem.lineItemId,
        periodStart: outcome.report.periodStart,
        reportId: outcome.report.reportId,
        reporter: outcome.report.reporter,
        source: outcome.report.source,
        status: rows.find((r) => r.periodStart === day)?.status ?? 'PENDING',
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
  ): Promise<{ campaign: Campaign; outcomes: Outcome[]; records: Map<string, LineItemRecords> }> {
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
    const records = new Map<string, LineItemRecords>();
    const seen = new Map<string, DeliveryReport>();
    const outcomes: Outcome[] = [];
    for (const [index, input] of inputs.entries()) {
      const where = inputs.length > 1 ? `reports[${index}] (${input.reportId}): ` : '';
      try {
        outcomes.push(await this.#recordOne(ctx, ledger, campaign, relation, input, records, seen));
      } catch (err) {
        if (where !== '' && err instanceof ChaincodeError) {
          err.message = err.message.replace(': ', `: ${where}`);
        }
        throw err;
      }
    }
    return { campaign, outcomes, records };
  }

  async #recordOne(
    ctx: Context,
    ledger: Ledger,
    campaign: Campaign,
    relation: CampaignRelation,
    input: DeliveryReportInput,
    records: Map<string, LineItemRecords>,
    seen: Map<string, DeliveryReport>,
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
    const earlier = seen.get(input.reportId) ?? (await this.#findById(ledger, relation.mspId, input.reportId));
    if (earlier !== undefined) {
      if (canonicalJson(inputOf(earlier)) !== same) {
        throw new ConflictError(`report ${input.reportId} of ${relation.mspId} already exists with other content`);
      }
      return { report: earlier, created: false, lineItem };
    }
    const dayMs = dayStartOf(period.startMs);
    const dayKey = `${lineItem.lineItemId}\u0000${formatInstant(dayMs)}`;
    let lineRecords = records.get(dayKey);
    if (lineRecords === undefined) {
      lineRecords = await loadDayRecords(ledger, campaign.campaignId, lineItem.lineItemId, formatInstant(dayMs));
      records.set(dayKey, lineRecords);
    }
    const invoice = invoiceCovering(lineRecords.invoices, dayMs);
    if (invoice !== undefined) {
      throw new InvalidStateError(`${formatInstant(dayMs).slice(0, 10)} is already invoiced (${invoice.invoiceId})`);
    }
    if (lineRecords.resolutions.get(formatInstant(dayMs))?.status === 'ACCEPTED') {
      throw new InvalidStateError(`the dispute of ${formatInstant(dayMs).slice(0, 10)} is already resolved`);
    }
    const clash = lineRecords.reports.find((r) => {
      if (r.source !== source) return false;
      const start = instantToEpochMs(r.periodStart, 'periodStart');
      const length = instantToEpochMs(r.periodEnd, 'periodEnd') - start;
      return length !== period.lengthMs && dayStartOf(start) === dayMs;
    });
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
      source,
    };
    await ledger.put(KEY_TYPES.reportById, [report.reporter, report.reportId], pointer, endorsers);
    lineRecords.reports.push(report);
    seen.set(report.reportId, report);
    return { report, created: true, lineItem };
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

function emptyRecords(): LineItemRecords {
  return { reports: [], resolutions: new Map(), invoices: [] };
}
