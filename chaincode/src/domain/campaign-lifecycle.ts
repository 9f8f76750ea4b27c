import type { CampaignStatus } from '@adrecon/contract';
import { InvalidStateError } from '../errors.js';
import type { Campaign } from '../models/campaign.js';

/** What can be done to or with a campaign, and the statuses that allow it. */
export const CAMPAIGN_LIFECYCLE = {
  accept: ['PROPOSED'],
  amend: ['PROPOSED', 'ACTIVE'],
  cancel: ['PROPOSED', 'ACTIVE'],
  complete: ['ACTIVE'],
  report: ['ACTIVE', 'CANCELLED'],
  invoice: ['ACTIVE', 'COMPLETED', 'CANCELLED'],
  makeGood: ['ACTIVE'],
} as const satisfies Record<string, readonly CampaignStatus[]>;

/** Actions a CANCELLED campaign allows only for the days before its cancellation, so only if it had been ACTIVE. */
const DELIVERED_DAYS_ONLY: readonly CampaignAction[] = ['report', 'invoice'];

/** One of the actions of {@link CAMPAIGN_LIFECYCLE}. */
export type CampaignAction = keyof typeof CAMPAIGN_LIFECYCLE;

/**
 * The one lifecycle check: refuses an action in a status that does not allow it. A campaign cancelled while ACTIVE
 * still allows reports and invoices, for the days up to its cancellation date (the terms schedule ends its flights).
 *
 * @throws InvalidStateError `campaign X is S; to <action> it, it must be A or B`.
 */
export function requireLifecycle(
  campaign: Pick<Campaign, 'campaignId' | 'status' | 'cancelledOn'>,
  action: CampaignAction,
): void {
  const allowed: readonly CampaignStatus[] = CAMPAIGN_LIFECYCLE[action];
  if (campaign.status === 'CANCELLED' && DELIVERED_DAYS_ONLY.includes(action) && campaign.cancelledOn === undefined) {
    throw new InvalidStateError(
      `campaign ${campaign.campaignId} was cancelled before it became ACTIVE; it has no days to ${action}`,
    );
  }
  if (!allowed.includes(campaign.status)) {
    throw new InvalidStateError(
      `campaign ${campaign.campaignId} is ${campaign.status}; to ${action} it, it must be ${allowed.join(' or ')}`,
    );
  }
}
