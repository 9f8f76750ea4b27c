import { TRANSACTIONS } from '@adrecon/contract';
import { Context, Info, Transaction } from 'fabric-contract-api';
import { encodeResult, parseTransactionArguments } from '../arguments.js';
import { BaseContract } from './base-contract.js';
import {
  callerMspId,
  campaignParties,
  campaignView,
  findRole,
  relationTo,
  requireBuyer,
  requireProposer,
} from '../access.js';
import { loadCampaign } from '../campaign-store.js';
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import { emitEvent, EVENTS } from '../events.js';
import { KEY_TYPES, versionAttribute } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { txTimeIso } from '../ledger/tx-time.js';
import { parseCampaign, type Acceptance, type Campaign, type CampaignTerms } from '../models/campaign.js';
import { requireLifecycle } from '../domain/campaign-lifecycle.js';
import { Flight } from '../domain/flight.js';
import { ReportPeriod } from '../domain/report-period.js';
import { parseCampaignIndex } from '../ledger/index-entries.js';
import { withChanges } from '../models/with-changes.js';
import { parseDeliveryReport } from '../models/delivery-report.js';
import type { Role } from '../models/role-entry.js';

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

async function checkTermRoles(ctx: Context, advertiser: string, agency: string, terms: CampaignTerms): Promise<void> {
  await requireRole(ctx, advertiser, 'ADVERTISER', 'advertiser');
  await requireRole(ctx, agency, 'AGENCY', 'agency');
  for (const publisher of [...new Set(terms.lineItems.map((i) => i.publisher))].sort()) {
    await requireRole(ctx, publisher, 'PUBLISHER', 'publisher');
  }
}

/** Writes the campaign with a key-level policy of all its parties, and the party index. */
async function storeCampaign(ledger: Ledger, campaign: Campaign, previousParties: readonly string[]): Promise<void> {
  await ledger.put(KEY_TYPES.campaign, [campaign.campaignId], campaign, campaign.parties);
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

function acceptance(ctx: Context, mspId: string, version: number): Acceptance {
  return { mspId, version, acceptedAt: txTimeIso(ctx), txId: ctx.stub.getTxID() };
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
    await checkTermRoles(ctx, proposal.advertiser, proposal.agency, proposal);
    const ledger = new Ledger(ctx);
    if (await ledger.exists(KEY_TYPES.campaign, [proposal.campaignId])) {
      throw new ConflictError(`campaign ${proposal.campaignId} already exists`);
    }
    const now = txTimeIso(ctx);
    const campaign: Campaign = {
      ...proposal,
      version: 1,
      status: 'PROPOSED',
      acceptances: [acceptance(ctx, caller.mspId, 1)],
      parties: campaignParties(proposal),
      createdAt: now,
      updatedAt: now,
      proposedBy: caller.mspId,
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
   * Changes the terms: a new version, acceptances reset to the amender's, status back to PROPOSED. A line item
   * with reports cannot be removed, change publisher, or shrink its flight past a report.
   *
   * @returns the campaign record.
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND, ROLE_NOT_FOUND, InvalidStateError.
   */
  @Transaction()
  async Amend(ctx: Context, campaignId: string, termsJson: string): Promise<string> {
    const [, terms] = parseTransactionArguments(TX.Amend, [campaignId, termsJson]);
    const current = await loadCampaign(ctx, campaignId);
    const relation = await relationTo(ctx, current);
    requireBuyer(relation, 'amend a campaign');
    requireLifecycle(current, 'amend');
    await checkTermRoles(ctx, current.advertiser, current.agency, terms);
    const ledger = new Ledger(ctx);
    for (const old of current.lineItems) {
      const reports = await ledger.list(KEY_TYPES.report, [campaignId, old.lineItemId], parseDeliveryReport);
      if (reports.length === 0) {
        continue;
      }
      const next = terms.lineItems.find((i) => i.lineItemId === old.lineItemId);
      if (next?.publisher !== old.publisher) {
        throw new InvalidStateError(
          `line item ${old.lineItemId} has delivery reports: it cannot be removed or change publisher`,
        );
      }
      const flight = new Flight(next);
      for (const { value } of reports) {
        const period = ReportPeriod.of(value);
        if (!flight.contains(period.startMs, period.endMs)) {
          throw new InvalidStateError(
            `line item ${old.lineItemId} has a report for ${value.periodStart} outside the new flight`,
          );
        }
      }
    }
    await ledger.put(
      KEY_TYPES.campaignVersion,
      [campaignId, versionAttribute(current.version)],
      current,
      current.parties,
    );
    const version = current.version + 1;
    const amended: Campaign = {
      campaignId,
      advertiser: current.advertiser,
      agency: current.agency,
      ...terms,
      version,
      status: 'PROPOSED',
      acceptances: [acceptance(ctx, relation.mspId, version)],
      parties: campaignParties({ advertiser: current.advertiser, agency: current.agency, lineItems: terms.lineItems }),
      createdAt: current.createdAt,
      updatedAt: txTimeIso(ctx),
      proposedBy: relation.mspId,
    };
    await storeCampaign(ledger, amended, current.parties);
    emitEvent(ctx, EVENTS.campaignAmended, {
      campaignId,
      version,
      status: amended.status,
      parties: [...current.parties, ...amended.parties],
    });
    return encodeResult(TX.Amend, amended);
  }

  /**
   * Records the caller's acceptance of the current version; the last party's acceptance activates the campaign.
   * Accepting twice is a no-op.
   *
   * @returns the campaign record (as the caller may see it).
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND, ConflictError (stale version), InvalidStateError.
   */
  @Transaction()
  async Accept(ctx: Context, campaignId: string, version: string): Promise<string> {
    const [, accepted] = parseTransactionArguments(TX.Accept, [campaignId, version]);
    const campaign = await loadCampaign(ctx, campaignId);
    const relation = await relationTo(ctx, campaign);
    requireLifecycle(campaign, 'accept');
    if (accepted !== campaign.version) {
      throw new ConflictError(`campaign ${campaignId} is at version ${campaign.version}, not ${accepted}`);
    }
    if (campaign.acceptances.some((a) => a.mspId === relation.mspId)) {
      return encodeResult(TX.Accept, campaignView(campaign, relation));
    }
    const acceptances = [...campaign.acceptances, acceptance(ctx, relation.mspId, accepted)].sort((a, b) =>
      a.mspId < b.mspId ? -1 : 1,
    );
    const complete = campaign.parties.every((p) => acceptances.some((a) => a.mspId === p));
    const updated = withChanges(campaign, {
      acceptances,
      status: complete ? 'ACTIVE' : 'PROPOSED',
      updatedAt: txTimeIso(ctx),
    });
    await new Ledger(ctx).put(KEY_TYPES.campaign, [campaignId], updated, updated.parties);
    emitEvent(ctx, complete ? EVENTS.campaignActivated : EVENTS.campaignAccepted, {
      campaignId,
      version: accepted,
      status: updated.status,
      mspId: relation.mspId,
      parties: updated.parties,
    });
    return encodeResult(TX.Accept, campaignView(updated, relation));
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
    const campaign = await loadCampaign(ctx, campaignId);
    const relation = await relationTo(ctx, campaign);
    requireBuyer(relation, status === 'CANCELLED' ? 'cancel a campaign' : 'complete a campaign');
    requireLifecycle(campaign, status === 'CANCELLED' ? 'cancel' : 'complete');
    const updated = withChanges(campaign, { status, cancelReason: reason, updatedAt: txTimeIso(ctx) });
    await new Ledger(ctx).put(KEY_TYPES.campaign, [campaignId], updated, updated.parties);
    emitEvent(ctx, status === 'CANCELLED' ? EVENTS.campaignCancelled : EVENTS.campaignCompleted, {
      campaignId,
      version: updated.version,
      status,
      parties: updated.parties,
    });
    return encodeResult(status === 'CANCELLED' ? TX.Cancel : TX.Complete, updated);
  }

  /**
   * @returns the current campaign as the caller may see it.
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND.
   */
  @Transaction(false)
  async Get(ctx: Context, campaignId: string): Promise<string> {
    parseTransactionArguments(TX.Get, [campaignId]);
    const campaign = await loadCampaign(ctx, campaignId);
    return encodeResult(TX.Get, campaignView(campaign, await relationTo(ctx, campaign)));
  }

  /**
   * @returns the campaign as it was at `version` (the current one or a superseded one).
   * @throws ValidationError, ForbiddenError, CAMPAIGN_NOT_FOUND.
   */
  @Transaction(false)
  async GetVersion(ctx: Context, campaignId: string, version: string): Promise<string> {
    const [, wanted] = parseTransactionArguments(TX.GetVersion, [campaignId, version]);
    const current = await loadCampaign(ctx, campaignId);
    const record =
      wanted === current.version
        ? current
        : wanted < current.version
          ? await new Ledger(ctx).get(KEY_TYPES.campaignVersion, [campaignId, versionAttribute(wanted)], parseCampaign)
          : undefined;
    if (record === undefined) {
      throw new NotFoundError('CAMPAIGN_NOT_FOUND', `campaign ${campaignId} has no version ${wanted}`);
    }
    return encodeResult(TX.GetVersion, campaignView(record, await relationTo(ctx, record)));
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
      const campaign = await ledger.get(KEY_TYPES.campaign, [entry.value], parseCampaign);
      if (campaign === undefined || (status !== undefined && campaign.status !== status)) {
        continue;
      }
      try {
        records.push(campaignView(campaign, await relationTo(ctx, campaign)));
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
    const campaign = await loadCampaign(ctx, campaignId);
    const relation = await relationTo(ctx, campaign);
    const history = await new Ledger(ctx).history(KEY_TYPES.campaign, [campaignId], parseCampaign);
    return encodeResult(
      TX.History,
      history.map((h) => ({ ...h, value: h.value === null ? null : campaignView(h.value, relation) })),
    );
  }
}
