import * as path from 'node:path';
import { newCaEnroller, type CaEnroller } from '../auth/ca-enrollment';
import { ConfigError, loadConfig } from '../config';
import { loadGatewayProfile, type GatewayProfile } from '../ledger/gateway-profile';

/** What the user CLIs of one organization's gateway work with: its profile, keys file and CA enroller. */
export interface UserCliContext {
  readonly organization: GatewayProfile['organization'];
  readonly apiKeysFile: string;
  /** Undefined when the gateway profile names no CA (a bundle made before Fabric CA). */
  readonly enroller: CaEnroller | undefined;
}

/**
 * Reads the gateway's configuration (the same environment as the gateway) for a user CLI.
 * @throws {ConfigError} when no gateway profile is configured.
 */
export function userCliContext(): UserCliContext {
  const config = loadConfig();
  if (config.gatewayProfilePath === undefined || config.apiKeysFile === undefined || config.stateDir === undefined) {
    throw new ConfigError('set ADRECON_GATEWAY_PROFILE to the organization’s gateway profile');
  }
  const { organization } = loadGatewayProfile(config.gatewayProfilePath);
  const enroller =
    organization.ca === undefined
      ? undefined
      : newCaEnroller({
          ca: organization.ca,
          binary: config.fabricCaClient,
          workDir: path.join(config.stateDir, 'ca-client'),
        });
  return { organization, apiKeysFile: config.apiKeysFile, enroller };
}
