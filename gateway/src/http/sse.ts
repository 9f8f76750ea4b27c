import type { LedgerEvent } from '../ledger/ledger-client';

/** Where a client stopped: the last event it received. */
export interface Checkpoint {
  readonly blockNumber: bigint;
  readonly transactionId: string;
}

/** Parses an SSE event ID `<blockNumber>:<transactionId>`; undefined when malformed. */
export function parseCheckpoint(value: string): Checkpoint | undefined {
  const separator = value.indexOf(':');
  if (separator <= 0) return undefined;
  const block = value.slice(0, separator);
  const transactionId = value.slice(separator + 1);
  if (!/^\d{1,20}$/.test(block) || !/^[A-Za-z0-9._-]{1,128}$/.test(transactionId)) return undefined;
  return { blockNumber: BigInt(block), transactionId };
}

/** The SSE event ID of a ledger event. */
export function checkpointOf(event: LedgerEvent): string {
  return `${event.blockNumber.toString()}:${event.transactionId}`;
}

/**
 * A filter that drops the events a resuming client already has: those of the checkpoint's block up to and including
 * its transaction. Reading starts at the checkpoint's block.
 */
export function newResumeFilter(checkpoint: Checkpoint | undefined): (event: LedgerEvent) => boolean {
  let skipping = checkpoint !== undefined;
  return (event) => {
    if (!skipping || checkpoint === undefined) return true;
    if (event.blockNumber > checkpoint.blockNumber) {
      skipping = false;
      return true;
    }
    if (event.blockNumber === checkpoint.blockNumber && event.transactionId === checkpoint.transactionId) {
      skipping = false;
    }
    return false;
  };
}

export { isVisibleTo } from '../events/party-visibility';

/** One SSE frame. `data` is JSON, so it never holds a raw line break. */
export function formatSseEvent(id: string, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
