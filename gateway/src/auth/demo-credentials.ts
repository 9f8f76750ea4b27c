import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateApiKey, hashApiKey, type ApiKeyEntry, type UserRole } from './api-keys';

/** What {@link createDemoCredentials} did. */
export interface DemoCredentialsResult {
  readonly created: boolean;
  readonly keysFile: string;
  readonly credentialsFile: string;
  readonly count: number;
}

const DEMO_ROLES: readonly UserRole[] = ['operations', 'finance'];

/**
 * Creates one operations and one finance key for one organization (the one its gateway serves), unless the keys
 * file exists. The keys file keeps only SHA-256 hashes; the plaintext keys go to `demo-credentials.txt` (mode 0600)
 * beside it. Client IDs are the MSP ID without `MSP`, lower case, and the role: `publisher2-finance`.
 * @throws {Error} when a file cannot be written.
 */
export function createDemoCredentials(
  organization: Readonly<{ mspId: string }>,
  keysFile: string,
): DemoCredentialsResult {
  const credentialsFile = path.join(path.dirname(keysFile), 'demo-credentials.txt');
  if (fs.existsSync(keysFile)) return { created: false, keysFile, credentialsFile, count: 0 };
  const entries: ApiKeyEntry[] = [];
  const lines = ['# adrecon demo API keys: keep private. Columns: clientId mspId role key', ''];
  const createdAt = new Date().toISOString();
  const { mspId } = organization;
  for (const role of DEMO_ROLES) {
    const key = generateApiKey();
    const clientId = `${mspId.replace(/MSP$/, '').toLowerCase()}-${role}`;
    entries.push({ clientId, mspId, role, sha256: hashApiKey(key), createdAt });
    lines.push(`${clientId} ${mspId} ${role} ${key}`);
  }
  fs.mkdirSync(path.dirname(keysFile), { recursive: true, mode: 0o700 });
  fs.writeFileSync(credentialsFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  fs.chmodSync(credentialsFile, 0o600);
  fs.writeFileSync(keysFile, `${JSON.stringify({ keys: entries }, null, 2)}\n`, { mode: 0o600 });
  return { created: true, keysFile, credentialsFile, count: entries.length };
}
