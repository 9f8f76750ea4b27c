/**
 * The adrecon REST gateway: the Express app, its configuration and the Fabric ledger client.
 *
 * @packageDocumentation
 */
export { createApp, type AppDeps } from './app';
export { agrees, formatAuditReport } from './audit/audit-report';
export { decodeBlock, transactionIdOf, type AuditedBlock } from './audit/audited-block';
export { auditLedgers, type AuditResult, type Difference, type DifferenceKind } from './audit/ledger-audit';
export type { PeerLedger } from './audit/peer-ledger';
export { connectPeerLedger, type ClosablePeerLedger } from './audit/qscc-peer-ledger';
export {
  generateApiKey,
  hashApiKey,
  loadApiKeyEntries,
  newApiKeyStore,
  type ApiKeyEntry,
  type ApiKeyStore,
  type Principal,
  type UserRole,
} from './auth/api-keys';
export { ROLE_PERMISSIONS, roleAllows, type Permission } from './auth/permissions';
export { ConfigError, loadConfig, type Config } from './config';
export { AppError, ERROR_STATUS, httpStatusFor, isAppError } from './errors';
export { openIdempotencyStore, type IdempotencyStore } from './idempotency/idempotency-store';
export { toAppError } from './ledger/fabric-error-adapter';
export { newFabricLedgerClient, type FabricLedgerClientOptions } from './ledger/fabric-ledger-client';
export { confidentialProposal, openSealedResponse, type ConfidentialProposal } from './ledger/confidential-proposal';
export { DEFAULT_RECONNECT_BACKOFF, type ReconnectBackoff } from './ledger/peer-client';
export type { LedgerClient, LedgerEvent, LedgerEventStream, SubmitResult } from './ledger/ledger-client';
export { loadNetworkProfile, type NetworkProfile } from './ledger/network-profile';
export { instrumentLedger, newMetrics, type Metrics } from './metrics';
export { procStat, type ProcStat } from './proc-stat';
export { startGatewayServer, type GatewayServer } from './server';
