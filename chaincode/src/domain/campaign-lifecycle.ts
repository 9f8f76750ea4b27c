import type { CampaignStatus } from '@adrecon/contract';
import { InvalidStateError } from '../errors.js';
import type { Campaign } from '../models/campaign.js';

/** What can be done to or with a campaign, and the statuses that allow it. */
export const CAMPAIGN_LIFECYCLE = {
  accept: ['PROPOSED'],
  amend: ['PROPOSED', 'ACTIVE'],
  cancel: ['PROPOSED', 'ACTIVE'],
  complete: ['ACTIVE'],
  report: ['ACTIVE'],
  invoice: ['ACTIVE', 'COMPLETED'],
} as const satisfies Record<string, readonly CampaignStatus[]>;

/** One of the actions of {@link CAMPAIGN_LIFECYCLE}. */
export type CampaignAction = keyof typeof CAMPAIGN_LIFECYCLE;

/**
 * The one lifecycle check: refuses an action in a status that does not allow it.
 *
 * @throws InvalidStateError `campaign X is S; to <action> it, it must be A or B`.
 */
export function requireLifecycle(campaign: Pick<Campaign, 'campaignId' | 'status'>, action: CampaignAction): void {
  const allowed: readonly CampaignStatus[] = CAMPAIGN_LIFECYCLE[action];
  if (!allowed.includes(campaign.status)) {
    throw new InvalidStateError(
      `campaign ${campaign.campaignId} is ${campaign.status}; to ${action} it, it must be ${allowed.join(' or ')}`,
    );
  }
}
