import { makeGoodThresholdOf, type MakeGood, type MakeGoodInput } from '@adrecon/contract';
import type { Context } from 'fabric-contract-api';
import { actorRecord } from '../actor.js';
import { lineItemParties, relationTo, requireBuyer, requireLineItemPublisher, visibleLineItem } from '../access.js';
import { loadCampaign, loadTermsSchedule } from '../campaign-store.js';
import { DAY_MS, dateMs, formatDate, instantMs } from '../domain/calendar.js';
import { requireLifecycle } from '../domain/campaign-lifecycle.js';
import { shortfallBeyond } from '../domain/make-good-rules.js';
import { deriveRows, loadLineItemRecords } from '../domain/reconciliation.js';
import { ConflictError, InvalidStateError, NotFoundError } from '../errors.js';
import { emitEvent, EVENTS } from '../events.js';
import { KEY_TYPES } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { txTimeIso, txTimeMs } from '../ledger/tx-time.js';
import { parseMakeGood } from '../models/make-good.js';

/**
 * The make-goods of line items (issue 15): proposed by the publisher of a line item that ended under-delivered
 * beyond the campaign's threshold, accepted by the advertiser and the agency, delivered and reconciled after the
 * flight, never billed. Records live in the line item's collection (advertiser, agency, its publisher).
 */
export class MakeGoodBook {
  readonly #ctx: Context;
  readonly #ledger: Ledger;

  constructor(ctx: Context) {
    this.#ctx = ctx;
    this.#ledger = new Ledger(ctx);
  }

  /**
   * Proposes a make-good as the line item's publisher. The flight of the line item must have ended, its delivered
   * (billed) units must fall short of the booking by more than the campaign's threshold, the make-good may not offer
   * more than the shortfall, and its flight starts after the line item's. One make-good per line item.
   *
   * @throws CAMPAIGN_NOT_FOUND, ForbiddenError, ConflictError (one exists), InvalidStateError.
   */
  async propose(input: MakeGoodInput): Promise<MakeGood> {
    const campaign = await loadCampaign(this.#ctx, input.campaignId, [input.lineItemId]);
    const relation = await relationTo(this.#ctx, campaign);
    const lineItem = visibleLineItem(campaign, relation, input.lineItemId);
    requireLineItemPublisher(relation, lineItem.lineItemId, 'propose a make-good');
    requireLifecycle(campaign, 'makeGood');
    const existing = await this.#ledger.list(
      KEY_TYPES.makeGood,
      [campaign.campaignId, lineItem.lineItemId],
      parseMakeGood,
    );
    if (existing.length > 0) {
      throw new ConflictError(
        `line item ${lineItem.lineItemId} already has make-good ${existing[0]?.value.makeGoodId}`,
      );
    }
    const schedule = await loadTermsSchedule(this.#ctx, campaign);
    const hull = schedule.flightHull(lineItem.lineItemId);
    const nowMs = txTimeMs(this.#ctx);
    if (hull === undefined || nowMs < schedule.calendar.startOf(hull.lastMs + DAY_MS)) {
      throw new InvalidStateError(
        `the flight of line item ${lineItem.lineItemId} has not ended; a make-good follows it`,
      );
    }
    if (dateMs(input.flightStart, 'flightStart') <= hull.lastMs) {
      throw new InvalidStateError(
        `a make-good's flight starts after the line item's last day ${formatDate(hull.lastMs)}, not on ${input.flightStart}`,
      );
    }
    const records = await loadLineItemRecords(this.#ledger, campaign.campaignId, lineItem.lineItemId);
    const delivered = deriveRows(schedule, lineItem, records, nowMs).reduce((sum, r) => sum + r.billableImpressions, 0);
    const shortfall = shortfallBeyond(lineItem.bookedImpressions, delivered, makeGoodThresholdOf(campaign));
    if (input.impressions > shortfall) {
      throw new InvalidStateError(`a make-good of ${input.impressions} units exceeds the shortfall of ${shortfall}`);
    }
    const makeGood: MakeGood = {
      ...input,
      publisher: lineItem.publisher,
      shortfallImpressions: shortfall,
      status: 'PROPOSED',
      acceptances: [],
      proposedAt: txTimeIso(this.#ctx),
      proposedBy: actorRecord(this.#ctx),
      txId: this.#ctx.stub.getTxID(),
    };
    const parties = lineItemParties(campaign, lineItem);
    await this.#ledger.put(
      KEY_TYPES.makeGood,
      [campaign.campaignId, lineItem.lineItemId, input.makeGoodId],
      makeGood,
      parties,
    );
    emitEvent(this.#ctx, EVENTS.makeGoodProposed, {
      campaignId: campaign.campaignId,
      lineItemId: lineItem.lineItemId,
      makeGoodId: input.makeGoodId,
      status: makeGood.status,
      parties,
    });
    return makeGood;
  }

  /**
   * Accepts a proposed make-good as the campaign's advertiser or agency; ACCEPTED once both have.
   *
   * @throws CAMPAIGN_NOT_FOUND (no such make-good), ForbiddenError, InvalidStateError (already accepted by the caller).
   */
  async accept(campaignId: string, lineItemId: string, makeGoodId: string): Promise<MakeGood> {
    const campaign = await loadCampaign(this.#ctx, campaignId, [lineItemId]);
    const relation = await relationTo(this.#ctx, campaign);
    const lineItem = visibleLineItem(campaign, relation, lineItemId);
    requireBuyer(relation, 'accept a make-good');
    requireLifecycle(campaign, 'makeGood');
    const makeGood = await this.#ledger.get(KEY_TYPES.makeGood, [campaignId, lineItemId, makeGoodId], parseMakeGood);
    if (makeGood === undefined) {
      throw new NotFoundError('CAMPAIGN_NOT_FOUND', `line item ${lineItemId} has no make-good ${makeGoodId}`);
    }
    if (makeGood.acceptances.some((a) => a.mspId === relation.mspId)) {
      throw new InvalidStateError(`${relation.mspId} already accepted make-good ${makeGoodId}`);
    }
    const acceptances = [
      ...makeGood.acceptances,
      {
        mspId: relation.mspId,
        acceptedAt: txTimeIso(this.#ctx),
        acceptedBy: actorRecord(this.#ctx),
        txId: this.#ctx.stub.getTxID(),
      },
    ];
    const both = [campaign.advertiser, campaign.agency].every((msp) => acceptances.some((a) => a.mspId === msp));
    const updated: MakeGood = { ...makeGood, acceptances, status: both ? 'ACCEPTED' : 'PROPOSED' };
    const parties = lineItemParties(campaign, lineItem);
    await this.#ledger.put(KEY_TYPES.makeGood, [campaignId, lineItemId, makeGoodId], updated, parties);
    emitEvent(this.#ctx, EVENTS.makeGoodAccepted, {
      campaignId,
      lineItemId,
      makeGoodId,
      mspId: relation.mspId,
      status: updated.status,
      parties,
    });
    return updated;
  }

  /**
   * The make-goods of a line item and what each delivered so far (Σ of its days' `makeGoodImpressions`).
   *
   * @throws CAMPAIGN_NOT_FOUND, ForbiddenError.
   */
  async list(campaignId: string, lineItemId: string): Promise<{ makeGood: MakeGood; deliveredImpressions: number }[]> {
    const campaign = await loadCampaign(this.#ctx, campaignId, [lineItemId]);
    const lineItem = visibleLineItem(campaign, await relationTo(this.#ctx, campaign), lineItemId);
    const makeGoods = (await this.#ledger.list(KEY_TYPES.makeGood, [campaignId, lineItemId], parseMakeGood)).map(
      (e) => e.value,
    );
    if (makeGoods.length === 0) return [];
    const schedule = await loadTermsSchedule(this.#ctx, campaign);
    const records = await loadLineItemRecords(this.#ledger, campaignId, lineItemId);
    const rows = deriveRows(schedule, lineItem, records, txTimeMs(this.#ctx));
    return makeGoods.map((makeGood) => {
      const startMs = dateMs(makeGood.flightStart, 'flightStart');
      const endMs = dateMs(makeGood.flightEnd, 'flightEnd');
      const deliveredImpressions = rows
        .filter((r) => {
          const dayMs = schedule.calendar.dayOf(instantMs(r.periodStart, 'periodStart'));
          return dayMs >= startMs && dayMs <= endMs;
        })
        .reduce((sum, r) => sum + (r.makeGoodImpressions ?? 0), 0);
      return { makeGood, deliveredImpressions };
    });
  }
}
