import { TRANSACTION_PERMISSIONS, userRoleAllows } from '@adrecon/contract';
import type { Context } from 'fabric-contract-api';
import { actorOf } from './actor.js';
import { ForbiddenError, NotFoundError } from './errors.js';
import { KEY_TYPES } from './ledger/keys.js';
import { Ledger } from './ledger/ledger.js';
import type { Campaign, LineItem } from './models/campaign.js';

/** What access checks need of a campaign, as read (with terms) or as its all-parties record (line item references). */
export type CampaignParties = Pick<Campaign, 'campaignId' | 'advertiser' | 'agency' | 'parties' | 'acceptances'> & {
  readonly lineItems: readonly { readonly lineItemId: string; readonly publisher: string }[];
};
import { parseRoleEntry, type Role, type RoleEntry } from './models/role-entry.js';

/** How the calling organization relates to one campaign. */
export interface CampaignRelation {
  mspId: string;
  role: Role;
  /** The caller is the campaign's advertiser (with role ADVERTISER). */
  isAdvertiser: boolean;
  /** The caller is the campaign's agency (with role AGENCY). */
  isAgency: boolean;
  /** The line items whose publisher the caller is (with role PUBLISHER). */
  publisherOf: ReadonlySet<string>;
}

/** The calling organization's MSP ID, from its certificate. */
export function callerMspId(ctx: Context): string {
  return ctx.clientIdentity.getMSPID();
}

/** The registered role of an MSP, or undefined. */
export async function findRole(ctx: Context, mspId: string): Promise<RoleEntry | undefined> {
  return new Ledger(ctx).get(KEY_TYPES.role, [mspId], parseRoleEntry);
}

/**
 * The caller's registered role, which must be one of `allowed`.
 *
 * @throws ForbiddenError when the caller's MSP is not registered or holds another role.
 */
export async function requireCallerRole(ctx: Context, allowed: readonly Role[]): Promise<RoleEntry> {
  const mspId = callerMspId(ctx);
  const entry = await findRole(ctx, mspId);
  if (entry === undefined) {
    throw new ForbiddenError(`organization ${mspId} has no registered role`);
  }
  if (!allowed.includes(entry.role)) {
    throw new ForbiddenError(`organization ${mspId} has role ${entry.role}; this needs ${allowed.join(' or ')}`);
  }
  return entry;
}

/** The sorted MSP IDs of every party of a campaign. */
export function campaignParties(campaign: Pick<CampaignParties, 'advertiser' | 'agency' | 'lineItems'>): string[] {
  return [...new Set([campaign.advertiser, campaign.agency, ...campaign.lineItems.map((i) => i.publisher)])].sort();
}

/** The sorted MSP IDs concerned by one line item's records: advertiser, agency and the line item's publisher. */
export function lineItemParties(
  campaign: Pick<Campaign, 'advertiser' | 'agency'>,
  lineItem: Pick<LineItem, 'publisher'>,
): string[] {
  return [...new Set([campaign.advertiser, campaign.agency, lineItem.publisher])].sort();
}

/**
 * How the caller relates to a campaign; its registered role must match the position it holds (a campaign's
 * advertiser must be registered ADVERTISER, and so on).
 *
 * @throws ForbiddenError when the caller is not a party with a matching registered role.
 */
export async function relationTo(ctx: Context, campaign: CampaignParties): Promise<CampaignRelation> {
  const mspId = callerMspId(ctx);
  const entry = await findRole(ctx, mspId);
  if (entry === undefined) {
    throw new ForbiddenError(`organization ${mspId} has no registered role`);
  }
  const publisherOf = new Set(
    entry.role === 'PUBLISHER' ? campaign.lineItems.filter((i) => i.publisher === mspId).map((i) => i.lineItemId) : [],
  );
  const relation: CampaignRelation = {
    mspId,
    role: entry.role,
    isAdvertiser: entry.role === 'ADVERTISER' && campaign.advertiser === mspId,
    isAgency: entry.role === 'AGENCY' && campaign.agency === mspId,
    publisherOf,
  };
  // A campaign read with some line items' terms only (a line item transaction) still names every party: a
  // publisher of its other line items is a party, for which the line item asked for answers as not found.
  const publisherParty = entry.role === 'PUBLISHER' && campaign.parties.includes(mspId);
  if (!relation.isAdvertiser && !relation.isAgency && publisherOf.size === 0 && !publisherParty) {
    throw new ForbiddenError(`organization ${mspId} is not a party of campaign ${campaign.campaignId}`);
  }
  return relation;
}

/** Whether the caller is on the buyer side (advertiser or agency) of the campaign. */
export function isBuyer(relation: CampaignRelation): boolean {
  return relation.isAdvertiser || relation.isAgency;
}

/**
 * Requires the caller to be the campaign's advertiser or agency.
 *
 * @throws ForbiddenError otherwise.
 */
export function requireBuyer(relation: CampaignRelation, action: string): void {
  if (!isBuyer(relation)) {
    throw new ForbiddenError(`only the campaign's advertiser or agency may ${action}; ${relation.mspId} may not`);
  }
}

/**
 * The line item, which the caller must be allowed to see (buyers see all, a publisher only its own). Another
 * publisher's line item answers exactly as one that does not exist, so the error tells a publisher nothing about
 * line items it may not see (issue 8 item 6).
 *
 * @throws NotFoundError CAMPAIGN_NOT_FOUND when the line item does not exist or is another publisher's.
 */
export function visibleLineItem(campaign: Campaign, relation: CampaignRelation, lineItemId: string): LineItem {
  const lineItem = campaign.lineItems.find((i) => i.lineItemId === lineItemId);
  if (lineItem === undefined || !canSeeLineItem(relation, lineItemId)) {
    throw new NotFoundError(
      'CAMPAIGN_NOT_FOUND',
      `campaign ${campaign.campaignId} has no line item ${JSON.stringify(lineItemId)}`,
    );
  }
  return lineItem;
}

/**
 * The key attribute prefixes of a campaign's line-item records that the caller may read: `lineItemId`'s alone when
 * given (checked visible beforehand), the whole campaign for a buyer, one range per own line item for a publisher.
 * Lists page over these only, so they never scan (nor name in a bookmark) another publisher's keys.
 */
export function visibleRanges(
  campaign: Pick<Campaign, 'campaignId'>,
  relation: CampaignRelation,
  lineItemId: string | undefined,
): string[][] {
  if (lineItemId !== undefined) return [[campaign.campaignId, lineItemId]];
  if (isBuyer(relation)) return [[campaign.campaignId]];
  return [...relation.publisherOf].sort().map((id) => [campaign.campaignId, id]);
}

/** The IDs of the campaign's line items the caller may see (all for a buyer, its own for a publisher). */
export function visibleLineItemIds(campaign: CampaignParties, relation: CampaignRelation): string[] {
  return campaign.lineItems.map((i) => i.lineItemId).filter((id) => canSeeLineItem(relation, id));
}

/** Whether the caller may see a line item. */
export function canSeeLineItem(relation: CampaignRelation, lineItemId: string): boolean {
  return isBuyer(relation) || relation.publisherOf.has(lineItemId);
}

/**
 * The campaign as the caller may see it: buyers see everything; a publisher sees only its own line items, and the
 * parties and acceptances of the advertiser, the agency and itself.
 */
export function campaignView<T extends CampaignParties>(campaign: T, relation: CampaignRelation): T {
  if (isBuyer(relation)) {
    return campaign;
  }
  const visible = new Set([campaign.advertiser, campaign.agency, relation.mspId]);
  return Object.assign(Object.create(Object.getPrototypeOf(campaign) as object) as T, campaign, {
    lineItems: campaign.lineItems.filter((i) => i.publisher === relation.mspId),
    parties: campaign.parties.filter((p) => visible.has(p)),
    acceptances: campaign.acceptances.filter((a) => visible.has(a.mspId)),
  });
}

/**
 * The side a caller reports for on a line item: its publisher reports FIRST_PARTY, the campaign's agency
 * THIRD_PARTY.
 *
 * @throws ForbiddenError for anyone else (the advertiser, another publisher).
 */
export function reportSource(relation: CampaignRelation, lineItemId: string): 'FIRST_PARTY' | 'THIRD_PARTY' {
  if (relation.publisherOf.has(lineItemId)) {
    return 'FIRST_PARTY';
  }
  if (relation.isAgency) {
    return 'THIRD_PARTY';
  }
  throw new ForbiddenError(
    `only line item ${lineItemId}'s publisher (first-party) or the campaign's agency (third-party) may report; ${relation.mspId} may not`,
  );
}

/**
 * Requires the caller to be the line item's publisher.
 *
 * @throws ForbiddenError otherwise.
 */
export function requireLineItemPublisher(relation: CampaignRelation, lineItemId: string, action: string): void {
  if (!relation.publisherOf.has(lineItemId)) {
    throw new ForbiddenError(`only line item ${lineItemId}'s publisher may ${action}; ${relation.mspId} may not`);
  }
}

/** The side of a dispute the caller speaks for: BUYER (advertiser or agency) or PUBLISHER. */
export function disputeSide(relation: CampaignRelation): 'BUYER' | 'PUBLISHER' {
  return isBuyer(relation) ? 'BUYER' : 'PUBLISHER';
}

/**
 * Requires the caller's organization to be registered (to propose or approve a role change).
 *
 * @throws ForbiddenError otherwise.
 */
export function requireRegistered(ctx: Context, registered: readonly RoleEntry[]): void {
  const mspId = callerMspId(ctx);
  if (!registered.some((e) => e.mspId === mspId)) {
    throw new ForbiddenError(`organization ${mspId} has no registered role`);
  }
}

/**
 * Requires the caller to be the proposed campaign's advertiser (registered ADVERTISER) or agency (registered
 * AGENCY).
 *
 * @returns the caller's registry entry.
 * @throws ForbiddenError otherwise.
 */
export async function requireProposer(
  ctx: Context,
  campaign: Pick<Campaign, 'advertiser' | 'agency'>,
): Promise<RoleEntry> {
  const caller = await requireCallerRole(ctx, ['ADVERTISER', 'AGENCY']);
  if (caller.mspId !== (caller.role === 'ADVERTISER' ? campaign.advertiser : campaign.agency)) {
    throw new ForbiddenError(`organization ${caller.mspId} is not the ${caller.role.toLowerCase()} of this campaign`);
  }
  return caller;
}

/**
 * Requires the calling user's `adrecon.role` certificate attribute to allow the transaction being run (the role
 * table of `@adrecon/contract`); reads need no role. Runs before every transaction, in addition to the
 * organization-level checks each write makes.
 *
 * @throws ForbiddenError when the user holds no role, or one that may not submit this transaction.
 */
export function requireUserPermission(ctx: Context): void {
  const { fcn } = ctx.stub.getFunctionAndParameters();
  const permission = TRANSACTION_PERMISSIONS[fcn];
  if (permission === undefined) return;
  const actor = actorOf(ctx);
  if (!userRoleAllows(actor.userRole, permission)) {
    throw new ForbiddenError(
      actor.userRole === undefined
        ? `user ${actor.enrollmentId} of ${actor.mspId} has no adrecon.role attribute and may only read`
        : `user ${actor.enrollmentId} of ${actor.mspId} has role ${actor.userRole}; ${fcn} needs ${permission}`,
    );
  }
}
