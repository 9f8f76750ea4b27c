import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config';
import type { GatewayProfile } from '../ledger/gateway-profile';
import { singleOrganizationProfile } from '../ledger/gateway-profile';
import { newFabricLedgerClient } from '../ledger/fabric-ledger-client';
import { createLedgerContract } from '../ledger/ledger-contract';
import { newCampaignReader } from './campaign-reader';
import { newFabricBlockSource } from './fabric-block-source';
import { REPORTING_LIMITS } from './report-limits';
import { startReporting, type Reporting } from './reporting-service';

/**
 * The organization's reporting store (embedded by default, or PostgreSQL) and its listener on its own peer's
 * blocks, opened in the background. The listener reads through its own connection to the peer, whose evaluate
 * deadline is {@link REPORTING_LIMITS.rereadTimeoutMs} (not the API's), closed with the listener.
 * @throws {ConfigError} when there is neither a reporting directory nor a state directory.
 * @throws {Error} when the identity or the peer's TLS root cannot be read.
 */
export function startOrganizationReporting(config: Config, gatewayProfile: GatewayProfile, logger: Logger): Reporting {
  const profile = singleOrganizationProfile(gatewayProfile);
  const organization = gatewayProfile.organization;
  const directory = config.reporting.directory;
  if (directory === undefined)
    throw new ConfigError('ADRECON_REPORTING_DIR is not set and there is no state directory');
  const reads = newFabricLedgerClient({
    profile,
    timeouts: { ...config.timeouts, evaluateMs: REPORTING_LIMITS.rereadTimeoutMs },
    mvccRetries: 0,
    retryAfterSeconds: config.retryAfterSeconds,
  });
  const blocks = newFabricBlockSource({
    organization,
    channel: profile.channel,
    evaluateTimeoutMs: config.timeouts.evaluateMs,
  });
  return startReporting({
    organization: organization.mspId,
    chaincode: profile.chaincode,
    location: { databaseUrl: config.reporting.databaseUrl, directory },
    source: {
      blocks: (start) => blocks.blocks(start),
      height: () => blocks.height(),
      close: () => {
        blocks.close();
        reads.close();
      },
    },
    readCampaign: newCampaignReader(createLedgerContract(reads), organization.mspId),
    logger: logger.child({ component: 'reporting' }),
    retryAfterSeconds: config.retryAfterSeconds,
  });
}
