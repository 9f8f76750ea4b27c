import { createHash } from 'node:crypto';
import { TRANSACTIONS, timeZoneRules } from '@adrecon/contract';
import { actorRecord } from '../actor.js';
import { Context, Info, Transaction } from 'fabric-contract-api';
import { encodeResult, parseTransactionArguments } from '../arguments.js';
import { BaseContract } from './base-contract.js';
import {
  callerMspId,
  campaignParties,
  campaignView,
  findRole,
  lineItemParties,
  relationTo,
  requireBuyer,
  requireProposer,
  visibleLineItemIds,
} from '../access.js';
import {
  campaignFacts,
  committedTerms,
  hydrateCampaign,
  loadCampaignRecord,
  requireClientSalt,
  writeLineItemTerms,
} from '../campaign-store.js';
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import { emitEvent, EVENTS } from '../events.js';
import { KEY_TYPES, versionAttribute } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { txTimeIso } from '../ledger/tx-time.js';
import { todayOf } from '../domain/today.js';
import { amendedTerms, requireStillEffective } from '../domain/amendment.js';
import {
  parseCampaignRecord,
  type Acceptance,
  type Campaign,
  type CampaignRecord,
  type CommittedProposal,
  type LineItem,
  type LineItemRef,
} from '../models/campaign.js';
import { requireLifecycle } from '../domain/campaign-lifecycle.js';
import { parseCampaignIndex } from '../ledger/index-entries.js';
import { withChanges } from '../models/with-changes.js';
import type { Role } from '../models/role-entry.js';
import { MakeGoodBook } from '../make-goods/make-good-book.js';

const TX = TRANSACTIONS.campaigns;

async function requireRole(ctx: Context, mspId: string, role: Role, what: string): Promise<void> {
  const entry = await findRole(ctx, mspId);
  if (entry === undefined) {
    throw new NotFoundError('ROLE_NOT_FOUND', `${what} ${mspId} has no registered role`);
  }
  if (entry.role !== role) {
    throw new ValidationError(`${what} ${mspId} is registered as ${entry.role}, not ${role}`);
  }
}

async function checkTermRoles(
  ctx: Context,
  advertiser: string,
  agency: string,
  lineItems: readonly { publisher: string }[],
): Promise<void> {
  await requireRole(ctx, advertiser, 'ADVERTISER', 'advertiser');
  await requireRole(ctx, agency, 'AGENCY', 'agency');
  for (const publisher of [...new Set(lineItems.map((i) => i.publisher))].sort()) {
    await requireRole(ctx, publisher, 'PUBLISHER', 'publisher');
  }
}

/**
 * The line items of a proposal or amendment as the all-parties record refers to them: full terms are written into
 * their line item's collection here (under a terms ID derived from the transaction), references to terms written
 * beforehand by `campaigns:SetLineItemTerms` are checked against those terms' public markers.
 */
async function lineItemRefs(
  ctx: Context,
  ledger: Ledger,
  campaign: Pick<Campaign, 'campaignId' | 'advertiser' | 'agency'>,
  lineItems: CommittedProposal['lineItems'],
): Promise<LineItemRef[]> {
  const refs: LineItemRef[] = [];
  for (const item of lineItems) {
    if ('termsId' in item) {
      refs.push(await committedTerms(ledger, campaign, item));
    } else {
      refs.push(await writeLineItemTerms(ledger, campaign, derivedTermsId(ctx, item), item));
    }
  }
  return refs;
}

/** The terms ID of a line item sent in full: from the transaction ID, the same on every endorser. */
function derivedTermsId(ctx: Context, lineItem: LineItem): string {
  return createHash('sha256')
    .update(ctx.stub.getTxID())
    .update('\0')
    .update(lineItem.lineItemId)
    .digest('hex')
    .slice(0, 32);
}

/** Writes the campaign with a key-level policy of all its parties, and the party index. */
async function storeCampaign(
  ledger: Ledger,
  campaign: CampaignRecord,
  previousParties: readonly string[],
): Promise<void> {
  await ledger.put(KEY_TYPES.campaign, [campaign.campaignId], campaign, campaign.parties, campaignFacts(campaign));
  for (const party of campaign.parties) {
    if (!previousParties.includes(party)) {
      await ledger.put(
        KEY_TYPES.campaignByParty,
        [party, campaign.campaignId],
        { campaignId: campaign.campaignId },
        campaign.parties,
      );
    }
  }
}

/**
 * A campaign as the caller may see it, with the terms of the line items it may see (read on the caller's own peer,
 * which holds them: an evaluation).
 *
 * @throws ForbiddenError when the caller is not a party.
 */
async function visibleCampaign(ctx: Context, record: CampaignRecord): Promise<Campaign> {
  const relation = await relationTo(ctx, record);
  return campaignView(await hydrateCampaign(ctx, record, visibleLineItemIds(record, relation)), relation);
}

function acceptance(ctx: Context, mspId: string, version: number): Acceptance {
  return { mspId, version, acceptedAt: txTimeIso(ctx), txId: ctx.stub.getTxID(), acceptedBy: actorRecord(ctx) };
}

function withAcceptance(acceptances: readonly Acceptance[], added: Acceptance): Acceptance[] {
  return [...acceptances, added].sort((a, b) => (a.mspId < b.mspId ? -1 : 1));
}

/** Insertion orders: propose, amend, accept, cancel, complete, and read them. */
@Info({ title: 'campaigns', description: 'Campaign (insertion order) lifecycle' })
export class CampaignsContract extends BaseContract {
  constructor() {
    super('campaigns');
  }

  /**
   * Proposes a campaign; the caller must be its advertiser (role ADVERTISER) or agency (role AGENCY), and its
   * acceptance is recorded. Sets a key-level policy requiring a peer of every party.
   *
   * @returns the campaign record.
   * @throws ValidationError, ForbiddenError, NotFoundError ROLE_NOT_FOUND, ConflictError (campaignId taken).
   */
  @Transaction()
  async Propose(ctx: Context, campaignJson: string): Promise<string> {
    const [proposal] = parseTransactionArguments(TX.Propose, [campaignJson]);
    const caller = await requireProposer(ctx, proposal);
    await checkTermRoles(ctx, proposal.advertiser, proposal.agency, proposal.lineItems);
    const ledger = new Ledger(ctx);
    if (await ledger.exists(KEY_TYPES.campaign, [proposal.campaignId])) {
      throw new ConflictError(`campaign ${proposal.campaignId} already exists`);
    }
    const now = txTimeIso(ctx);
    const campaign: CampaignRecord = {
      ...proposal,
      lineItems: await lineItemRefs(ctx, ledger, proposal, proposal.lineItems),
      version: 1,
      status: 'PROPOSED',
      acceptances: [acceptance(ctx, caller.mspId, 1)],
      parties: campaignParties(proposal),
      createdAt: now,
      updatedAt: now,
      proposedBy: caller.mspId,
      proposer: actorRecord(ctx),
    };
    await storeCampaign(ledger, campaign, []);
    emitEvent(ctx, EVENTS.campaignProposed, {
      campaignId: campaign.campaignId,
      version: 1,
      status: campaign.status,
      parties: campaign.parties,
    });
    ctx.logging.getLogger('campaigns').info(`campaign ${campaign.campaignId} proposed by ${caller.mspId}`);
    return encodeResult(TX.Propose, campaign);
  }

  /**
   * Writes one line item's terms under a new `termsId`, in the collection of the advertiser, the agency and that
   * line item's publisher, endorsed by exactly those three (issue 8): the caller must be the advertiser or the agency,
   * and the transaction must carry a client salt. A `campaigns:Propose` (or a later one, for an amendment) then
   * refers to the terms by `termsId` and records their hash as its commitment, so the proposal, endorsed by every
   * party, carries no line item's price or volume. Terms are never overwritten. For an existing campaign the line
   * item keeps its publisher and, once ACTIVE, its billable unit.
   *
   * @returns the reference a proposal records (with the commitment).
   * @throws ValidationError, ForbiddenError, ROLE_NOT_FOUND, ConflictError (termsId taken), InvalidStateError.
   */
  @Transaction()
  async SetLineItemTerms(ctx: Context, termsJson: string): Promise<string> {
    const [input] = parseTransactionArguments(TX.SetLineItemTerms, [termsJson]);
    requireClientSalt(ctx);
    await requireProposer(ctx, input);
    await checkTermRoles(ctx, input.advertiser, input.agency, [input.lineItem]);
    const { campaignId, lineItem, termsId } = input;
    const ledger = new Ledger(ctx);
    if (await ledger.exists(KEY_TYPES.lineItemTerms, [campaignId, lineItem.lineItemId, termsId])) {
      throw new ConflictError(`line item ${lineItem.lineItemId} already has terms ${termsId}`);
    }
    const existing = await ledger.get(KEY_TYPES.campaign, [campaignId], parseCampaignRecord);
    if (existing !== undefined) {
      if (existing.advertiser !== input.advertiser || existing.agency !== input.agency) {
        throw new ValidationError(`terms: campaign ${campaignId} has other parties`);
      }
      requireLifecycle(existing, 'amend');
      const old = existing.lineItems.find((i) => i.lineItemId === lineItem.lineItemId);
      if (old !== undefined && old.publisher !== lineItem.publisher) {
        throw new InvalidStateError(
          `line item ${old.lineItemId} belongs to ${old.publisher}; end it and add another line item instead`,
        );
      }
    }
    const ref = await writeLineItemTerms(ledger, input, termsId, lineItem);
    emitEvent(ctx, EVENTS.lineItemTermsWritten, {
      campaignId,
      lineItemId: lineItem.lineItemId,
      parties: lineItemParties(input, lineItem),
    });
    return encodeResult(TX.SetLineItemTerms, ref);
  }

  /**
   * Changes the terms. A PROPOSED campaign gets a new version at once (acceptances reset to the amender's). An ACTIVE
   * campaign stays ACTIVE under its current terms: the new version waits as an amendment (replacing any earlier
   * one) until every party of the current and the new terms accepted it, then applies from its `effectiveFrom`
   * (default: the amendment's date, never earlier). See {@link amendedTerms} for line items left out or changed.
   *
   * @returns the new version (for an ACTIVE campaign: the amendment, status PROPOSED).
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND, ROLE_NOT_FOUND, InvalidStateError.
   */
  @Transaction()
  async Amend(ctx: Context, campaignId: string, termsJson: string): Promise<string> {
    const [, input] = parseTransactionArguments(TX.Amend, [campaignId, termsJson]);
    const { effectiveFrom, ...terms } = input;
    const current = await loadCampaignRecord(ctx, campaignId);
    const relation = await relationTo(ctx, current);
    requireBuyer(relation, 'amend a campaign');
    requireLifecycle(current, 'amend');
    await checkTermRoles(ctx, current.advertiser, current.agency, terms.lineItems);
    const ledger = new Ledger(ctx);
    const lineItems = await lineItemRefs(ctx, ledger, current, terms.lineItems);
    const now = txTimeIso(ctx);
    if (current.status === 'PROPOSED') {
      if (effectiveFrom !== undefined) {
        throw new ValidationError(
          'terms.effectiveFrom: applies only to an ACTIVE campaign (a proposal has no delivery yet)',
        );
      }
      await ledger.put(
        KEY_TYPES.campaignVersion,
        [campaignId, versionAttribute(current.version)],
        current,
        current.parties,
      );
      const version = current.version + 1;
      const replaced: CampaignRecord = {
        campaignId,
        advertiser: current.advertiser,
        agency: current.agency,
        timeZone: current.timeZone,
        ...terms,
        lineItems,
        version,
        status: 'PROPOSED',
        acceptances: [acceptance(ctx, relation.mspId, version)],
        parties: campaignParties({ advertiser: current.advertiser, agency: current.agency, lineItems }),
        createdAt: current.createdAt,
        updatedAt: now,
        proposedBy: relation.mspId,
        proposer: actorRecord(ctx),
      };
      await storeCampaign(ledger, replaced, current.parties);
      emitEvent(ctx, EVENTS.campaignAmended, {
        campaignId,
        version,
        status: replaced.status,
        parties: [...current.parties, ...replaced.parties],
      });
      return encodeResult(TX.Amend, replaced);
    }
    const pending = await ledger.get(KEY_TYPES.campaignAmendment, [campaignId], parseCampaignRecord);
    if (pending !== undefined) {
      await ledger.put(
        KEY_TYPES.campaignVersion,
        [campaignId, versionAttribute(pending.version)],
        pending,
        pending.parties,
      );
    }
    const version = (pending?.version ?? current.version) + 1;
    const amended = amendedTerms(current, { lineItems }, effectiveFrom, todayOf(ctx, current));
    const newParties = campaignParties({ ...current, lineItems: amended.lineItems });
    const amendment: CampaignRecord = {
      campaignId,
      advertiser: current.advertiser,
      agency: current.agency,
      // The zone is fixed for the campaign's life: every version's days are the same days.
      timeZone: current.timeZone,
      ...terms,
      lineItems: amended.lineItems,
      version,
      status: 'PROPOSED',
      acceptances: [acceptance(ctx, relation.mspId, version)],
      parties: [...new Set([...current.parties, ...newParties])].sort(),
      createdAt: current.createdAt,
      updatedAt: now,
      proposedBy: relation.mspId,
      proposer: actorRecord(ctx),
      effectiveFrom: amended.effectiveFrom,
      previousVersion: current.version,
    };
    await ledger.put(KEY_TYPES.campaignAmendment, [campaignId], amendment, amendment.parties);
    emitEvent(ctx, EVENTS.campaignAmended, {
      campaignId,
      version,
      status: current.status,
      effectiveFrom: amendment.effectiveFrom,
      parties: amendment.parties,
    });
    return encodeResult(TX.Amend, amendment);
  }

  /**
   * Records the caller's acceptance of a version: the current version of a PROPOSED campaign (the last party's
   * acceptance activates it), or the amendment awaiting acceptance of an ACTIVE one (the last acceptance puts its
   * terms in force from its effective date; the campaign stays ACTIVE throughout). Accepting twice is a no-op.
   *
   * @returns the campaign record or the amendment (as the caller may see it).
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND, ConflictError (stale version), InvalidStateError.
   */
  @Transaction()
  async Accept(ctx: Context, campaignId: string, version: string): Promise<string> {
    const [, accepted] = parseTransactionArguments(TX.Accept, [campaignId, version]);
    const campaign = await loadCampaignRecord(ctx, campaignId);
    if (campaign.status !== 'PROPOSED') {
      const pending = await new Ledger(ctx).get(KEY_TYPES.campaignAmendment, [campaignId], parseCampaignRecord);
      if (pending !== undefined && campaign.status === 'ACTIVE') {
        return this.#acceptAmendment(ctx, campaign, pending, accepted);
      }
    }
    const relation = await relationTo(ctx, campaign);
    // A repeat of an acceptance already recorded is a no-op, also once it activated the campaign: a client's retry,
    // or the loser of two concurrent acceptances, answers like the first instead of an INVALID_STATE.
    const repeat =
      accepted === campaign.version &&
      campaign.status === 'ACTIVE' &&
      campaign.acceptances.some((a) => a.mspId === relation.mspId);
    if (repeat) return encodeResult(TX.Accept, campaignView(campaign, relation));
    requireLifecycle(campaign, 'accept');
    if (accepted !== campaign.version) {
      throw new ConflictError(`campaign ${campaignId} is at version ${campaign.version}, not ${accepted}`);
    }
    if (campaign.acceptances.some((a) => a.mspId === relation.mspId)) {
      return encodeResult(TX.Accept, campaignView(campaign, relation));
    }
    const acceptances = withAcceptance(campaign.acceptances, acceptance(ctx, relation.mspId, accepted));
    const complete = campaign.parties.every((p) => acceptances.some((a) => a.mspId === p));
    const updated = withChanges(campaign, {
      acceptances,
      status: complete ? 'ACTIVE' : 'PROPOSED',
      updatedAt: txTimeIso(ctx),
    });
    await new Ledger(ctx).put(KEY_TYPES.campaign, [campaignId], updated, updated.parties, campaignFacts(updated));
    emitEvent(ctx, complete ? EVENTS.campaignActivated : EVENTS.campaignAccepted, {
      campaignId,
      version: accepted,
      status: updated.status,
      mspId: relation.mspId,
      parties: updated.parties,
    });
    return encodeResult(TX.Accept, campaignView(updated, relation));
  }

  async #acceptAmendment(
    ctx: Context,
    current: CampaignRecord,
    pending: CampaignRecord,
    accepted: number,
  ): Promise<string> {
    const relation = await relationTo(ctx, pending);
    if (accepted !== pending.version) {
      throw new ConflictError(
        `campaign ${current.campaignId} awaits acceptance of version ${pending.version}, not ${accepted}`,
      );
    }
    if (pending.acceptances.some((a) => a.mspId === relation.mspId)) {
      return encodeResult(TX.Accept, campaignView(pending, relation));
    }
    const ledger = new Ledger(ctx);
    const acceptances = withAcceptance(pending.acceptances, acceptance(ctx, relation.mspId, accepted));
    const now = txTimeIso(ctx);
    if (!pending.parties.every((p) => acceptances.some((a) => a.mspId === p))) {
      const updated = withChanges(pending, { acceptances, updatedAt: now });
      await ledger.put(KEY_TYPES.campaignAmendment, [current.campaignId], updated, updated.parties);
      emitEvent(ctx, EVENTS.campaignAccepted, {
        campaignId: current.campaignId,
        version: accepted,
        status: current.status,
        mspId: relation.mspId,
        parties: updated.parties,
      });
      return encodeResult(TX.Accept, campaignView(updated, relation));
    }
    requireStillEffective(pending, todayOf(ctx, pending));
    await ledger.put(
      KEY_TYPES.campaignVersion,
      [current.campaignId, versionAttribute(current.version)],
      current,
      current.parties,
    );
    const applied = withChanges(pending, {
      acceptances,
      status: 'ACTIVE',
      parties: campaignParties(pending),
      updatedAt: now,
    });
    await storeCampaign(ledger, applied, current.parties);
    await ledger.delete(KEY_TYPES.campaignAmendment, [current.campaignId]);
    emitEvent(ctx, EVENTS.campaignAmendmentApplied, {
      campaignId: current.campaignId,
      version: accepted,
      status: applied.status,
      effectiveFrom: applied.effectiveFrom,
      mspId: relation.mspId,
      parties: pending.parties,
    });
    return encodeResult(TX.Accept, campaignView(applied, relation));
  }

  /**
   * Cancels a PROPOSED or ACTIVE campaign (advertiser or agency).
   *
   * @returns the campaign record.
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND, InvalidStateError.
   */
  @Transaction()
  async Cancel(ctx: Context, campaignId: string, reason: string): Promise<string> {
    parseTransactionArguments(TX.Cancel, [campaignId, reason]);
    return this.#finish(ctx, campaignId, 'CANCELLED', reason);
  }

  /**
   * Completes an ACTIVE campaign (advertiser or agency).
   *
   * @returns the campaign record.
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND, InvalidStateError.
   */
  @Transaction()
  async Complete(ctx: Context, campaignId: string): Promise<string> {
    parseTransactionArguments(TX.Complete, [campaignId]);
    return this.#finish(ctx, campaignId, 'COMPLETED', undefined);
  }

  async #finish(
    ctx: Context,
    campaignId: string,
    status: 'CANCELLED' | 'COMPLETED',
    reason: string | undefined,
  ): Promise<string> {
    const campaign = await loadCampaignRecord(ctx, campaignId);
    const relation = await relationTo(ctx, campaign);
    requireBuyer(relation, status === 'CANCELLED' ? 'cancel a campaign' : 'complete a campaign');
    requireLifecycle(campaign, status === 'CANCELLED' ? 'cancel' : 'complete');
    // Cancelling an ACTIVE campaign ends its flights that day: the days before stay reportable and billable.
    const cancelledOn = status === 'CANCELLED' && campaign.status === 'ACTIVE' ? todayOf(ctx, campaign) : undefined;
    const updated = withChanges(campaign, { status, cancelReason: reason, cancelledOn, updatedAt: txTimeIso(ctx) });
    const ledger = new Ledger(ctx);
    await ledger.put(KEY_TYPES.campaign, [campaignId], updated, updated.parties, campaignFacts(updated));
    // An amendment awaiting acceptance dies with the campaign's activity.
    if (campaign.status === 'ACTIVE' && (await ledger.exists(KEY_TYPES.campaignAmendment, [campaignId]))) {
      await ledger.delete(KEY_TYPES.campaignAmendment, [campaignId]);
    }
    emitEvent(ctx, status === 'CANCELLED' ? EVENTS.campaignCancelled : EVENTS.campaignCompleted, {
      campaignId,
      version: updated.version,
      status,
      parties: updated.parties,
    });
    return encodeResult(status === 'CANCELLED' ? TX.Cancel : TX.Complete, updated);
  }

  /**
   * Proposes a make-good for a line item that ended under-delivered (see {@link MakeGoodBook.propose}).
   *
   * @returns the make-good.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError, ConflictError, InvalidStateError.
   */
  @Transaction()
  async ProposeMakeGood(ctx: Context, makeGoodJson: string): Promise<string> {
    const [input] = parseTransactionArguments(TX.ProposeMakeGood, [makeGoodJson]);
    return encodeResult(TX.ProposeMakeGood, await new MakeGoodBook(ctx).propose(input));
  }

  /**
   * Accepts a make-good as the advertiser or the agency (see {@link MakeGoodBook.accept}).
   *
   * @returns the make-good.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError, InvalidStateError.
   */
  @Transaction()
  async AcceptMakeGood(ctx: Context, campaignId: string, lineItemId: string, makeGoodId: string): Promise<string> {
    parseTransactionArguments(TX.AcceptMakeGood, [campaignId, lineItemId, makeGoodId]);
    return encodeResult(TX.AcceptMakeGood, await new MakeGoodBook(ctx).accept(campaignId, lineItemId, makeGoodId));
  }

  /**
   * @returns `{records}`: a line item's make-goods and what each delivered.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  async ListMakeGoods(ctx: Context, queryJson: string): Promise<string> {
    const [{ campaignId, lineItemId }] = parseTransactionArguments(TX.ListMakeGoods, [queryJson]);
    return encodeResult(TX.ListMakeGoods, { records: await new MakeGoodBook(ctx).list(campaignId, lineItemId) });
  }

  /**
   * The tz rules this chaincode server computes campaign days with (pinned in `@adrecon/contract`): equal answers
   * from every organization's server show that all of them compute the same days. Reads no state.
   *
   * @returns `{tzdbVersion, rulesSha256, zoneNames, probes}`.
   */
  @Transaction(false)
  TimeZoneRules(): Promise<string> {
    return Promise.resolve(encodeResult(TX.TimeZoneRules, timeZoneRules()));
  }

  /**
   * @returns the current campaign as the caller may see it.
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND.
   */
  @Transaction(false)
  async Get(ctx: Context, campaignId: string): Promise<string> {
    parseTransactionArguments(TX.Get, [campaignId]);
    return encodeResult(TX.Get, await visibleCampaign(ctx, await loadCampaignRecord(ctx, campaignId)));
  }

  /**
   * @returns the campaign as it was at `version` (the current one or a superseded one).
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND.
   */
  @Transaction(false)
  async GetVersion(ctx: Context, campaignId: string, version: string): Promise<string> {
    const [, wanted] = parseTransactionArguments(TX.GetVersion, [campaignId, version]);
    const current = await loadCampaignRecord(ctx, campaignId);
    const ledger = new Ledger(ctx);
    let record: CampaignRecord | undefined;
    if (wanted === current.version) {
      record = current;
    } else {
      record =
        (await ledger.get(KEY_TYPES.campaignVersion, [campaignId, versionAttribute(wanted)], parseCampaignRecord)) ??
        (await ledger.get(KEY_TYPES.campaignAmendment, [campaignId], parseCampaignRecord));
      if (record?.version !== wanted) record = undefined;
    }
    if (record === undefined) {
      throw new NotFoundError('CAMPAIGN_NOT_FOUND', `campaign ${campaignId} has no version ${wanted}`);
    }
    return encodeResult(TX.GetVersion, await visibleCampaign(ctx, record));
  }

  /**
   * Lists the campaigns the caller is party to, a page of the caller's party index at a time.
   *
   * @returns `{records, bookmark, fetchedCount}`; fetchedCount counts index entries read, records may be fewer
   * after the status filter.
   * @throws ValidationError.
   */
  @Transaction(false)
  async List(ctx: Context, queryJson: string): Promise<string> {
    const [{ status, pageSize, bookmark }] = parseTransactionArguments(TX.List, [queryJson]);
    const ledger = new Ledger(ctx);
    const page = await ledger.page(
      KEY_TYPES.campaignByParty,
      [callerMspId(ctx)],
      parseCampaignIndex,
      pageSize,
      bookmark,
    );
    const records: Campaign[] = [];
    for (const entry of page.entries) {
      const campaign = await ledger.get(KEY_TYPES.campaign, [entry.value], parseCampaignRecord);
      if (campaign === undefined || (status !== undefined && campaign.status !== status)) {
        continue;
      }
      try {
        records.push(await visibleCampaign(ctx, campaign));
      } catch (err) {
        if (!(err instanceof ForbiddenError)) {
          throw err;
        }
      }
    }
    return encodeResult(TX.List, { records, bookmark: page.bookmark, fetchedCount: page.fetchedCount });
  }

  /**
   * @returns every write of the campaign's key: `[{txId, timestamp, isDelete, value}]`, values as the caller may
   * see them.
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND.
   */
  @Transaction(false)
  async History(ctx: Context, campaignId: string): Promise<string> {
    parseTransactionArguments(TX.History, [campaignId]);
    await loadCampaignRecord(ctx, campaignId);
    const history = await new Ledger(ctx).history(KEY_TYPES.campaign, [campaignId], parseCampaignRecord);
    const entries = [];
    for (const h of history) {
      entries.push({ ...h, value: h.value === null ? null : await visibleCampaign(ctx, h.value) });
    }
    return encodeResult(TX.History, entries);
  }
}
