import { TRANSACTIONS } from '@adrecon/contract';
import { actorRecord } from '../actor.js';
import { Context, Info, Transaction } from 'fabric-contract-api';
import { BaseContract } from './base-contract.js';
import {
  callerMspId,
  canSeeLineItem,
  disputeSide,
  lineItemParties,
  relationTo,
  visibleLineItem,
  visibleLineItemIds,
} from '../access.js';
import { encodeResult, parseTransactionArguments } from '../arguments.js';
import {
  hydrateCampaign,
  loadCampaign,
  loadCampaignRecord,
  loadTermsSchedule,
  loadVisibleCampaign,
} from '../campaign-store.js';
import { formatDate } from '../domain/calendar.js';
import { DayRange } from '../domain/day-range.js';
import { allocateInvoiceMoney, type ReportRow } from '../domain/money-allocation.js';
import { deriveRows, loadLineItemRecords, type ReconciliationRow } from '../domain/reconciliation.js';
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import { emitEvent, EVENTS } from '../events.js';
import { parseCampaignIndex } from '../ledger/index-entries.js';
import { KEY_TYPES } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { txTimeIso, txTimeMs } from '../ledger/tx-time.js';
import { parseCampaignRecord, type CampaignRecord } from '../models/campaign.js';
import { withChanges } from '../models/with-changes.js';
import type { Resolution, ResolutionSide } from '../models/resolution.js';

const TX = TRANSACTIONS.reconciliation;

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
  async Get(ctx: Context, campaignId: string, lineItemId: string, periodStart: string): Promise<string> {
    const [, , day] = parseTransactionArguments(TX.Get, [campaignId, lineItemId, periodStart]);
    const { row } = await this.#row(ctx, campaignId, lineItemId, day);
    return encodeResult(TX.Get, row);
  }

  /**
   * @returns `{records}`: the rows of a campaign's visible line items (optionally one), days from..to inclusive.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  async List(ctx: Context, queryJson: string): Promise<string> {
    const [query] = parseTransactionArguments(TX.List, [queryJson]);
    const { campaignId, lineItemId } = query;
    const range = DayRange.of(query);
    const { campaign, relation } = await loadVisibleCampaign(ctx, campaignId);
    const lineItems =
      lineItemId === undefined
        ? campaign.lineItems.filter((i) => canSeeLineItem(relation, i.lineItemId))
        : [visibleLineItem(campaign, relation, lineItemId)];
    const ledger = new Ledger(ctx);
    const schedule = await loadTermsSchedule(ctx, campaign);
    const records: ReconciliationRow[] = [];
    for (const lineItem of lineItems) {
      const rows = deriveRows(
        schedule,
        lineItem,
        await loadLineItemRecords(ledger, campaignId, lineItem.lineItemId),
        txTimeMs(ctx),
      );
      records.push(...rows.filter((r) => range.includes(r)));
    }
    return encodeResult(TX.List, { records });
  }

  /**
   * Proposes an agreed count for a DISPUTED day; replaces an earlier proposal not yet accepted. By the line item's
   * publisher (publisher side) or the campaign's advertiser or agency (buyer side). Repeating the pending proposal
   * (same organization, same count) is a no-op that returns the row unchanged: a client's retry, or the loser of
   * two identical concurrent proposals, never opens a new version.
   *
   * @returns the row, still DISPUTED, with the proposal in `resolution`.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError, RECONCILIATION_NOT_FOUND, InvalidStateError.
   */
  @Transaction()
  async ProposeResolution(
    ctx: Context,
    campaignId: string,
    lineItemId: string,
    periodStart: string,
    agreedImpressions: string,
  ): Promise<string> {
    const [, , day, agreed] = parseTransactionArguments(TX.ProposeResolution, [
      campaignId,
      lineItemId,
      periodStart,
      agreedImpressions,
    ]);
    const { campaign, side, row, records, lineItem, schedule } = await this.#row(ctx, campaignId, lineItemId, day);
    if (row.status !== 'DISPUTED') {
      throw new InvalidStateError(`${row.periodStart} of line item ${lineItemId} is ${row.status}, not DISPUTED`);
    }
    const highest = Math.max(row.firstPartyImpressions ?? 0, row.thirdPartyImpressions ?? 0);
    if (agreed > highest) {
      throw new ValidationError(`agreedImpressions ${agreed} exceeds both sides' counts (at most ${highest})`);
    }
    const pending = row.resolution;
    if (
      pending?.status === 'PROPOSED' &&
      pending.proposedBy === callerMspId(ctx) &&
      pending.agreedImpressions === agreed
    ) {
      return encodeResult(TX.ProposeResolution, row);
    }
    const resolution: Resolution = {
      campaignId,
      lineItemId,
      periodStart: row.periodStart,
      agreedImpressions: agreed,
      version: (row.resolution?.version ?? 0) + 1,
      status: 'PROPOSED',
      proposedBy: callerMspId(ctx),
      proposer: actorRecord(ctx),
      proposerSide: side,
      proposedAt: txTimeIso(ctx),
      proposalTxId: ctx.stub.getTxID(),
    };
    const parties = lineItemParties(campaign, lineItem);
    await new Ledger(ctx).put(KEY_TYPES.resolution, [campaignId, lineItemId, row.periodStart], resolution, parties);
    records.resolutions.set(row.periodStart, resolution);
    const updated =
      deriveRows(schedule, lineItem, records, txTimeMs(ctx)).find((r) => r.periodStart === row.periodStart) ?? row;
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
    return encodeResult(TX.ProposeResolution, updated);
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
  async AcceptResolution(
    ctx: Context,
    campaignId: string,
    lineItemId: string,
    periodStart: string,
    agreedImpressions: string,
    version: string,
  ): Promise<string> {
    const [, , day, agreed, proposalVersion] = parseTransactionArguments(TX.AcceptResolution, [
      campaignId,
      lineItemId,
      periodStart,
      agreedImpressions,
      version,
    ]);
    const { campaign, side, row, records, lineItem, schedule } = await this.#row(ctx, campaignId, lineItemId, day);
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
      acceptor: actorRecord(ctx),
      acceptedAt: txTimeIso(ctx),
      acceptanceTxId: ctx.stub.getTxID(),
    });
    const parties = lineItemParties(campaign, lineItem);
    await new Ledger(ctx).put(KEY_TYPES.resolution, [campaignId, lineItemId, row.periodStart], accepted, parties);
    records.resolutions.set(row.periodStart, accepted);
    const updated =
      deriveRows(schedule, lineItem, records, txTimeMs(ctx)).find((r) => r.periodStart === row.periodStart) ?? row;
    emitEvent(ctx, EVENTS.disputeResolved, {
      campaignId,
      lineItemId,
      periodStart: row.periodStart,
      agreedImpressions: accepted.agreedImpressions,
      version: accepted.version,
      status: updated.status,
      parties,
    });
    return encodeResult(TX.AcceptResolution, updated);
  }

  /**
   * The finance report over one campaign or a page of the campaigns the caller is party to (its party index),
   * optionally one publisher, one line item (only its records are read) and a range of days; overdue is judged at
   * the transaction timestamp. Totals are the returned rows'.
   *
   * @returns `{rows, totals, asOf, bookmark, fetchedCount}`.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  async Report(ctx: Context, queryJson: string): Promise<string> {
    const [query] = parseTransactionArguments(TX.Report, [queryJson]);
    const { campaignId, publisher } = query;
    const range = DayRange.of(query);
    const ledger = new Ledger(ctx);
    const campaigns: CampaignRecord[] = [];
    let page = { bookmark: '', fetchedCount: 1 };
    if (campaignId !== undefined) {
      campaigns.push(await loadCampaignRecord(ctx, campaignId));
    } else {
      // A page of the caller's own campaign index: the work is bounded by the page size, and the bookmark is a key
      // of the caller's index (it names only campaigns the caller is party to).
      const indexPage = await ledger.page(
        KEY_TYPES.campaignByParty,
        [callerMspId(ctx)],
        parseCampaignIndex,
        query.pageSize,
        query.bookmark,
      );
      for (const entry of indexPage.entries) {
        const campaign = await ledger.get(KEY_TYPES.campaign, [entry.value], parseCampaignRecord);
        if (campaign !== undefined) campaigns.push(campaign);
      }
      page = { bookmark: indexPage.bookmark, fetchedCount: indexPage.fetchedCount };
    }
    const asOf = txTimeIso(ctx);
    const rows: ReportRow[] = [];
    for (const record of campaigns) {
      let relation;
      try {
        relation = await relationTo(ctx, record);
      } catch (err) {
        if (campaignId === undefined && err instanceof ForbiddenError) continue;
        throw err;
      }
      const campaign = await hydrateCampaign(ctx, record, visibleLineItemIds(record, relation));
      const schedule = await loadTermsSchedule(ctx, campaign);
      // Overdue is judged on the campaign's own calendar: a due date is a day of its zone.
      const asOfDate = formatDate(schedule.calendar.dayOf(txTimeMs(ctx)));
      for (const lineItem of campaign.lineItems) {
        if (
          !canSeeLineItem(relation, lineItem.lineItemId) ||
          (publisher !== undefined && lineItem.publisher !== publisher) ||
          (query.lineItemId !== undefined && lineItem.lineItemId !== query.lineItemId)
        ) {
          continue;
        }
        const records = await loadLineItemRecords(ledger, campaign.campaignId, lineItem.lineItemId);
        const all = allocateInvoiceMoney(
          deriveRows(schedule, lineItem, records, txTimeMs(ctx)),
          records.invoices,
          asOfDate,
        );
        rows.push(...all.filter((r) => range.includes(r)));
      }
    }
    const sum = (pick: (row: ReportRow) => number): number => rows.reduce((total, row) => total + pick(row), 0);
    const totals = {
      firstPartyImpressions: sum((r) => r.firstPartyImpressions ?? 0),
      thirdPartyImpressions: sum((r) => r.thirdPartyImpressions ?? 0),
      billableImpressions: sum((r) => r.billableImpressions),
      amountMicros: sum((r) => r.amountMicros),
      invoicedMicros: sum((r) => r.invoicedMicros),
      creditedMicros: sum((r) => r.creditedMicros ?? 0),
      paidMicros: sum((r) => r.paidMicros),
      outstandingMicros: sum((r) => r.outstandingMicros),
      overdueMicros: sum((r) => (r.overdue ? r.outstandingMicros : 0)),
    };
    return encodeResult(TX.Report, { rows, totals, asOf, ...page });
  }

  /** The row of a line item's day (`day`: the instant the day starts in the campaign's zone, as rows show it). */
  async #row(ctx: Context, campaignId: string, lineItemId: string, day: string) {
    const campaign = await loadCampaign(ctx, campaignId, [lineItemId]);
    const relation = await relationTo(ctx, campaign);
    const lineItem = visibleLineItem(campaign, relation, lineItemId);
    const side: ResolutionSide = disputeSide(relation);
    const ledger = new Ledger(ctx);
    const schedule = await loadTermsSchedule(ctx, campaign);
    const records = await loadLineItemRecords(ledger, campaignId, lineItemId);
    const row = deriveRows(schedule, lineItem, records, txTimeMs(ctx)).find((r) => r.periodStart === day);
    if (row === undefined) {
      throw new NotFoundError(
        'RECONCILIATION_NOT_FOUND',
        `line item ${lineItemId} of campaign ${campaignId} has no report for ${day}`,
      );
    }
    return { campaign, lineItem, side, row, records, schedule };
  }
}
