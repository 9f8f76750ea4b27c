import * as path from 'node:path';
import { pino } from 'pino';
import { createApp } from './app';
import { loadApiKeyEntries, newApiKeyStore } from './auth/api-keys';
import { loadConfig } from './config';
import { openIdempotencyStore } from './idempotency/idempotency-store';
import { newFabricLedgerClient } from './ledger/fabric-ledger-client';
import { loadNetworkProfile } from './ledger/network-profile';
import { newMetrics } from './metrics';

function main(): void {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
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
  });
  const app = createApp({
    ledger,
    apiKeys,
    idempotency,
    logger,
    metrics: newMetrics(true),
    bodyLimitBytes: config.bodyLimitBytes,
    sseHeartbeatMs: config.sseHeartbeatMs,
    retryAfterSeconds: config.retryAfterSeconds,
  });

  const server = app.listen(config.port, config.host, () => {
    logger.info({ host: config.host, port: config.port, organizations: ledger.organizations() }, 'gateway listening');
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.warn('shutdown timed out; closing open connections');
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    force.unref();
    server.close(() => {
      ledger.close();
      idempotency.close();
      logger.info('stopped');
      clearTimeout(force);
    });
    // Event streams never end on their own: close idle keep-alive sockets now, streams when they notice.
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
}

try {
  main();
} catch (err) {
  process.stderr.write(`adrecon gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
