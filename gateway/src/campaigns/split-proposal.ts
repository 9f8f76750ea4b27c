import { randomBytes } from 'node:crypto';
import type { CampaignProposal, CampaignRecord, LineItemRefInput } from '@adrecon/contract';
import type { LedgerContract, Submitted } from '../ledger/ledger-contract';

/**
 * Proposes a campaign so that no publisher's peer receives another publisher's line-item terms (issue 8). With one
 * publisher the proposal goes as it is (its endorsers are exactly the line item's parties). With several, each
 * line item's terms go first in a `campaigns:SetLineItemTerms` of their own, endorsed by the advertiser, the agency
 * and that publisher only (the Gateway targets a write's collection members), under a fresh random terms ID; then
 * `campaigns:Propose`, endorsed by every party, carries only references, and the chaincode records each terms
 * record's salted hash as the commitment. A failure before the proposal leaves no campaign (the terms written so
 * far are unreferenced, and a retry writes new ones), so there is never a campaign whose terms are incomplete.
 *
 * @returns the committed proposal (the all-parties record: line items by reference).
 * @throws what the ledger calls throw, the first failing one.
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
  const refs: LineItemRefInput[] = [];
  for (const lineItem of proposal.lineItems) {
    const termsId = randomBytes(16).toString('hex');
    await ledger.campaigns.setLineItemTerms(org, {
      campaignId: proposal.campaignId,
      advertiser: proposal.advertiser,
      agency: proposal.agency,
      termsId,
      lineItem,
    });
    refs.push({
      lineItemId: lineItem.lineItemId,
      publisher: lineItem.publisher,
      ...(lineItem.billableUnit === undefined ? {} : { billableUnit: lineItem.billableUnit }),
      termsId,
    });
  }
  return ledger.campaigns.propose(org, { ...proposal, lineItems: refs });
}
