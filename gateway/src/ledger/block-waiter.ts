import { AppError } from '../errors';
import type { AwaitBlockOptions } from './ledger-client';

/**
 * Reads the ledger height (committed blocks: last block number + 1) of `target`'s peer, asking through `caller`'s
 * connection, within `timeoutMs`. Rejects, preferably with an {@link AppError}, when the peer cannot answer.
 */
export type HeightQuery = (caller: string, target: string, timeoutMs: number) => Promise<bigint>;

/** Options for {@link newBlockWaiter}. */
export interface BlockWaiterOptions {
  readonly queryHeight: HeightQuery;
  /** Every organization whose peer may endorse a write (the scope `endorsers`). */
  readonly organizations: () => readonly string[];
  readonly retryAfterSeconds: number;
  /** First pause between two height queries; doubles up to {@link maxPollMs}. Default 20 ms. */
  readonly firstPollMs?: number;
  /** Longest pause between two height queries. Default 200 ms. */
  readonly maxPollMs?: number;
}

/** Waits for blocks to be committed on organizations' peers; see {@link LedgerClient.awaitBlock}. */
export interface BlockWaiter {
  /** @throws {AppError} LEDGER_BEHIND when the deadline passes first. */
  awaitBlock(org: string, block: bigint, options: Readonly<AwaitBlockOptions>): Promise<void>;
  /** Records that `org`'s peer has committed `block` (a commit status seen there), so a later wait costs nothing. */
  observed(org: string, block: bigint): void;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

class PollingBlockWaiter implements BlockWaiter {
  readonly #options: Readonly<BlockWaiterOptions>;
  /** Highest known height of each organization's peer (as seen through the caller's own connection). */
  readonly #heights = new Map<string, bigint>();
  /** One height query in flight per (caller, target): concurrent waiters share it. */
  readonly #inFlight = new Map<string, Promise<bigint>>();

  constructor(options: Readonly<BlockWaiterOptions>) {
    this.#options = options;
  }

  observed(org: string, block: bigint): void {
    this.#raise(org, block + 1n);
  }

  async awaitBlock(org: string, block: bigint, options: Readonly<AwaitBlockOptions>): Promise<void> {
    const deadline = Date.now() + options.timeoutMs;
    await this.#awaitPeer(org, org, block, deadline, true);
    if (options.scope === 'organization') return;
    const others = (options.only ?? this.#options.organizations()).filter((other) => other !== org);
    await Promise.all(others.map((other) => this.#awaitPeer(org, other, block, deadline, false)));
  }

  /**
   * Polls `target`'s height until it passes `block`. The caller's own peer must answer: its failure is the
   * answer (LEDGER_UNAVAILABLE, at once). Another organization's peer that cannot be reached is skipped (it cannot
   * endorse either, and the endorsement plan goes around it), while one that answers but lags is waited for.
   */
  async #awaitPeer(caller: string, target: string, block: bigint, deadline: number, required: boolean): Promise<void> {
    let pause = this.#options.firstPollMs ?? 20;
    const maxPause = this.#options.maxPollMs ?? 200;
    for (;;) {
      if ((this.#heights.get(target) ?? 0n) > block) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.#behind(target, block);
      let reachable = true;
      try {
        this.#raise(target, await this.#query(caller, target, remaining));
      } catch (err) {
        // Out of time, the answer is "behind" whatever the last query said; before that, its failure is the answer.
        if (required && Date.now() >= deadline) throw this.#behind(target, block);
        if (required) throw err instanceof AppError ? err : this.#behind(target, block);
        reachable = false;
      }
      if ((this.#heights.get(target) ?? 0n) > block) return;
      if (!reachable && !required && Date.now() < deadline) return;
      await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
      pause = Math.min(pause * 2, maxPause);
    }
  }

  #query(caller: string, target: string, timeoutMs: number): Promise<bigint> {
    const key = `${caller}\u0000${target}`;
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = this.#options.queryHeight(caller, target, timeoutMs).finally(() => {
        this.#inFlight.delete(key);
      });
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  #raise(org: string, height: bigint): void {
    if (height > (this.#heights.get(org) ?? 0n)) this.#heights.set(org, height);
  }

  #behind(org: string, block: bigint): AppError {
    return new AppError(
      'LEDGER_BEHIND',
      `the peer of ${org} has not committed block ${block} yet; retry, the token stays valid`,
      { retryAfterSeconds: this.#options.retryAfterSeconds },
    );
  }
}

/**
 * A waiter that polls peers' ledger heights with a short, growing pause, shares concurrent queries and remembers
 * what it has seen, so that the common case (the block is already there) makes no call at all.
 */
export function newBlockWaiter(options: Readonly<BlockWaiterOptions>): BlockWaiter {
  return new PollingBlockWaiter(options);
}
