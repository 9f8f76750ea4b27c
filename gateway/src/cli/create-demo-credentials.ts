import { createDemoCredentials } from '../auth/demo-credentials';
import { loadConfig } from '../config';
import { loadNetworkProfile } from '../ledger/network-profile';

function run(): void {
  const config = loadConfig();
  const profile = loadNetworkProfile(config.networkProfilePath);
  const result = createDemoCredentials(profile, config.apiKeysFile);
  if (!result.created) {
    process.stdout.write(
      `${result.keysFile} exists; no new keys. Plaintext demo keys, if created earlier: ${result.credentialsFile}\n`,
    );
    return;
  }
  process.stdout.write(
    [
      `Created ${result.count} API keys (stored hashed) in ${result.keysFile}.`,
      `Plaintext keys: ${result.credentialsFile} (mode 0600; columns: clientId mspId role key).`,
      'Use one:',
      `  KEY=$(awk '$1=="advertiser-operations"{print $4}' ${result.credentialsFile})`,
      `  curl -H "Authorization: Bearer $KEY" http://${config.host}:${config.port}/campaigns`,
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
