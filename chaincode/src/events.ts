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
  lineItemTermsWritten: 'LineItemTermsWritten',
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
  creditNoteIssued: 'CreditNoteIssued',
  creditNoteAccepted: 'CreditNoteAccepted',
  makeGoodProposed: 'MakeGoodProposed',
  makeGoodAccepted: 'MakeGoodAccepted',
} as const;

/** One of the {@link EVENTS} names. */
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

/** The payload every event carries: key fields of the record and the sorted MSP IDs that may see it. */
export interface EventPayload {
  parties: readonly string[];
  [field: string]: unknown;
}

/**
 * The payload fields an event may carry. Events are written into every block, so they name what a non-party may
 * know (identifiers, periods, statuses, parties) and never counts, prices or amounts (issue 8 item 3); details are
 * read from the reader's own peer.
 */
export const EVENT_FIELDS: ReadonlySet<string> = new Set([
  'approvals',
  'campaignId',
  'creditNoteId',
  'effectiveFrom',
  'fromRole',
  'invoiceId',
  'lineItemId',
  'lineItemIds',
  'makeGoodId',
  'mspId',
  'mspIds',
  'parties',
  'paymentId',
  'periodEnd',
  'periodStart',
  'proposalId',
  'proposedBy',
  'reportId',
  'reportIds',
  'reporter',
  'role',
  'source',
  'status',
  'version',
]);

/** Sets the transaction's one chaincode event, with a canonical JSON payload of its {@link EVENT_FIELDS} only. */
export function emitEvent(ctx: Context, name: EventName, payload: EventPayload): void {
  const allowed = Object.fromEntries(Object.entries(payload).filter(([field]) => EVENT_FIELDS.has(field)));
  ctx.stub.setEvent(name, canonicalBytes({ ...allowed, parties: [...new Set(payload.parties)].sort() }));
}
