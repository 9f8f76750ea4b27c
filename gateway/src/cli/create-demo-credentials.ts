import { createDemoCredentials } from '../auth/demo-credentials';
import { ConfigError, loadConfig } from '../config';
import { loadGatewayProfile } from '../ledger/gateway-profile';

function run(): void {
  const config = loadConfig();
  if (config.gatewayProfilePath === undefined || config.apiKeysFile === undefined) {
    throw new ConfigError('set ADRECON_GATEWAY_PROFILE to the organization’s gateway profile');
  }
  const { organization } = loadGatewayProfile(config.gatewayProfilePath);
  const result = createDemoCredentials(organization, config.apiKeysFile);
  if (!result.created) {
    process.stdout.write(
      `${result.keysFile} exists; no new keys. Plaintext demo keys, if created earlier: ${result.credentialsFile}\n`,
    );
    return;
  }
  process.stdout.write(
    [
      `Created ${String(result.count)} API keys of ${organization.mspId} (stored hashed) in ${result.keysFile}.`,
      `Plaintext keys: ${result.credentialsFile} (mode 0600; columns: clientId mspId role key).`,
      '',
    ].join('\n'),
  );
}

try {
  run();
} catch (err) {
  process.stderr.write(`demo-credentials: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
