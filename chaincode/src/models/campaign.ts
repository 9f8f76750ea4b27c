import { campaignSchema } from '@adrecon/contract';
import { recordParser } from '../arguments.js';

export type { Acceptance, Campaign, CampaignProposal, CampaignTerms, LineItem } from '@adrecon/contract';

/**
 * Validates a stored campaign record.
 *
 * @throws ValidationError when the stored bytes are not a valid campaign.
 */
export const parseCampaign = recordParser(campaignSchema, 'campaign');
