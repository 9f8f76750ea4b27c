import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateApiKey, hashApiKey, type ApiKeyEntry, type UserRole } from './api-keys';
import type { CaEnroller } from './ca-enrollment';
import { saveUserIdentity, usersDirOf } from './user-identities';

/** What {@link createDemoCredentials} did. */
export interface DemoCredentialsResult {
  readonly created: boolean;
  readonly keysFile: string;
  readonly credentialsFile: string;
  readonly count: number;
}

const DEMO_ROLES: readonly UserRole[] = ['operations', 'finance'];

/**
 * Creates one operations and one finance user and key for one organization (the one its gateway serves), unless
 * the keys file exists. With an enroller, each user is registered and enrolled at the organization's CA (its role in
 * the certificate) and the gateway signs its transactions with that user's own key; the enrollment ID is the
 * client ID. The keys file keeps only SHA-256 hashes; the plaintext keys go to `demo-credentials.txt` (mode 0600)
 * beside it. Client IDs are the MSP ID without `MSP`, lower case, and the role: `publisher2-finance`.
 * @throws {Error} when a file cannot be written or the CA refuses an enrollment.
 */
export async function createDemoCredentials(
  organization: Readonly<{ mspId: string }>,
  keysFile: string,
  enroller?: CaEnroller,
): Promise<DemoCredentialsResult> {
  const credentialsFile = path.join(path.dirname(keysFile), 'demo-credentials.txt');
  if (fs.existsSync(keysFile)) return { created: false, keysFile, credentialsFile, count: 0 };
  const entries: ApiKeyEntry[] = [];
  const lines = ['# adrecon demo API keys: keep private. Columns: clientId mspId role key', ''];
  const createdAt = new Date().toISOString();
  const { mspId } = organization;
  fs.mkdirSync(path.dirname(keysFile), { recursive: true, mode: 0o700 });
  for (const role of DEMO_ROLES) {
    const key = generateApiKey();
    const clientId = `${mspId.replace(/MSP$/, '').toLowerCase()}-${role}`;
    let enrollmentId: string | undefined;
    if (enroller !== undefined) {
      const enrollment = await enroller.registerAndEnroll(clientId, role, { reuse: true });
      saveUserIdentity(usersDirOf(keysFile), clientId, enrollment.certPem, enrollment.keyPem);
      enrollmentId = clientId;
    }
    entries.push({
      clientId,
      mspId,
      role,
      sha256: hashApiKey(key),
      ...(enrollmentId === undefined ? {} : { enrollmentId }),
      createdAt,
    });
    lines.push(`${clientId} ${mspId} ${role} ${key}`);
  }
  fs.writeFileSync(credentialsFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  fs.chmodSync(credentialsFile, 0o600);
  fs.writeFileSync(keysFile, `${JSON.stringify({ keys: entries }, null, 2)}\n`, { mode: 0o600 });
  return { created: true, keysFile, credentialsFile, count: entries.length };
}
