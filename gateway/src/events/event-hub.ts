import { AppError } from '../errors';
import { newResumeFilter, type Checkpoint } from '../http/sse';
import type { LedgerClient, LedgerEvent, LedgerEventStream } from '../ledger/ledger-client';
import { EventBuffer } from './event-buffer';

/** Decides, per client, whether it may see an event. */
export type EventFilter = (event: LedgerEvent) => boolean;

/** Where a client's events go. */
export interface EventSink {
  /** Writes one event and returns how many bytes are still unsent to the client (its backlog). */
  send(event: LedgerEvent): number;
  /** Ends the client's stream: it read too slowly, or the gateway shuts down. */
  drop(reason: 'slow' | 'shutdown'): void;
}

/** Where a client starts: after a checkpoint it received, at a block, or (neither) with the next event. */
export interface StartPoint {
  readonly checkpoint?: Checkpoint;
  readonly startBlock?: bigint;
}

/** One client's request to {@link EventHub.subscribe}. */
export interface SubscribeRequest {
  /** Whose stream it is (the API key's client ID): the per-key cap counts by it. */
  readonly key: string;
  readonly from: StartPoint;
  readonly filter: EventFilter;
  readonly sink: EventSink;
}

/** An open client stream. */
export interface Subscription {
  /** Stops delivery and frees the client's slot; safe to call twice. */
  close(): void;
}

/** Limits of one hub. */
export interface EventHubLimits {
  /** Events kept in memory for clients that resume. */
  readonly bufferEvents: number;
  /** Open client streams in all. */
  readonly maxStreams: number;
  /** Open client streams of one API key. */
  readonly maxStreamsPerKey: number;
  /** Unsent bytes a client may accumulate before it is dropped (a slow reader is not buffered without bound). */
  readonly maxBacklogBytes: number;
}

/** The limits when none are configured: the configuration's defaults. */
export const DEFAULT_EVENT_LIMITS: EventHubLimits = {
  bufferEvents: 10_000,
  maxStreams: 2_000,
  maxStreamsPerKey: 100,
  maxBacklogBytes: 1_048_576,
};

/** Options for {@link newEventHub}. */
export interface EventHubOptions extends EventHubLimits {
  readonly ledger: LedgerClient;
  readonly org: string;
  readonly retryAfterSeconds: number;
  /** First pause before the hub resubscribes after its ledger stream failed (doubles up to 5 s; default 250 ms). */
  readonly reconnectDelayMs?: number;
  /** Told when the ledger stream fails (logging). */
  readonly onStreamError?: (err: unknown) => void;
}

/**
 * One organization's chaincode events, read from its peer ONCE and fanned out to any number of clients: the peer
 * sees one event stream per gateway process however many clients listen, so no count of readers can reach the
 * peer's own concurrency limit.
 */
export interface EventHub {
  /**
   * Opens a client stream. A client with a start point first gets the buffered events after it, then live ones.
   * @throws {AppError} TOO_MANY_STREAMS (429, over a cap), EVENTS_EXPIRED (409, the start point is older than the
   * buffer), LEDGER_UNAVAILABLE (the hub's first subscription to the peer failed).
   */
  subscribe(request: Readonly<SubscribeRequest>): Promise<Subscription>;
  /** Open client streams: in all, and of one key. */
  streams(key?: string): number;
  /** Ends every client stream and the ledger subscription. */
  close(): void;
}

interface Subscriber {
  readonly key: string;
  /** The client's own start point: events before it are not its own (the hub may have started earlier). */
  readonly isNew: EventFilter;
  readonly filter: EventFilter;
  readonly sink: EventSink;
}

function startFilter(from: StartPoint): EventFilter {
  const fromBlock = from.checkpoint?.blockNumber ?? from.startBlock;
  const afterCheckpoint = newResumeFilter(from.checkpoint);
  return (event) => (fromBlock === undefined || event.blockNumber >= fromBlock) && afterCheckpoint(event);
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class LedgerEventHub implements EventHub {
  readonly #options: Readonly<EventHubOptions>;
  readonly #subscribers = new Set<Subscriber>();
  readonly #perKey = new Map<string, number>();
  #buffer: EventBuffer | undefined;
  #last: Checkpoint | undefined;
  #starting: Promise<void> | undefined;
  #stream: LedgerEventStream | undefined;
  #closed = false;

  constructor(options: Readonly<EventHubOptions>) {
    this.#options = options;
  }

  streams(key?: string): number {
    return key === undefined ? this.#subscribers.size : (this.#perKey.get(key) ?? 0);
  }

  async subscribe(request: Readonly<SubscribeRequest>): Promise<Subscription> {
    const { key } = request;
    if (this.#closed) {
      throw new AppError('LEDGER_UNAVAILABLE', 'the gateway is shutting down', {
        retryAfterSeconds: this.#options.retryAfterSeconds,
      });
    }
    this.#reserve(key);
    const subscriber: Subscriber = {
      key,
      isNew: startFilter(request.from),
      filter: request.filter,
      sink: request.sink,
    };
    try {
      const fromBlock = request.from.checkpoint?.blockNumber ?? request.from.startBlock;
      await this.#start(fromBlock);
      const buffer = this.#buffer;
      if (fromBlock !== undefined && !(buffer?.covers(fromBlock) ?? false)) {
        const oldest = buffer?.coveredFrom;
        throw new AppError(
          'EVENTS_EXPIRED',
          `the gateway holds events from block ${oldest === undefined ? '(none yet)' : oldest.toString()} on; reload the state you need and reconnect without Last-Event-ID`,
          { details: { oldestBlock: oldest?.toString() ?? null } },
        );
      }
      // Replay and registration happen in one synchronous step: no live event can fall between them.
      if (fromBlock !== undefined && buffer !== undefined) {
        for (const event of buffer.events()) {
          if (!this.#deliver(subscriber, event, false)) {
            this.#release(key);
            return { close: () => undefined };
          }
        }
      }
      this.#subscribers.add(subscriber);
    } catch (err) {
      this.#release(key);
      throw err;
    }
    let open = true;
    return {
      close: () => {
        if (!open) return;
        open = false;
        if (this.#subscribers.delete(subscriber)) this.#release(key);
      },
    };
  }

  close(): void {
    this.#closed = true;
    this.#stream?.close();
    for (const subscriber of [...this.#subscribers]) {
      this.#subscribers.delete(subscriber);
      this.#release(subscriber.key);
      subscriber.sink.drop('shutdown');
    }
  }

  #isClosed(): boolean {
    return this.#closed;
  }

  #reserve(key: string): void {
    const { maxStreams, maxStreamsPerKey, retryAfterSeconds } = this.#options;
    const own = this.#perKey.get(key) ?? 0;
    if (own >= maxStreamsPerKey) {
      throw new AppError(
        'TOO_MANY_STREAMS',
        `an API key may hold at most ${String(maxStreamsPerKey)} event streams; close one first`,
        { retryAfterSeconds },
      );
    }
    const reserved = [...this.#perKey.values()].reduce((sum, n) => sum + n, 0);
    if (reserved >= maxStreams) {
      throw new AppError('TOO_MANY_STREAMS', `the gateway serves at most ${String(maxStreams)} event streams`, {
        retryAfterSeconds,
      });
    }
    this.#perKey.set(key, own + 1);
  }

  #release(key: string): void {
    const own = (this.#perKey.get(key) ?? 1) - 1;
    if (own <= 0) this.#perKey.delete(key);
    else this.#perKey.set(key, own);
  }

  /** Sends one event to one client; drops it when its backlog is over the bound. False when dropped. */
  #deliver(subscriber: Subscriber, event: LedgerEvent, registered: boolean): boolean {
    let visible: boolean;
    try {
      visible = subscriber.isNew(event) && subscriber.filter(event);
    } catch {
      visible = false;
    }
    if (!visible) return true;
    const backlog = subscriber.sink.send(event);
    if (backlog <= this.#options.maxBacklogBytes) return true;
    if (registered && this.#subscribers.delete(subscriber)) this.#release(subscriber.key);
    subscriber.sink.drop('slow');
    return false;
  }

  #publish(event: LedgerEvent): void {
    this.#last = { blockNumber: event.blockNumber, transactionId: event.transactionId };
    this.#buffer?.push(event);
    for (const subscriber of [...this.#subscribers]) this.#deliver(subscriber, event, true);
  }

  /** Subscribes to the peer on first use, from the first client's start point; later clients share it. */
  #start(fromBlock: bigint | undefined): Promise<void> {
    this.#starting ??= this.#options.ledger
      .chaincodeEvents(this.#options.org, fromBlock)
      .then((stream) => {
        this.#buffer = new EventBuffer(this.#options.bufferEvents, fromBlock);
        void this.#pump(stream, fromBlock);
      })
      .catch((err: unknown) => {
        this.#starting = undefined;
        throw err;
      });
    return this.#starting;
  }

  /** Reads the ledger stream for good: after a failure, resubscribes from the last event seen, skipping it. */
  async #pump(first: LedgerEventStream, fromBlock: bigint | undefined): Promise<void> {
    let stream: LedgerEventStream | undefined = first;
    let pause = this.#options.reconnectDelayMs ?? 250;
    while (!this.#isClosed()) {
      try {
        stream ??= await this.#options.ledger.chaincodeEvents(this.#options.org, this.#last?.blockNumber ?? fromBlock);
        this.#stream = stream;
        const isNew = newResumeFilter(this.#last);
        for await (const event of stream) {
          if (this.#isClosed()) break;
          if (!isNew(event)) continue;
          pause = this.#options.reconnectDelayMs ?? 250;
          this.#publish(event);
        }
      } catch (err) {
        if (!this.#isClosed()) this.#options.onStreamError?.(err);
      } finally {
        stream?.close();
        stream = undefined;
      }
      if (this.#isClosed()) break;
      await wait(pause);
      pause = Math.min(pause * 2, 5_000);
    }
  }
}

/** Creates the hub of one organization; nothing is read from the peer before the first client subscribes. */
export function newEventHub(options: Readonly<EventHubOptions>): EventHub {
  return new LedgerEventHub(options);
}
