import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppError } from './errors';
import type { LedgerClient, SubmitResult } from './ledger/ledger-client';

/** The gateway's Prometheus metrics, in their own registry. */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly ledgerDuration: Histogram<'kind' | 'transaction' | 'outcome'>;
  readonly ledgerErrors: Counter<'kind' | 'transaction' | 'code'>;
}

/** Creates the metrics; `defaults` adds process metrics (off in tests). */
export function newMetrics(defaults = false): Metrics {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'adrecon_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'adrecon_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    ledgerDuration: new Histogram({
      name: 'adrecon_fabric_duration_seconds',
      help: 'Fabric evaluate/submit latency by transaction and outcome',
      labelNames: ['kind', 'transaction', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    ledgerErrors: new Counter({
      name: 'adrecon_fabric_errors_total',
      help: 'Fabric evaluate/submit errors by code',
      labelNames: ['kind', 'transaction', 'code'],
      registers: [registry],
    }),
  };
}

/** Wraps a ledger client so that every evaluate and submit is timed and counted. */
export function instrumentLedger(ledger: LedgerClient, metrics: Metrics): LedgerClient {
  const timed = async <T>(kind: 'evaluate' | 'submit', transaction: string, call: () => Promise<T>): Promise<T> => {
    const end = metrics.ledgerDuration.startTimer({ kind, transaction });
    try {
      const result = await call();
      end({ outcome: 'ok' });
      return result;
    } catch (err) {
      end({ outcome: 'error' });
      const code = (err as Partial<AppError>).code;
      metrics.ledgerErrors.inc({ kind, transaction, code: typeof code === 'string' ? code : 'INTERNAL' });
      throw err;
    }
  };
  return {
    organizations: () => ledger.organizations(),
    evaluate: (org, transaction, args) => timed('evaluate', transaction, () => ledger.evaluate(org, transaction, args)),
    submit: (org, transaction, args): Promise<SubmitResult> =>
      timed('submit', transaction, () => ledger.submit(org, transaction, args)),
    awaitBlock: (org, block, options) => ledger.awaitBlock(org, block, options),
    chaincodeEvents: (org, startBlock) => ledger.chaincodeEvents(org, startBlock),
    close: () => {
      ledger.close();
    },
  };
}
