import type { LedgerEvent } from '../ledger/ledger-client';

/**
 * The last events of one organization's stream, bounded in count, and the first block from which it holds every
 * event: a client may resume from any point at or after that block.
 */
export class EventBuffer {
  readonly #capacity: number;
  #events: LedgerEvent[] = [];
  #start = 0;
  #coveredFrom: bigint | undefined;

  /** @param capacity events kept; @param coveredFrom the block the stream started at, if known. */
  constructor(capacity: number, coveredFrom?: bigint) {
    this.#capacity = capacity;
    this.#coveredFrom = coveredFrom;
  }

  /** The first block whose events are all held; undefined before the first event of a stream started live. */
  get coveredFrom(): bigint | undefined {
    return this.#coveredFrom;
  }

  get size(): number {
    return this.#events.length - this.#start;
  }

  /** Adds an event, evicting the oldest beyond the capacity (which moves {@link coveredFrom} past its block). */
  push(event: LedgerEvent): void {
    this.#coveredFrom ??= event.blockNumber;
    this.#events.push(event);
    while (this.size > this.#capacity) {
      const evicted = this.#events[this.#start];
      this.#start++;
      if (evicted !== undefined) this.#coveredFrom = evicted.blockNumber + 1n;
    }
    if (this.#start > this.#capacity) {
      this.#events = this.#events.slice(this.#start);
      this.#start = 0;
    }
  }

  /** True when every event from `block` on is held. */
  covers(block: bigint): boolean {
    return this.#coveredFrom !== undefined && block >= this.#coveredFrom;
  }

  /** The held events, oldest first. */
  *events(): IterableIterator<LedgerEvent> {
    for (let i = this.#start; i < this.#events.length; i++) {
      const event = this.#events[i];
      if (event !== undefined) yield event;
    }
  }
}
