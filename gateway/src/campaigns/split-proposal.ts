import { randomBytes } from 'node:crypto';
import type { CampaignProposal, CampaignRecord, CampaignTerms, LineItem, LineItemRefInput } from '@adrecon/contract';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors';
import type { LedgerContract, Submitted } from '../ledger/ledger-contract';

/**
 * The waits before sending again a proposal or amendment that another party's peer refused for lack of the terms
 * just written (about 5.5 s in all). Each peer commits a block on its own time: the terms are committed on this
 * organization's peer when their submit returns, and another party's peer can still be a block behind when it
 * endorses the next transaction (seen in a fresh-clone CI run: the second publisher's peer committed the terms'
 * block 8 ms after it refused the proposal).
 */
const TERMS_LAG_WAITS_MS = [50, 100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000];

/** The campaign's buying parties, which every line item's terms collection includes. */
interface Buyers {
  readonly campaignId: string;
  readonly advertiser: string;
  readonly agency: string;
}

/**
 * Writes each line item's terms in a `campaigns:SetLineItemTerms` of its own, endorsed by the advertiser, the agency
 * and that line item's publisher only (the Gateway targets a write's collection members), under a fresh random terms
 * ID, and returns the references a proposal or an amendment carries instead of the terms.
 */
async function termsByReference(
  ledger: LedgerContract,
  org: string,
  buyers: Buyers,
  lineItems: readonly LineItem[],
): Promise<LineItemRefInput[]> {
  const refs: LineItemRefInput[] = [];
  for (const lineItem of lineItems) {
    const termsId = randomBytes(16).toString('hex');
    await ledger.campaigns.setLineItemTerms(org, { ...buyers, termsId, lineItem });
    refs.push({
      lineItemId: lineItem.lineItemId,
      publisher: lineItem.publisher,
      ...(lineItem.billableUnit === undefined ? {} : { billableUnit: lineItem.billableUnit }),
      termsId,
    });
  }
  return refs;
}

/**
 * Sends `write` (a proposal or amendment referring to the terms `refs`) and sends it again after a short wait while
 * a peer refuses it for lack of one of those terms: only a refusal naming a terms ID written just now, which this
 * organization's peer has committed, so it can only be another peer that is behind. Nothing was ordered on a refusal
 * (endorsement failed), so sending again is safe.
 * @throws {AppError} LEDGER_BEHIND (503, Retry-After) when a peer still lacks the terms after the waits; what `write`
 * throws otherwise.
 */
async function onceTermsVisible<T>(refs: readonly LineItemRefInput[], write: () => Promise<T>): Promise<T> {
  for (const wait of [...TERMS_LAG_WAITS_MS, undefined]) {
    try {
      return await write();
    } catch (err) {
      const lagging =
        err instanceof AppError && err.code === 'INVALID_STATE' && refs.some((r) => err.message.includes(r.termsId));
      if (!lagging) throw err;
      if (wait === undefined) {
        throw new AppError(
          'LEDGER_BEHIND',
          "another party's peer has not yet committed the line item terms this request wrote; retry",
          { retryAfterSeconds: 1, cause: err },
        );
      }
      await sleep(wait);
    }
  }
  throw new Error('unreachable: the last wait throws');
}

/**
 * Proposes a campaign so that no publisher's peer receives another publisher's line-item terms (issue 8). With one
 * publisher the proposal goes as it is (its endorsers are exactly the line item's parties). With several, each
 * line item's terms go first in a transaction of their own ({@link termsByReference}); then `campaigns:Propose`,
 * endorsed by every party, carries only references, and the chaincode records each terms record's salted hash as
 * the commitment. A failure before the proposal leaves no campaign (the terms written so far are unreferenced, and a
 * retry writes new ones), so there is never a campaign whose terms are incomplete.
 *
 * A party's peer that has not yet committed the terms when it endorses the proposal delays it (see
 * {@link onceTermsVisible}).
 *
 * @returns the committed proposal (the all-parties record: line items by reference).
 * @throws what the ledger calls throw, the first failing one; LEDGER_BEHIND when a peer lacks the terms too long.
 */
export async function proposeSplit(
  ledger: LedgerContract,
  org: string,
  proposal: CampaignProposal,
): Promise<Submitted<CampaignRecord>> {
  const publishers = new Set(proposal.lineItems.map((i) => i.publisher));
  if (publishers.size < 2) {
    return ledger.campaigns.propose(org, proposal);
  }
  const { campaignId, advertiser, agency } = proposal;
  const lineItems = await termsByReference(ledger, org, { campaignId, advertiser, agency }, proposal.lineItems);
  return onceTermsVisible(lineItems, () => ledger.campaigns.propose(org, { ...proposal, lineItems }));
}

/**
 * Amends a campaign the same way: when the current and the new terms together name two or more publishers (every
 * one of them endorses the amendment), each line item's new terms go first in a transaction of their own, and
 * `campaigns:Amend` carries references only, so no publisher's peer receives another's new terms at endorsement.
 * With one publisher the amendment goes as it is. The campaign's parties come from the caller's own view of it.
 * A failure before the amendment changes no campaign (unreferenced terms records stay, as for a proposal).
 *
 * @returns the committed amendment (the all-parties record: line items by reference).
 * @throws what the ledger calls throw, the first failing one (CAMPAIGN_NOT_FOUND for a campaign the caller may not see).
 */
export async function amendSplit(
  ledger: LedgerContract,
  org: string,
  campaignId: string,
  terms: CampaignTerms,
): Promise<Submitted<CampaignRecord>> {
  const current = await ledger.campaigns.get(org, campaignId);
  const publishers = new Set([...current.lineItems, ...terms.lineItems].map((i) => i.publisher));
  if (publishers.size < 2) {
    return ledger.campaigns.amend(org, campaignId, terms);
  }
  const buyers = { campaignId, advertiser: current.advertiser, agency: current.agency };
  const lineItems = await termsByReference(ledger, org, buyers, terms.lineItems);
  return onceTermsVisible(lineItems, () => ledger.campaigns.amend(org, campaignId, { ...terms, lineItems }));
}
