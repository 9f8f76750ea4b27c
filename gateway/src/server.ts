import type { Server } from 'node:http';
import * as path from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createApp } from './app';
import { newReloadingApiKeyStore } from './auth/api-keys';
import { newUserIdentityStore, usersDirOf } from './auth/user-identities';
import { answerClientErrors } from './http/client-errors';
import { assertOwnOrganizationKeys } from './auth/organization-keys';
import { ConfigError, type Config } from './config';
import { openIdempotencyStore } from './idempotency/idempotency-store';
import { newFabricLedgerClient } from './ledger/fabric-ledger-client';
import type { LedgerClient } from './ledger/ledger-client';
import { loadGatewayProfile, singleOrganizationProfile } from './ledger/gateway-profile';
import { verifyOrganizationIdentity } from './ledger/identity-ownership';
import { newMetrics } from './metrics';
import { startOrganizationReporting } from './reporting/organization-reporting';

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
 * integration tests. A gateway serves one organization: it refuses to start with an identity that its
 * organization's CA did not issue, or with API keys of another organization.
 * @throws {ConfigError} when no gateway profile is configured.
 * @throws {IdentityOwnershipError} when the identity is not the organization's own.
 * @throws {Error} when the gateway profile, a certificate, a key or the API keys file cannot be read, or the keys
 * file holds another organization's keys.
 */
export async function startGatewayServer(config: Config, logger: Logger): Promise<GatewayServer> {
  const { gatewayProfilePath, apiKeysFile, stateDir } = config;
  if (gatewayProfilePath === undefined || apiKeysFile === undefined || stateDir === undefined) {
    throw new ConfigError(
      'ADRECON_GATEWAY_PROFILE is not set: a gateway serves one organization, named by its gateway profile ' +
        '(network/run/gateway/<organization>/profile.json)',
    );
  }
  const gatewayProfile = loadGatewayProfile(gatewayProfilePath);
  const { mspId } = gatewayProfile.organization;
  verifyOrganizationIdentity(gatewayProfile, config.organization);
  const apiKeys = newReloadingApiKeyStore(apiKeysFile, (entries) => {
    assertOwnOrganizationKeys(entries, mspId, apiKeysFile);
  });
  const users = newUserIdentityStore(usersDirOf(apiKeysFile), mspId);
  const idempotency = openIdempotencyStore({
    // Shared with any other gateway process of the organization that uses the same state folder.
    directory: path.join(stateDir, 'idempotency'),
    ttlMs: config.idempotencyTtlMs,
    maxEntries: config.idempotencyMaxEntries,
  });
  const ledger = newFabricLedgerClient({
    profile: singleOrganizationProfile(gatewayProfile),
    otherOrganizations: gatewayProfile.otherOrganizations,
    timeouts: config.timeouts,
    mvccRetries: config.mvccRetries,
    retryAfterSeconds: config.retryAfterSeconds,
    reconnectBackoff: config.reconnectBackoff,
    commitProbeMs: config.commitProbeMs,
    userIdentity: (enrollmentId) => users.identityOf(enrollmentId),
  });
  const reporting = config.reporting.enabled ? startOrganizationReporting(config, gatewayProfile, logger) : undefined;
  const shutdown = new AbortController();
  const app = createApp({
    ...(reporting === undefined ? {} : { reporting }),
    shutdownSignal: shutdown.signal,
    ledger,
    apiKeys,
    idempotency,
    logger,
    metrics: newMetrics(true),
    bodyLimitBytes: config.bodyLimitBytes,
    sseHeartbeatMs: config.sseHeartbeatMs,
    eventLimits: config.eventLimits,
    retryAfterSeconds: config.retryAfterSeconds,
    consistencyTimeoutMs: config.consistencyTimeoutMs,
    readinessCacheMs: config.readinessCacheMs,
    rateLimits: config.rateLimits,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, (err?: Error) => {
      if (err) reject(err);
      else resolve(listening);
    });
  }).catch(async (err: unknown) => {
    await reporting?.stop();
    ledger.close();
    idempotency.close();
    throw err;
  });
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // Node requires the headers timeout to exceed the keep-alive timeout, or a reused connection can be cut mid-request.
  server.headersTimeout = config.keepAliveTimeoutMs + 1_000;
  answerClientErrors(server);
  logger.info({ host: config.host, port: config.port, organization: mspId }, 'gateway listening');

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
        void (reporting?.stop() ?? Promise.resolve())
          .catch((err: unknown) => {
            logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'reporting did not stop cleanly');
          })
          .finally(() => {
            ledger.close();
            idempotency.close();
            logger.info('stopped');
            resolve();
          });
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
