import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config';
import type { GatewayProfile } from '../ledger/gateway-profile';
import { singleOrganizationProfile } from '../ledger/gateway-profile';
import type { LedgerClient } from '../ledger/ledger-client';
import { createLedgerContract } from '../ledger/ledger-contract';
import { newCampaignReader } from './campaign-reader';
import { newFabricBlockSource } from './fabric-block-source';
import { startReporting, type Reporting } from './reporting-service';

/**
 * The organization's reporting store (embedded by default, or PostgreSQL) and its listener on its own peer's
 * blocks, opened in the background.
 * @throws {ConfigError} when there is neither a reporting directory nor a state directory.
 * @throws {Error} when the identity or the peer's TLS root cannot be read.
 */
export function startOrganizationReporting(
  config: Config,
  gatewayProfile: GatewayProfile,
  ledger: LedgerClient,
  logger: Logger,
): Reporting {
  const profile = singleOrganizationProfile(gatewayProfile);
  const organization = gatewayProfile.organization;
  const directory = config.reporting.directory;
  if (directory === undefined)
    throw new ConfigError('ADRECON_REPORTING_DIR is not set and there is no state directory');
  return startReporting({
    organization: organization.mspId,
    chaincode: profile.chaincode,
    location: { databaseUrl: config.reporting.databaseUrl, directory },
    source: newFabricBlockSource({
      organization,
      channel: profile.channel,
      evaluateTimeoutMs: config.timeouts.evaluateMs,
    }),
    readCampaign: newCampaignReader(createLedgerContract(ledger), organization.mspId),
    logger: logger.child({ component: 'reporting' }),
    retryAfterSeconds: config.retryAfterSeconds,
  });
}
