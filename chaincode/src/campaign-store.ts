import type { Context } from 'fabric-contract-api';
import { NotFoundError } from './errors.js';
import { KEY_TYPES } from './ledger/keys.js';
import { Ledger } from './ledger/ledger.js';
import { parseCampaign, type Campaign } from './models/campaign.js';

/**
 * The current version of a campaign.
 *
 * @throws NotFoundError CAMPAIGN_NOT_FOUND when it does not exist.
 */
export async function loadCampaign(ctx: Context, campaignId: string): Promise<Campaign> {
  const campaign = await new Ledger(ctx).get(KEY_TYPES.campaign, [campaignId], parseCampaign);
  if (campaign === undefined) {
    throw new NotFoundError('CAMPAIGN_NOT_FOUND', `campaign ${campaignId} does not exist`);
  }
  return campaign;
}

/**
 * The non-identifying facts of a campaign that its public marker carries: whether it is live (PROPOSED or ACTIVE),
 * which role changes of its parties must know without reading the campaign.
 */
export function campaignFacts(campaign: Campaign): { live: boolean } {
  return { live: campaign.status === 'PROPOSED' || campaign.status === 'ACTIVE' };
}
