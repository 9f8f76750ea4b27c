import { billableUnitOf, lineItemSchema, partyCollectionName, TRANSIENT_KEYS } from '@adrecon/contract';
import type { Context } from 'fabric-contract-api';
import { callerMspId, lineItemParties, relationTo, visibleLineItemIds, type CampaignRelation } from './access.js';
import { TermsSchedule } from './domain/terms-schedule.js';
import { recordParser } from './arguments.js';
import { DAY_MS, dateMs, formatDate } from './domain/calendar.js';
import { InvalidStateError, NotFoundError, ValidationError } from './errors.js';
import { KEY_TYPES, versionAttribute } from './ledger/keys.js';
import { Ledger } from './ledger/ledger.js';
import {
  parseCampaignRecord,
  type Campaign,
  type CampaignRecord,
  type LineItem,
  type LineItemRef,
} from './models/campaign.js';

const parseLineItem = recordParser(lineItemSchema, 'lineItem');

/** The line items each hydrated campaign was read for (so that its superseded versions are read for the same). */
const scopes = new WeakMap<Campaign, readonly string[]>();

/**
 * The all-parties record of a campaign's current version: everything but its line items' terms (issue 8). The
 * only campaign read of a transaction endorsed by every party (accept, amend, cancel, complete).
 *
 * @throws NotFoundError CAMPAIGN_NOT_FOUND when it does not exist (or the caller is not a party).
 */
export async function loadCampaignRecord(ctx: Context, campaignId: string): Promise<CampaignRecord> {
  const record = await new Ledger(ctx).get(KEY_TYPES.campaign, [campaignId], parseCampaignRecord);
  if (record === undefined) {
    throw new NotFoundError('CAMPAIGN_NOT_FOUND', `campaign ${campaignId} does not exist`);
  }
  return record;
}

/**
 * The current version of a campaign with the terms of `lineItemIds` (those of them it has; the others are left
 * out). A transaction reads only the line items whose parties endorse it: every endorser must read the same keys,
 * and a publisher's peer holds only its own line items' terms.
 *
 * @throws NotFoundError CAMPAIGN_NOT_FOUND when it does not exist.
 * @throws InvalidStateError when a line item's terms are missing or do not match the campaign's commitment.
 */
export async function loadCampaign(
  ctx: Context,
  campaignId: string,
  lineItemIds: readonly string[],
): Promise<Campaign> {
  return hydrateCampaign(ctx, await loadCampaignRecord(ctx, campaignId), lineItemIds);
}

/**
 * A campaign record with the terms of `lineItemIds` read from their line items' collections (see
 * {@link loadCampaign}). A line item left out of an amendment ends the day before its `endsBefore` date, and is
 * left out if that is before its flight starts.
 *
 * @throws InvalidStateError when a line item's terms are missing or do not match the campaign's commitment.
 */
export async function hydrateCampaign(
  ctx: Context,
  record: CampaignRecord,
  lineItemIds: readonly string[],
): Promise<Campaign> {
  const wanted = new Set(lineItemIds);
  const caller = callerMspId(ctx);
  const lineItems: LineItem[] = [];
  for (const ref of record.lineItems) {
    // Another publisher's line item is left out, as one that does not exist: its terms are not the caller's to read.
    if (!wanted.has(ref.lineItemId) || !lineItemParties(record, ref).includes(caller)) continue;
    const terms = await lineItemTerms(ctx, record, ref);
    if (terms !== undefined) lineItems.push(terms);
  }
  const campaign: Campaign = { ...record, lineItems };
  scopes.set(campaign, [...wanted]);
  return campaign;
}

/** The line items a hydrated campaign was read for. */
export function scopeOf(campaign: Campaign): readonly string[] {
  return scopes.get(campaign) ?? campaign.lineItems.map((i) => i.lineItemId);
}

/**
 * The current version of a campaign with the terms of the line items the caller may see (for evaluations: read on
 * the caller's own peer, which holds exactly those), and how the caller relates to it.
 *
 * @throws NotFoundError CAMPAIGN_NOT_FOUND, ForbiddenError when the caller is not a party.
 */
export async function loadVisibleCampaign(
  ctx: Context,
  campaignId: string,
): Promise<{ campaign: Campaign; relation: CampaignRelation }> {
  const record = await loadCampaignRecord(ctx, campaignId);
  const relation = await relationTo(ctx, record);
  return { campaign: await hydrateCampaign(ctx, record, visibleLineItemIds(record, relation)), relation };
}

/**
 * The terms schedule of a hydrated campaign: its superseded versions are read for the same line items.
 *
 * @throws InvalidStateError when a replaced version is missing.
 */
export async function loadTermsSchedule(ctx: Context, campaign: Campaign): Promise<TermsSchedule> {
  return TermsSchedule.load(campaign, (version) => loadCampaignVersion(ctx, campaign.campaignId, version, campaign));
}

/**
 * A superseded version of a campaign, hydrated like `like` (the same line items).
 *
 * @returns undefined when that version was never stored.
 */
export async function loadCampaignVersion(
  ctx: Context,
  campaignId: string,
  version: number,
  like: Campaign,
): Promise<Campaign | undefined> {
  const record = await new Ledger(ctx).get(
    KEY_TYPES.campaignVersion,
    [campaignId, versionAttribute(version)],
    parseCampaignRecord,
  );
  return record === undefined ? undefined : hydrateCampaign(ctx, record, scopeOf(like));
}

async function lineItemTerms(ctx: Context, record: CampaignRecord, ref: LineItemRef): Promise<LineItem | undefined> {
  const committed = await new Ledger(ctx).getCommitted(
    KEY_TYPES.lineItemTerms,
    [record.campaignId, ref.lineItemId, ref.termsId],
    parseLineItem,
  );
  const terms = committed?.value;
  if (
    committed?.hash !== ref.commitment ||
    terms?.lineItemId !== ref.lineItemId ||
    terms.publisher !== ref.publisher ||
    billableUnitOf(terms) !== billableUnitOf(ref)
  ) {
    throw new InvalidStateError(
      `the terms of line item ${ref.lineItemId} of campaign ${record.campaignId} are missing or do not match its commitment`,
    );
  }
  if (ref.endsBefore === undefined) return terms;
  const lastMs = Math.min(dateMs(terms.flightEnd, 'flightEnd'), dateMs(ref.endsBefore, 'endsBefore') - DAY_MS);
  return lastMs < dateMs(terms.flightStart, 'flightStart') ? undefined : { ...terms, flightEnd: formatDate(lastMs) };
}

/**
 * Writes one line item's terms under `termsId` into the collection of the campaign's advertiser, agency and that
 * line item's publisher, with their key-level policy.
 *
 * @returns the line item as the all-parties record refers to it (the commitment is the private record's hash).
 * @throws ConflictError-free: the caller checks `termsId` is new.
 */
export async function writeLineItemTerms(
  ledger: Ledger,
  campaign: Pick<Campaign, 'campaignId' | 'advertiser' | 'agency'>,
  termsId: string,
  lineItem: LineItem,
): Promise<LineItemRef> {
  const commitment = await ledger.put(
    KEY_TYPES.lineItemTerms,
    [campaign.campaignId, lineItem.lineItemId, termsId],
    lineItem,
    lineItemParties(campaign, lineItem),
  );
  if (commitment === undefined) throw new Error('unreachable: line item terms are private');
  return {
    lineItemId: lineItem.lineItemId,
    publisher: lineItem.publisher,
    billableUnit: lineItem.billableUnit,
    termsId,
    commitment,
  };
}

/**
 * The reference to terms written beforehand by `campaigns:SetLineItemTerms`: their public marker must exist, in the
 * collection of the line item's parties; its hash becomes the commitment. Reads only the channel's public state, so
 * every endorser of the proposal reads the same.
 *
 * @throws InvalidStateError when no such terms were written for this campaign and line item.
 */
export async function committedTerms(
  ledger: Ledger,
  campaign: Pick<Campaign, 'campaignId' | 'advertiser' | 'agency'>,
  ref: Omit<LineItemRef, 'commitment'>,
): Promise<LineItemRef> {
  const marker = await ledger.marker(KEY_TYPES.lineItemTerms, [campaign.campaignId, ref.lineItemId, ref.termsId]);
  const parties = lineItemParties(campaign, { publisher: ref.publisher });
  if (marker?.c !== partyCollectionName(parties) || marker.m.join(',') !== parties.join(',')) {
    throw new InvalidStateError(
      `line item ${ref.lineItemId} has no terms ${ref.termsId} of ${parties.join(', ')}: write them with campaigns:SetLineItemTerms first`,
    );
  }
  return { ...ref, commitment: marker.h };
}

/**
 * Requires the transaction to carry a client salt: line item terms are few and guessable, so their public hash must
 * be salted with bytes no one else knows.
 *
 * @throws ValidationError otherwise.
 */
export function requireClientSalt(ctx: Context): void {
  const salt = ctx.stub.getTransient().get(TRANSIENT_KEYS.salt);
  if (salt === undefined || salt.length < 16) {
    throw new ValidationError(
      `terms: need a salt of at least 16 random bytes in the transient map (${TRANSIENT_KEYS.salt})`,
    );
  }
}

/**
 * The non-identifying facts of a campaign that its public marker carries: whether it is live (PROPOSED or ACTIVE),
 * which role changes of its parties must know without reading the campaign.
 */
export function campaignFacts(campaign: Pick<CampaignRecord, 'status'>): { live: boolean } {
  return { live: campaign.status === 'PROPOSED' || campaign.status === 'ACTIVE' };
}
