import type { LedgerClient } from '../ledger/ledger-client';
import { newEventHub, type EventHub, type EventHubLimits } from './event-hub';

/** The event hub of each organization the gateway serves. */
export interface EventHubs {
  /** The hub of an organization, created on first use. */
  of(org: string): EventHub;
  /** Closes every hub (shutdown). */
  close(): void;
}

/** Options for {@link newEventHubs}. */
export interface EventHubsOptions extends EventHubLimits {
  readonly ledger: LedgerClient;
  readonly retryAfterSeconds: number;
  readonly onStreamError?: (org: string, err: unknown) => void;
}

/** One hub per organization, so each organization's peer is read once. */
export function newEventHubs(options: Readonly<EventHubsOptions>): EventHubs {
  const hubs = new Map<string, EventHub>();
  return {
    of: (org) => {
      let hub = hubs.get(org);
      if (hub === undefined) {
        hub = newEventHub({
          ...options,
          org,
          onStreamError: (err) => options.onStreamError?.(org, err),
        });
        hubs.set(org, hub);
      }
      return hub;
    },
    close: () => {
      for (const hub of hubs.values()) hub.close();
    },
  };
}
