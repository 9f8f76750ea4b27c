import { pino } from 'pino';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { hashApiKey, newApiKeyStore, type ApiKeyEntry } from '../../src/auth/api-keys';
import { openIdempotencyStore, type IdempotencyStore } from '../../src/idempotency/idempotency-store';
import type { RateLimits } from '../../src/http/rate-limits';
import type {
  AwaitBlockOptions,
  LedgerClient,
  LedgerEvent,
  LedgerEventStream,
  SubmitResult,
} from '../../src/ledger/ledger-client';

export interface LedgerCall {
  readonly kind: 'evaluate' | 'submit';
  readonly org: string;
  readonly transaction: string;
  readonly args: readonly string[];
}

type Answer = unknown;

/** A LedgerClient fake: records calls, answers from canned results or throws the given errors. */
export class FakeLedger implements LedgerClient {
  readonly calls: LedgerCall[] = [];
  readonly answers = new Map<string, Answer>();
  readonly failures = new Map<string, Error>();
  events: LedgerEvent[] = [];
  eventStarts: (bigint | undefined)[] = [];
  eventsClosed = 0;
  holdEventsOpenMs = 0;
  /** Every consistency wait asked for, in order. */
  readonly blockWaits: { org: string; block: bigint; options: AwaitBlockOptions }[] = [];
  /** When set, every consistency wait fails with this error. */
  blockWaitFailure: Error | undefined;
  #tx = 0;

  organizations(): readonly string[] {
    return ['AdvertiserMSP', 'PublisherMSP'];
  }

  answer(transaction: string, value: Answer): this {
    this.answers.set(transaction, value);
    return this;
  }

  fail(transaction: string, err: Error): this {
    this.failures.set(transaction, err);
    return this;
  }

  evaluate(org: string, transaction: string, args: readonly string[]): Promise<unknown> {
    this.calls.push({ kind: 'evaluate', org, transaction, args });
    const failure = this.failures.get(transaction);
    if (failure) return Promise.reject(failure);
    return Promise.resolve(this.answers.get(transaction) ?? { ok: transaction });
  }

  submit(org: string, transaction: string, args: readonly string[]): Promise<SubmitResult> {
    this.calls.push({ kind: 'submit', org, transaction, args });
    const failure = this.failures.get(transaction);
    if (failure) return Promise.reject(failure);
    this.#tx++;
    return Promise.resolve({
      result: this.answers.get(transaction) ?? { ok: transaction },
      transactionId: `tx${this.#tx}`,
      blockNumber: BigInt(100 + this.#tx),
    });
  }

  awaitBlock(org: string, block: bigint, options: Readonly<AwaitBlockOptions>): Promise<void> {
    this.blockWaits.push({ org, block, options });
    return this.blockWaitFailure ? Promise.reject(this.blockWaitFailure) : Promise.resolve();
  }

  chaincodeEvents(_org: string, startBlock?: bigint): Promise<LedgerEventStream> {
    this.eventStarts.push(startBlock);
    const events = this.events;
    const hold = this.holdEventsOpenMs;
    let closed = false;
    let wake: () => void = () => undefined;
    return Promise.resolve({
      close: () => {
        if (!closed) this.eventsClosed++;
        closed = true;
        wake();
      },
      async *[Symbol.asyncIterator]() {
        for (const event of events) {
          if (closed) return;
          yield event;
        }
        // Like a cancelled gRPC stream, closing ends the wait at once.
        if (hold > 0 && !closed) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, hold);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      },
    });
  }

  close(): void {
    // nothing to close
  }
}

export const KEYS = {
  advertiserOps: 'key-advertiser-operations-0123456789',
  advertiserFinance: 'key-advertiser-finance-0123456789',
  publisherOps: 'key-publisher-operations-0123456789',
  publisherFinance: 'key-publisher-finance-0123456789',
  admin: 'key-advertiser-admin-0123456789',
} as const;

export const KEY_ENTRIES: ApiKeyEntry[] = [
  { clientId: 'adv-ops', mspId: 'AdvertiserMSP', role: 'operations', sha256: hashApiKey(KEYS.advertiserOps) },
  { clientId: 'adv-fin', mspId: 'AdvertiserMSP', role: 'finance', sha256: hashApiKey(KEYS.advertiserFinance) },
  { clientId: 'pub-ops', mspId: 'PublisherMSP', role: 'operations', sha256: hashApiKey(KEYS.publisherOps) },
  { clientId: 'pub-fin', mspId: 'PublisherMSP', role: 'finance', sha256: hashApiKey(KEYS.publisherFinance) },
  { clientId: 'adv-admin', mspId: 'AdvertiserMSP', role: 'admin', sha256: hashApiKey(KEYS.admin) },
];

export interface TestApp {
  readonly app: Express;
  readonly ledger: FakeLedger;
  readonly idempotency: IdempotencyStore;
}

export function newTestApp(
  options: {
    ledger?: FakeLedger;
    idempotency?: IdempotencyStore;
    bodyLimitBytes?: number;
    sseHeartbeatMs?: number;
    shutdownSignal?: AbortSignal;
    rateLimits?: RateLimits;
  } = {},
): TestApp {
  const ledger = options.ledger ?? new FakeLedger();
  const idempotency = options.idempotency ?? openIdempotencyStore({ ttlMs: 3_600_000 });
  const app = createApp({
    ledger,
    apiKeys: newApiKeyStore(KEY_ENTRIES),
    idempotency,
    logger: pino({ level: 'silent' }),
    bodyLimitBytes: options.bodyLimitBytes ?? 1_048_576,
    sseHeartbeatMs: options.sseHeartbeatMs ?? 15_000,
    retryAfterSeconds: 7,
    ...(options.shutdownSignal ? { shutdownSignal: options.shutdownSignal } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  return { app, ledger, idempotency };
}

export function bearer(key: string): string {
  return `Bearer ${key}`;
}

export const campaign = {
  campaignId: 'c-1',
  name: 'Spring launch',
  advertiser: 'AdvertiserMSP',
  agency: 'AgencyMSP',
  currency: 'EUR',
  lineItems: [
    {
      lineItemId: 'li-1',
      publisher: 'PublisherMSP',
      cpmMicros: 2_500_000,
      bookedImpressions: 1_000_000,
      flightStart: '2026-03-01',
      flightEnd: '2026-03-31',
    },
  ],
};

export const report = {
  reportId: 'r-1',
  campaignId: 'c-1',
  lineItemId: 'li-1',
  periodStart: '2026-03-01T00:00:00Z',
  periodEnd: '2026-03-02T00:00:00Z',
  impressions: 1000,
  invalidImpressions: 10,
};

/** The JSON body shapes the API answers with. */
export interface ApiBody {
  readonly data?: unknown;
  readonly transactionId?: string;
  readonly block?: string;
  readonly error?: {
    readonly code: string;
    readonly message: string;
    readonly transactionId?: string;
    readonly details?: unknown;
  };
}

/** A response body, typed. */
export function bodyOf(res: { body: unknown }): ApiBody {
  return res.body as ApiBody;
}
