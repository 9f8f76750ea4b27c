import type { LedgerClient } from '../ledger/ledger-client';
import type { LedgerContract } from '../ledger/ledger-contract';

/** What `/readyz` answers: every organization's peer state, and whether all answered. */
export interface Readiness {
  readonly ready: boolean;
  readonly organizations: Readonly<Record<string, 'ok' | 'unavailable'>>;
}

/** Options for {@link newReadinessProbe}. */
export interface ReadinessProbeOptions {
  readonly ledger: LedgerClient;
  readonly contract: LedgerContract;
  /** How long one answer is reused; 0 asks the peers on every call. */
  readonly cacheMs: number;
  readonly now?: () => number;
}

/**
 * The readiness check behind `/readyz`: one chaincode query (`roles:ListRoles`) per organization, shared by
 * concurrent callers and reused for `cacheMs`, so that unauthenticated probes cannot turn into peer load.
 */
export function newReadinessProbe(options: Readonly<ReadinessProbeOptions>): () => Promise<Readiness> {
  const now = options.now ?? Date.now;
  let cached: { readonly at: number; readonly value: Readiness } | undefined;
  let running: Promise<Readiness> | undefined;
  const probe = async (): Promise<Readiness> => {
    const organizations = options.ledger.organizations();
    const outcomes = await Promise.allSettled(organizations.map((org) => options.contract.roles.listRoles(org)));
    return {
      ready: organizations.length > 0 && outcomes.every((o) => o.status === 'fulfilled'),
      organizations: Object.fromEntries(
        organizations.map((org, i) => [org, outcomes[i]?.status === 'fulfilled' ? 'ok' : 'unavailable']),
      ),
    };
  };
  return () => {
    if (cached !== undefined && now() - cached.at < options.cacheMs) return Promise.resolve(cached.value);
    running ??= probe()
      .then((value) => {
        cached = { at: now(), value };
        return value;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}
