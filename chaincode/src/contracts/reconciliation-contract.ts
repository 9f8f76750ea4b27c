import { plainToInstance } from 'class-transformer';
import { Context, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { BaseContract } from './base-contract.js';
import { callerMspId, canSeeLineItem, disputeSide, lineItemParties, relationTo, visibleLineItem } from '../access.js';
import { loadCampaign } from '../campaign-store.js';
import { canonicalJson } from '../canonical-json.js';
import { deriveRows, loadLineItemRecords, type ReconciliationRow } from '../domain/reconciliation.js';
import { parseDayStart } from '../domain/periods.js';
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import { emitEvent, EVENTS } from '../events.js';
import { KEY_TYPES } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { txTimeIso, txTimeMs } from '../ledger/tx-time.js';
import { parseCampaign, type Campaign } from '../models/campaign.js';
import { withChanges } from '../models/with-changes.js';
import { type Invoice } from '../models/invoice.js';
import { Resolution, type ResolutionSide } from '../models/resolution.js';
import {
  checkId,
  dateToEpochMs,
  FieldReader,
  formatDate,
  parseCountArgument,
  parseJsonArgument,
  parseVersionArgument,
} from '../validation.js';

/** A reconciliation report row: the reconciliation row plus the money of the invoice covering it. */
export interface ReportRow extends ReconciliationRow {
  invoicedMicros: number;
  paidMicros: number;
  outstandingMicros: number;
  overdue: boolean;
}

interface DateRange {
  fromMs: number | undefined;
  toMs: number | undefined;
}

function readRange(reader: FieldReader): DateRange {
  const from = reader.optionalDate('from');
  const to = reader.optionalDate('to');
  const range = {
    fromMs: from === undefined ? undefined : dateToEpochMs(from, 'from'),
    toMs: to === undefined ? undefined : dateToEpochMs(to, 'to'),
  };
  if (range.fromMs !== undefined && range.toMs !== undefined && range.toMs < range.fromMs) {
    throw new ValidationError('query.to must not be before query.from');
  }
  return range;
}

function inRange(row: ReconciliationRow, range: DateRange): boolean {
  const dayMs = Date.parse(row.periodStart);
  return (range.fromMs === undefined || dayMs >= range.fromMs) && (range.toMs === undefined || dayMs <= range.toMs);
}

function parseCampaignIndex(value: unknown): string {
  const reader = new FieldReader(value, 'campaignIndex');
  const campaignId = reader.id('campaignId');
  reader.done();
  return campaignId;
}

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

/** Per line item and UTC day: both sides' counts, discrepancy, status, billable impressions; and disputes. */
@Info({ title: 'reconciliation', description: 'Derived reconciliation, dispute resolution and the finance report' })
export class ReconciliationContract extends BaseContract {
  constructor() {
    super('reconciliation');
  }

  /**
   * @returns the row of one line item's UTC day.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError, RECONCILIATION_NOT_FOUND.
   */
  @Transaction(false)
  @Param('campaignId', 'string')
  @Param('lineItemId', 'string')
  @Param('periodStart', 'string')
  @Returns('string')
  async Get(ctx: Context, campaignId: string, lineItemId: string, periodStart: string): Promise<string> {
    const { row } = await this.#row(ctx, campaignId, lineItemId, periodStart);
    return canonicalJson(row);
  }

  /**
   * @returns `{records}`: the rows of a campaign's visible line items (optionally one), days from..to inclusive.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  @Param('queryJson', 'string')
  @Returns('string')
  async List(ctx: Context, queryJson: string): Promise<string> {
    const reader = new FieldReader(parseJsonArgument(queryJson, 'query'), 'query');
    const campaignId = reader.id('campaignId');
    const lineItemId = reader.has('lineItemId') ? reader.id('lineItemId') : undefined;
    const range = readRange(reader);
    reader.done();
    const campaign = await loadCampaign(ctx, campaignId);
    const relation = await relationTo(ctx, campaign);
    const lineItems =
      lineItemId === undefined
        ? campaign.lineItems.filter((i) => canSeeLineItem(relation, i.lineItemId))
        : [visibleLineItem(campaign, relation, lineItemId)];
    const ledger = new Ledger(ctx);
    const records: ReconciliationRow[] = [];
    for (const lineItem of lineItems) {
      const rows = deriveRows(campaign, lineItem, await loadLineItemRecords(ledger, campaignId, lineItem.lineItemId));
      records.push(...rows.filter((r) => inRange(r, range)));
    }
    return canonicalJson({ records });
  }

  /**
   * Proposes an agreed count for a DISPUTED day; replaces an earlier proposal not yet accepted. By the line item's
   * publisher (publisher side) or the campaign's advertiser or agency (buyer side).
   *
   * @returns the row, still DISPUTED, with the proposal in `resolution`.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError, RECONCILIATION_NOT_FOUND, InvalidStateError.
   */
  @Transaction()
  @Param('campaignId', 'string')
  @Param('lineItemId', 'string')
  @Param('periodStart', 'string')
  @Param('agreedImpressions', 'string')
  @Returns('string')
  async ProposeResolution(
    ctx: Context,
    campaignId: string,
    lineItemId: string,
    periodStart: string,
    agreedImpressions: string,
  ): Promise<string> {
    const agreed = parseCountArgument(agreedImpressions, 'agreedImpressions');
    const { campaign, side, row, records, lineItem } = await this.#row(ctx, campaignId, lineItemId, periodStart);
    if (row.status !== 'DISPUTED') {
      throw new InvalidStateError(`${row.periodStart} of line item ${lineItemId} is ${row.status}, not DISPUTED`);
    }
    const highest = Math.max(row.firstPartyImpressions ?? 0, row.thirdPartyImpressions ?? 0);
    if (agreed > highest) {
      throw new ValidationError(`agreedImpressions ${agreed} exceeds both sides' counts (at most ${highest})`);
    }
    const resolution = plainToInstance(Resolution, {
      campaignId,
      lineItemId,
      periodStart: row.periodStart,
      agreedImpressions: agreed,
      version: (row.resolution?.version ?? 0) + 1,
      status: 'PROPOSED',
      proposedBy: callerMspId(ctx),
      proposerSide: side,
      proposedAt: txTimeIso(ctx),
      proposalTxId: ctx.stub.getTxID(),
    });
    const parties = lineItemParties(campaign, lineItem);
    await new Ledger(ctx).put(KEY_TYPES.resolution, [campaignId, lineItemId, row.periodStart], resolution, parties);
    records.resolutions.set(row.periodStart, resolution);
    const updated = deriveRows(campaign, lineItem, records).find((r) => r.periodStart === row.periodStart) ?? row;
    emitEvent(ctx, EVENTS.resolutionProposed, {
      campaignId,
      lineItemId,
      periodStart: row.periodStart,
      agreedImpressions: agreed,
      version: resolution.version,
      proposedBy: resolution.proposedBy,
      status: updated.status,
      parties,
    });
    return canonicalJson(updated);
  }

  /**
   * Accepts the other side's proposed count, named by its agreed count and version (as read by the accepting side):
   * the day becomes RESOLVED and bills the agreed count (capped). An acceptance of a proposal that has since been
   * replaced is refused, so a side can never accept a count it has not seen.
   *
   * @returns the row.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError, RECONCILIATION_NOT_FOUND, InvalidStateError,
   * ConflictError (the named proposal is not the current one).
   */
  @Transaction()
  @Param('campaignId', 'string')
  @Param('lineItemId', 'string')
  @Param('periodStart', 'string')
  @Param('agreedImpressions', 'string')
  @Param('version', 'string')
  @Returns('string')
  async AcceptResolution(
    ctx: Context,
    campaignId: string,
    lineItemId: string,
    periodStart: string,
    agreedImpressions: string,
    version: string,
  ): Promise<string> {
    const agreed = parseCountArgument(agreedImpressions, 'agreedImpressions');
    const proposalVersion = parseVersionArgument(version);
    const { campaign, side, row, records, lineItem } = await this.#row(ctx, campaignId, lineItemId, periodStart);
    const proposal = row.resolution;
    if (row.status !== 'DISPUTED' || proposal?.status !== 'PROPOSED') {
      throw new InvalidStateError(`${row.periodStart} of line item ${lineItemId} has no proposed resolution to accept`);
    }
    if (proposal.proposerSide === side) {
      throw new ForbiddenError(`the ${side.toLowerCase()} side proposed this count; the other side must accept it`);
    }
    if (proposal.version !== proposalVersion || proposal.agreedImpressions !== agreed) {
      throw new ConflictError(
        `the current proposal is ${String(proposal.agreedImpressions)} impressions (version ${String(proposal.version)}), not ${String(agreed)} (version ${String(proposalVersion)})`,
      );
    }
    const accepted = withChanges(proposal, {
      status: 'ACCEPTED',
      acceptedBy: callerMspId(ctx),
      acceptedAt: txTimeIso(ctx),
      acceptanceTxId: ctx.stub.getTxID(),
    });
    const parties = lineItemParties(campaign, lineItem);
    await new Ledger(ctx).put(KEY_TYPES.resolution, [campaignId, lineItemId, row.periodStart], accepted, parties);
    records.resolutions.set(row.periodStart, accepted);
    const updated = deriveRows(campaign, lineItem, records).find((r) => r.periodStart === row.periodStart) ?? row;
    emitEvent(ctx, EVENTS.disputeResolved, {
      campaignId,
      lineItemId,
      periodStart: row.periodStart,
      agreedImpressions: accepted.agreedImpressions,
      version: accepted.version,
      status: updated.status,
      parties,
    });
    return canonicalJson(updated);
  }

  /**
   * The finance report over the campaigns the caller is party to (or one campaign), optionally one publisher and
   * a range of days; overdue is judged at the transaction timestamp.
   *
   * @returns `{rows, totals, asOf}`.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  @Param('queryJson', 'string')
  @Returns('string')
  async Report(ctx: Context, queryJson: string): Promise<string> {
    const reader = new FieldReader(parseJsonArgument(queryJson, 'query'), 'query');
    const campaignId = reader.has('campaignId') ? reader.id('campaignId') : undefined;
    const publisher = reader.has('publisher') ? reader.mspId('publisher') : undefined;
    const range = readRange(reader);
    reader.done();
    const ledger = new Ledger(ctx);
    const campaigns: Campaign[] = [];
    if (campaignId !== undefined) {
      campaigns.push(await loadCampaign(ctx, campaignId));
    } else {
      for (const entry of await ledger.list(KEY_TYPES.campaignByParty, [callerMspId(ctx)], parseCampaignIndex)) {
        const campaign = await ledger.get(KEY_TYPES.campaign, [entry.value], parseCampaign);
        if (campaign !== undefined) campaigns.push(campaign);
      }
    }
    const asOf = txTimeIso(ctx);
    const asOfDate = formatDate(txTimeMs(ctx));
    const rows: ReportRow[] = [];
    for (const campaign of campaigns) {
      let relation;
      try {
        relation = await relationTo(ctx, campaign);
      } catch (err) {
        if (campaignId === undefined && err instanceof ForbiddenError) continue;
        throw err;
      }
      for (const lineItem of campaign.lineItems) {
        if (
          !canSeeLineItem(relation, lineItem.lineItemId) ||
          (publisher !== undefined && lineItem.publisher !== publisher)
        ) {
          continue;
        }
        const records = await loadLineItemRecords(ledger, campaign.campaignId, lineItem.lineItemId);
        const all = allocateInvoiceMoney(deriveRows(campaign, lineItem, records), records.invoices, asOfDate);
        rows.push(...all.filter((r) => inRange(r, range)));
      }
    }
    const sum = (pick: (row: ReportRow) => number): number => rows.reduce((total, row) => total + pick(row), 0);
    const totals = {
      firstPartyImpressions: sum((r) => r.firstPartyImpressions ?? 0),
      thirdPartyImpressions: sum((r) => r.thirdPartyImpressions ?? 0),
      billableImpressions: sum((r) => r.billableImpressions),
      amountMicros: sum((r) => r.amountMicros),
      invoicedMicros: sum((r) => r.invoicedMicros),
      paidMicros: sum((r) => r.paidMicros),
      outstandingMicros: sum((r) => r.outstandingMicros),
      overdueMicros: sum((r) => (r.overdue ? r.outstandingMicros : 0)),
    };
    return canonicalJson({ rows, totals, asOf });
  }

  async #row(ctx: Context, campaignId: string, lineItemId: string, periodStart: string) {
    checkId(campaignId, 'campaignId');
    checkId(lineItemId, 'lineItemId');
    const day = parseDayStart(periodStart);
    const campaign = await loadCampaign(ctx, campaignId);
    const relation = await relationTo(ctx, campaign);
    const lineItem = visibleLineItem(campaign, relation, lineItemId);
    const side: ResolutionSide = disputeSide(relation);
    const records = await loadLineItemRecords(new Ledger(ctx), campaignId, lineItemId);
    const row = deriveRows(campaign, lineItem, records).find((r) => r.periodStart === day);
    if (row === undefined) {
      throw new NotFoundError(
        'RECONCILIATION_NOT_FOUND',
        `line item ${lineItemId} of campaign ${campaignId} has no report for ${day}`,
      );
    }
    return { campaign, lineItem, side, row, records };
  }
}
