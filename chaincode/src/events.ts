import type { Context } from 'fabric-contract-api';
import { canonicalBytes } from './canonical-json.js';

/** The names of the chaincode events; exactly one is emitted by each state-changing transaction. */
export const EVENTS = {
  rolesUpdated: 'RolesUpdated',
  roleChangeProposed: 'RoleChangeProposed',
  roleChangeApproved: 'RoleChangeApproved',
  roleChanged: 'RoleChanged',
  campaignProposed: 'CampaignProposed',
  campaignAmended: 'CampaignAmended',
  campaignAmendmentApplied: 'CampaignAmendmentApplied',
  campaignAccepted: 'CampaignAccepted',
  campaignActivated: 'CampaignActivated',
  campaignCancelled: 'CampaignCancelled',
  campaignCompleted: 'CampaignCompleted',
  deliveryReported: 'DeliveryReported',
  deliveryBatchReported: 'DeliveryBatchReported',
  resolutionProposed: 'ResolutionProposed',
  disputeResolved: 'DisputeResolved',
  invoiceIssued: 'InvoiceIssued',
  paymentRecorded: 'PaymentRecorded',
} as const;

/** One of the {@link EVENTS} names. */
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

/** The payload every event carries: key fields of the record and the sorted MSP IDs that may see it. */
export interface EventPayload {
  parties: readonly string[];
  [field: string]: unknown;
}

/** Sets the transaction's one chaincode event, with a canonical JSON payload. */
export function emitEvent(ctx: Context, name: EventName, payload: EventPayload): void {
  ctx.stub.setEvent(name, canonicalBytes({ ...payload, parties: [...new Set(payload.parties)].sort() }));
}
