import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateApiKey, hashApiKey, type ApiKeyEntry, type UserRole } from '../auth/api-keys';
import { loadConfig } from '../config';
import { loadNetworkProfile } from '../ledger/network-profile';

/**
 * Creates one operations and one finance API key per organization of the network profile, unless the keys file
 * exists. The file keeps only SHA-256 hashes; the plaintext keys go to demo-credentials.txt (mode 0600) beside it.
 */
function run(): void {
  const config = loadConfig();
  const keysFile = config.apiKeysFile;
  const credentialsFile = path.join(path.dirname(keysFile), 'demo-credentials.txt');
  if (fs.existsSync(keysFile)) {
    process.stdout.write(
      `${keysFile} exists; not creating new keys. Plaintext demo keys (if any): ${credentialsFile}\n`,
    );
    return;
  }
  const profile = loadNetworkProfile(config.networkProfilePath);
  const roles: readonly UserRole[] = ['operations', 'finance'];
  const entries: ApiKeyEntry[] = [];
  const lines = ['# adrecon demo API keys: keep private. Use: curl -H "Authorization: Bearer <key>" ...', ''];
  const createdAt = new Date().toISOString();
  for (const org of profile.organizations) {
    for (const role of roles) {
      const key = generateApiKey();
      const clientId = `${org.mspId.replace(/MSP$/, '').toLowerCase()}-${role}`;
      entries.push({ clientId, mspId: org.mspId, role, sha256: hashApiKey(key), createdAt });
      lines.push(`${clientId} ${org.mspId} ${role} ${key}`);
    }
  }
  fs.mkdirSync(path.dirname(keysFile), { recursive: true, mode: 0o700 });
  fs.writeFileSync(credentialsFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  fs.chmodSync(credentialsFile, 0o600);
  fs.writeFileSync(keysFile, `${JSON.stringify({ keys: entries }, null, 2)}\n`, { mode: 0o600 });
  process.stdout.write(
    [
      `Created ${entries.length} API keys (hashed) in ${keysFile}.`,
      `Plaintext keys: ${credentialsFile} (mode 0600; lines: clientId mspId role key).`,
      'Use one:',
      `  KEY=$(awk '$1=="advertiser-operations"{print $4}' ${credentialsFile})`,
      '  curl -H "Authorization: Bearer $KEY" http://127.0.0.1:3000/campaigns',
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
