import { EventEmitter, once } from 'node:events';
import type { Logger } from 'pino';
import type { BlockSource } from './block-source';
import type { CampaignReader } from './campaign-reader';
import { type ChangedScope, changedRecordOf, mergeScopes } from './event-campaign';
import type { LedgerBlock } from './ledger-block';
import { REPORTING_LIMITS } from './report-limits';
import type { AppliedTransaction, Provenance, ReportStore } from './report-store';

/** Options of {@link newReportListener}. */
export interface ReportListenerOptions {
  readonly organization: string;
  /** The chaincode whose events matter; events of other chaincodes are ignored. */
  readonly chaincode: string;
  readonly store: ReportStore;
  readonly source: BlockSource;
  readonly readCampaign: CampaignReader;
  readonly logger: Logger;
  /** While behind the peer, how many blocks one store transaction may cover (default 200). */
  readonly maxBatchBlocks?: number;
  /** Pause before reconnecting after a failure, doubled after each failure in a row up to `maxRetryMs`. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /** After a flush of D ms at the tip, collect for at least `collectFactor` × D ms (see REPORTING_LIMITS). */
  readonly collectFactor?: number;
  /** How often the peer's height is asked for the lag metric (default 1 s). */
  readonly heightPollMs?: number;
}

/** The listener's progress, for metrics and the dashboard. */
export interface ListenerStatus {
  /** Last block applied to the store. */
  readonly checkpoint: bigint | undefined;
  /** The peer's last known height. */
  readonly peerHeight: bigint | undefined;
  /** Blocks the store is behind the peer (height − 1 − checkpoint), when both are known. */
  readonly lagBlocks: number | undefined;
  /** Report rows written since start (snapshots' rows), and the time spent applying them. */
  readonly rowsApplied: number;
  readonly applyMs: number;
  readonly lastError: string | undefined;
}

/** The block-event listener that keeps the reporting store up to date; see {@link newReportListener}. */
export interface ReportListener {
  /** Starts reading from the block after the store's checkpoint (block 0 for an empty store). */
  start(): void;
  status(): ListenerStatus;
  /** Resolves once the store has applied `block`. @returns false when `timeoutMs` passes first. */
  waitForBlock(block: bigint, timeoutMs: number): Promise<boolean>;
  /** Resolves with the block once the store has applied the transaction. @returns undefined on timeout. */
  waitForTransaction(transactionId: string, timeoutMs: number): Promise<bigint | undefined>;
  /** Called after every applied batch with the new checkpoint. @returns an unsubscribe function. */
  onApplied(listener: (checkpoint: bigint) => void): () => void;
  stop(): Promise<void>;
}

interface PendingBatch {
  lastBlock: bigint;
  blocks: number;
  transactions: AppliedTransaction[];
  /** Campaign → the last event that touched it in this batch, and what of it the batch's events changed. */
  campaigns: Map<string, { cause: Provenance; scope: ChangedScope }>;
}

/** Waits `ms`, or less when `signal` aborts; its abort listener goes when it resolves (one sleep per retry). */
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

class BlockReportListener implements ReportListener {
  readonly #options: Readonly<ReportListenerOptions>;
  readonly #events = new EventEmitter();
  readonly #abort = new AbortController();
  #checkpoint: bigint | undefined;
  #peerHeight: bigint | undefined;
  #rowsApplied = 0;
  #applyMs = 0;
  #lastError: string | undefined;
  #running: Promise<void> | undefined;
  #heightTimer: NodeJS.Timeout | undefined;
  #closeStream: (() => void) | undefined;
  /** Earliest time of the next flush at the tip (see {@link #follow}). */
  #nextFlushAt = 0;

  constructor(options: Readonly<ReportListenerOptions>) {
    this.#options = options;
    this.#events.setMaxListeners(0);
  }

  start(): void {
    this.#running ??= this.#run();
    this.#heightTimer = setInterval(() => void this.#refreshHeight(), this.#options.heightPollMs ?? 1_000);
    this.#heightTimer.unref();
  }

  status(): ListenerStatus {
    const checkpoint = this.#checkpoint;
    const height = this.#peerHeight;
    const lag = height === undefined ? undefined : Math.max(0, Number(height - 1n - (checkpoint ?? -1n)));
    return {
      checkpoint,
      peerHeight: height,
      lagBlocks: lag,
      rowsApplied: this.#rowsApplied,
      applyMs: this.#applyMs,
      lastError: this.#lastError,
    };
  }

  onApplied(listener: (checkpoint: bigint) => void): () => void {
    this.#events.on('applied', listener);
    return () => this.#events.off('applied', listener);
  }

  async waitForBlock(block: bigint, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while ((this.#checkpoint ?? -1n) < block) {
      if (!(await this.#nextApplied(deadline))) return (this.#checkpoint ?? -1n) >= block;
    }
    return true;
  }

  async waitForTransaction(transactionId: string, timeoutMs: number): Promise<bigint | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const block = await this.#options.store.transactionBlock(transactionId);
      if (block !== undefined) return block;
      if (!(await this.#nextApplied(deadline))) return this.#options.store.transactionBlock(transactionId);
    }
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    if (this.#heightTimer !== undefined) clearInterval(this.#heightTimer);
    this.#closeStream?.();
    await this.#running;
  }

  async #nextApplied(deadline: number): Promise<boolean> {
    const remaining = deadline - Date.now();
    if (remaining <= 0 || this.#abort.signal.aborted) return false;
    const timeout = AbortSignal.timeout(remaining);
    try {
      await once(this.#events, 'applied', { signal: AbortSignal.any([timeout, this.#abort.signal]) });
      return true;
    } catch {
      return false;
    }
  }

  #stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  async #refreshHeight(): Promise<void> {
    try {
      this.#peerHeight = await this.#options.source.height();
    } catch {
      // the lag stays at its last known value; the stream's own failure is what gets reported
    }
  }

  async #run(): Promise<void> {
    const { store, logger } = this.#options;
    const signal = this.#abort.signal;
    const firstRetryMs = this.#options.retryMs ?? REPORTING_LIMITS.retryMs;
    const maxRetryMs = this.#options.maxRetryMs ?? REPORTING_LIMITS.maxRetryMs;
    // Failures in a row without progress, and the checkpoint of the last one (null: none yet).
    let failures = 0;
    let failedAt: bigint | undefined | null = null;
    while (!signal.aborted) {
      try {
        this.#checkpoint = await store.checkpoint();
        await this.#refreshHeight();
        await this.#follow((this.#checkpoint ?? -1n) + 1n);
      } catch (err) {
        if (this.#stopped()) break;
        this.#lastError = err instanceof Error ? err.message : String(err);
        logger.warn({ err: this.#lastError }, 'reporting listener failed; resuming from the checkpoint');
        // A checkpoint that moved since the last failure means progress: the pause starts over.
        failures = this.#checkpoint === failedAt ? failures + 1 : 1;
        failedAt = this.#checkpoint;
        const retryMs = Math.min(firstRetryMs * 2 ** (failures - 1), maxRetryMs);
        await sleep(retryMs, signal);
      }
    }
  }

  /**
   * Reads blocks into a batch and applies it when the stream reaches the peer's tip or the batch is full. A flush
   * that took D ms is followed by at least `collectFactor` × D ms of collecting (blocks keep arriving into the next
   * batch, and a line item they all touch is re-read once), so that re-reads take at most 1 / (1 + factor) of the
   * peer's and chaincode server's time under load.
   */
  async #follow(startBlock: bigint): Promise<void> {
    const stream = await this.#options.source.blocks(startBlock);
    this.#closeStream = () => {
      stream.close();
    };
    if (this.#abort.signal.aborted) stream.close();
    const maxBlocks = this.#options.maxBatchBlocks ?? 200;
    const blocks = stream[Symbol.asyncIterator]();
    let batch: PendingBatch | undefined;
    let next: Promise<IteratorResult<LedgerBlock>> | undefined;
    try {
      for (;;) {
        next ??= blocks.next();
        const holdMs = batch === undefined ? undefined : this.#nextFlushAt - Date.now();
        const result =
          holdMs === undefined
            ? await next
            : await Promise.race([
                next,
                new Promise<'due'>((resolve) => {
                  setTimeout(
                    () => {
                      resolve('due');
                    },
                    Math.max(0, holdMs),
                  );
                }),
              ]);
        if (this.#abort.signal.aborted) return;
        if (result === 'due') {
          if (batch !== undefined) await this.#flush(batch);
          batch = undefined;
          continue;
        }
        next = undefined;
        if (result.done === true) return;
        const block = result.value;
        batch = this.#collect(batch, block);
        const atTip = this.#peerHeight === undefined || block.number + 1n >= this.#peerHeight;
        if ((atTip && Date.now() >= this.#nextFlushAt) || batch.blocks >= maxBlocks) {
          await this.#flush(batch);
          batch = undefined;
        }
      }
    } finally {
      stream.close();
    }
  }

  #collect(batch: PendingBatch | undefined, block: LedgerBlock): PendingBatch {
    const next: PendingBatch = batch ?? { lastBlock: block.number, blocks: 0, transactions: [], campaigns: new Map() };
    next.lastBlock = block.number;
    next.blocks++;
    for (const tx of block.transactions) {
      if (!tx.valid) continue;
      for (const event of tx.events) {
        if (event.chaincodeName !== this.#options.chaincode) continue;
        const changed = changedRecordOf(event, this.#options.organization);
        const cause = { blockNumber: block.number, transactionId: tx.transactionId };
        next.transactions.push({ ...cause, eventName: event.eventName, campaignId: changed.campaignId });
        if (changed.campaignId !== undefined && changed.visible !== false) {
          const earlier = next.campaigns.get(changed.campaignId);
          const scope = earlier === undefined ? changed.scope : mergeScopes(earlier.scope, changed.scope);
          next.campaigns.delete(changed.campaignId);
          next.campaigns.set(changed.campaignId, { cause, scope });
        }
      }
    }
    return next;
  }

  async #flush(batch: PendingBatch): Promise<void> {
    const started = Date.now();
    const snapshots = [];
    for (const [campaignId, { cause, scope }] of batch.campaigns) {
      snapshots.push(await this.#options.readCampaign(campaignId, cause, scope));
    }
    await this.#options.store.apply({
      lastBlock: batch.lastBlock,
      transactions: batch.transactions,
      snapshots,
    });
    this.#rowsApplied += snapshots.reduce((sum, s) => sum + s.rows.length, 0);
    const took = Date.now() - started;
    this.#applyMs += took;
    this.#nextFlushAt = Date.now() + took * (this.#options.collectFactor ?? REPORTING_LIMITS.collectFactor);
    this.#checkpoint = batch.lastBlock;
    this.#lastError = undefined;
    if (this.#peerHeight === undefined || this.#peerHeight <= batch.lastBlock) this.#peerHeight = batch.lastBlock + 1n;
    this.#events.emit('applied', batch.lastBlock);
  }
}

/**
 * The organization's block-event listener: follows its own peer's blocks from the store's checkpoint, learns from
 * each valid transaction's chaincode event which campaign changed and what of it (line items from a day on, or the
 * whole campaign; see {@link changedRecordOf}), re-reads that part through the chaincode (so a block's cost is
 * proportional to what it changed, not to the campaign's size), and applies the snapshots, the transactions and the new checkpoint in one store transaction. A crash at any point
 * loses nothing and repeats nothing: the next start resumes after the last applied block.
 */
export function newReportListener(options: Readonly<ReportListenerOptions>): ReportListener {
  return new BlockReportListener(options);
}
