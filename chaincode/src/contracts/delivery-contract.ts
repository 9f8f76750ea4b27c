import { TRANSACTIONS } from '@adrecon/contract';
import { Context, Info, Transaction } from 'fabric-contract-api';
import { BaseContract } from './base-contract.js';
import { canSeeLineItem, lineItemParties, relationTo, visibleLineItem, visibleRanges } from '../access.js';
import { encodeResult, parseTransactionArguments } from '../arguments.js';
import { loadCampaign, loadVisibleCampaign } from '../campaign-store.js';
import { findReport } from '../delivery/delivery-reads.js';
import { checkProof } from '../delivery/proof-check.js';
import { reportKey } from '../delivery/report-keys.js';
import { ReportWriter } from '../delivery/report-writer.js';
import { NotFoundError } from '../errors.js';
import { emitEvent, EVENTS } from '../events.js';
import { KEY_TYPES } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { parseDeliveryReport, type DeliveryReport, type DeliveryReportInput } from '../models/delivery-report.js';

const TX = TRANSACTIONS.delivery;

async function writerFor(ctx: Context, inputs: readonly DeliveryReportInput[]) {
  const campaign = await loadCampaign(ctx, inputs[0]?.campaignId ?? '', [...new Set(inputs.map((i) => i.lineItemId))]);
  const relation = await relationTo(ctx, campaign);
  return { campaign, writer: new ReportWriter(ctx, new Ledger(ctx), campaign, relation) };
}

async function visibleReport(ctx: Context, reporter: string, reportId: string): Promise<DeliveryReport> {
  const report = await findReport(new Ledger(ctx), reporter, reportId);
  if (report === undefined) {
    throw new NotFoundError('REPORT_NOT_FOUND', `report ${reportId} of ${reporter} does not exist`);
  }
  const campaign = await loadCampaign(ctx, report.campaignId, [report.lineItemId]);
  visibleLineItem(campaign, await relationTo(ctx, campaign), report.lineItemId);
  return report;
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
  async Submit(ctx: Context, reportJson: string): Promise<string> {
    const [input] = parseTransactionArguments(TX.Submit, [reportJson]);
    const { campaign, writer } = await writerFor(ctx, [input]);
    const [outcome] = await writer.recordAll([input]);
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
    return encodeResult(TX.Submit, { report: outcome.report, created: outcome.created });
  }

  /**
   * Records 1..500 reports of one campaign, all or nothing.
   *
   * @returns `{reports, created}` with `created` the number of new reports.
   * @throws as {@link DeliveryContract.Submit}, for the first failing report (its index in the message).
   */
  @Transaction()
  async SubmitBatch(ctx: Context, reportsJson: string): Promise<string> {
    const [inputs] = parseTransactionArguments(TX.SubmitBatch, [reportsJson]);
    const { campaign, writer } = await writerFor(ctx, inputs);
    const outcomes = await writer.recordAll(inputs);
    const created = outcomes.filter((o) => o.created);
    if (created.length > 0) {
      emitEvent(ctx, EVENTS.deliveryBatchReported, {
        campaignId: campaign.campaignId,
        lineItemIds: [...new Set(created.map((o) => o.lineItem.lineItemId))].sort(),
        // The earliest period the batch touched (canonical instants sort as text): a reader re-reads from there on.
        periodStart: created.map((o) => o.report.periodStart).sort()[0],
        reportIds: created.map((o) => o.report.reportId),
        reporter: created[0]?.report.reporter,
        created: created.length,
        parties: created.flatMap((o) => lineItemParties(campaign, o.lineItem)),
      });
    }
    return encodeResult(TX.SubmitBatch, { reports: outcomes.map((o) => o.report), created: created.length });
  }

  /**
   * @returns the report.
   * @throws ValidationError, REPORT_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  async Get(ctx: Context, reporter: string, reportId: string): Promise<string> {
    parseTransactionArguments(TX.Get, [reporter, reportId]);
    return encodeResult(TX.Get, await visibleReport(ctx, reporter, reportId));
  }

  /**
   * Every write of the report's key (found through its `reportById` pointer), for tracing the report to the
   * transaction that wrote it. Same access as Get.
   *
   * @returns `[{txId, timestamp, isDelete, value}]` in Fabric's history order (newest first in Fabric 2.x).
   * @throws ValidationError, REPORT_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  async History(ctx: Context, reporter: string, reportId: string): Promise<string> {
    parseTransactionArguments(TX.History, [reporter, reportId]);
    const report = await visibleReport(ctx, reporter, reportId);
    const history = await new Ledger(ctx).history(KEY_TYPES.report, reportKey(report), parseDeliveryReport);
    return encodeResult(TX.History, history);
  }

  /**
   * Lists a campaign's reports (optionally of one line item and one source) a page at a time.
   *
   * @returns `{records, bookmark, fetchedCount}`.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  async List(ctx: Context, queryJson: string): Promise<string> {
    const [query] = parseTransactionArguments(TX.List, [queryJson]);
    const { campaignId, lineItemId, source } = query;
    const { campaign, relation } = await loadVisibleCampaign(ctx, campaignId);
    if (lineItemId !== undefined) {
      visibleLineItem(campaign, relation, lineItemId);
    }
    const page = await new Ledger(ctx).pageOver(
      KEY_TYPES.report,
      visibleRanges(campaign, relation, lineItemId),
      parseDeliveryReport,
      query.pageSize,
      query.bookmark,
    );
    const records = page.entries
      .map((e) => e.value)
      .filter((r) => canSeeLineItem(relation, r.lineItemId) && (source === undefined || r.source === source));
    return encodeResult(TX.List, { records, bookmark: page.bookmark, fetchedCount: page.fetchedCount });
  }

  /**
   * Checks that an impression record (or a leaf hash) is in a report's Merkle batch. The proof is the
   * `@adrecon/merkle` InclusionProof JSON plus exactly one of `record` (an impression record) or `leafHash` (64 hex).
   *
   * @returns `{valid, merkleRoot, reportId, reporter}`.
   * @throws ValidationError, REPORT_NOT_FOUND, ForbiddenError, InvalidStateError (report without a Merkle root).
   */
  @Transaction(false)
  async VerifyProof(ctx: Context, reporter: string, reportId: string, proofJson: string): Promise<string> {
    const [, , proof] = parseTransactionArguments(TX.VerifyProof, [reporter, reportId, proofJson]);
    const report = await visibleReport(ctx, reporter, reportId);
    const valid = checkProof(report, proof);
    return encodeResult(TX.VerifyProof, { valid, merkleRoot: report.merkleRoot ?? '', reportId, reporter });
  }
}
