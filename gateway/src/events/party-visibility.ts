import type { LedgerEvent } from '../ledger/ledger-client';

/**
 * Whether an organization's users may receive a chaincode event: only when the event's `parties` name the
 * organization (issue 8 item 3). Chaincode events are in every block, so their payloads carry identifiers,
 * periods, statuses and parties only; a party reads a record's details (counts, prices, amounts) from its own
 * organization's peer through the REST reads. A pure function, so that any event fan-out (one subscription per
 * client, or one per organization shared by its clients) filters the same way.
 */
export function isVisibleTo(event: LedgerEvent, mspId: string): boolean {
  const payload = event.payload;
  if (typeof payload !== 'object' || payload === null) return false;
  const parties = (payload as { parties?: unknown }).parties;
  return Array.isArray(parties) && parties.includes(mspId);
}
