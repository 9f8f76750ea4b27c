import type { BlockEvent } from './ledger-block';

/** What the listener must re-read after an event: one campaign, or nothing (role changes). */
export interface ChangedRecord {
  readonly campaignId: string | undefined;
  /**
   * Whether the event says this organization cannot see the campaign (its `parties` leave it out): the listener
   * then skips the re-read. Undefined when the event does not say.
   */
  readonly visible: boolean | undefined;
}

const decoder = new TextDecoder();

/**
 * Maps one chaincode event to the record to re-read. This is the ONE place that reads event payloads, and it reads
 * only the campaign reference and the party list (never record contents), so that payloads can become
 * non-identifying (hashes, opaque references) by changing this function alone.
 */
export function changedRecordOf(event: Readonly<BlockEvent>, organization: string): ChangedRecord {
  let payload: unknown;
  try {
    payload = JSON.parse(decoder.decode(event.payload));
  } catch {
    return { campaignId: undefined, visible: undefined };
  }
  if (typeof payload !== 'object' || payload === null) return { campaignId: undefined, visible: undefined };
  const { campaignId, parties } = payload as { campaignId?: unknown; parties?: unknown };
  return {
    campaignId: typeof campaignId === 'string' ? campaignId : undefined,
    visible: Array.isArray(parties) ? parties.includes(organization) : undefined,
  };
}
