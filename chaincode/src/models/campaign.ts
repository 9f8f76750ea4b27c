import { campaignRecordSchema, campaignSchema } from '@adrecon/contract';
import { recordParser } from '../arguments.js';

export type {
  Acceptance,
  Campaign,
  CampaignProposal,
  CampaignRecord,
  CampaignTerms,
  CommittedProposal,
  LineItem,
  LineItemRef,
} from '@adrecon/contract';

/**
 * Validates a campaign as read (with its line items' terms).
 *
 * @throws ValidationError when the value is not a valid campaign.
 */
export const parseCampaign = recordParser(campaignSchema, 'campaign');

/**
 * Validates a stored all-parties campaign record (line items by reference).
 *
 * @throws ValidationError when the stored bytes are not a valid campaign record.
 */
export const parseCampaignRecord = recordParser(campaignRecordSchema, 'campaign');
