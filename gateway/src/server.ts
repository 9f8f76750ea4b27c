import type { Server } from 'node:http';
import * as path from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createApp } from './app';
import { loadApiKeyEntries, newApiKeyStore } from './auth/api-keys';
import type { Config } from './config';
import { openIdempotencyStore } from './idempotency/idempotency-store';
import { newFabricLedgerClient } from './ledger/fabric-ledger-client';
import type { LedgerClient } from './ledger/ledger-client';
import { loadNetworkProfile } from './ledger/network-profile';
import { newMetrics } from './metrics';

/** A running gateway. */
export interface GatewayServer {
  readonly app: Express;
  readonly server: Server;
  readonly ledger: LedgerClient;
  /** The bound port (useful with `port: 0`). */
  port(): number;
  /** Stops accepting connections, waits for open requests (cut after the shutdown timeout), closes Fabric. */
  stop(): Promise<void>;
}

/**
 * Wires the real dependencies from the configuration and starts listening: what `main` does, reusable by the
 * integration tests.
 * @throws {Error} when the network profile, a certificate, a key or the API keys file cannot be read.
 */
export async function startGatewayServer(config: Config, logger: Logger): Promise<GatewayServer> {
  const profile = loadNetworkProfile(config.networkProfilePath);
  const apiKeys = newApiKeyStore(loadApiKeyEntries(config.apiKeysFile));
  const idempotency = openIdempotencyStore({
    file: path.join(config.stateDir, 'idempotency.jsonl'),
    ttlMs: config.idempotencyTtlMs,
  });
  const ledger = newFabricLedgerClient({
    profile,
    timeouts: config.timeouts,
    mvccRetries: config.mvccRetries,
    retryAfterSeconds: config.retryAfterSeconds,
    reconnectBackoff: config.reconnectBackoff,
  });
  const shutdown = new AbortController();
  const app = createApp({
    shutdownSignal: shutdown.signal,
    ledger,
    apiKeys,
    idempotency,
    logger,
    metrics: newMetrics(true),
    bodyLimitBytes: config.bodyLimitBytes,
    sseHeartbeatMs: config.sseHeartbeatMs,
    retryAfterSeconds: config.retryAfterSeconds,
    consistencyTimeoutMs: config.consistencyTimeoutMs,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, (err?: Error) => {
      if (err) reject(err);
      else resolve(listening);
    });
  }).catch((err: unknown) => {
    ledger.close();
    idempotency.close();
    throw err;
  });
  logger.info({ host: config.host, port: config.port, organizations: ledger.organizations() }, 'gateway listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        logger.warn('shutdown timed out; closing open connections');
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      force.unref();
      shutdown.abort();
      server.close(() => {
        clearTimeout(force);
        ledger.close();
        idempotency.close();
        logger.info('stopped');
        resolve();
      });
      server.closeIdleConnections();
    });
    return stopping;
  };
  return {
    app,
    server,
    ledger,
    port: () => {
      const address = server.address();
      return typeof address === 'object' && address !== null ? address.port : config.port;
    },
    stop,
  };
}
