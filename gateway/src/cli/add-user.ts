import * as fs from 'node:fs';
import { isUserRole, USER_ROLES } from '@adrecon/contract';
import { generateApiKey, hashApiKey, loadApiKeyEntries, type ApiKeyEntry } from '../auth/api-keys';
import { saveUserIdentity, usersDirOf } from '../auth/user-identities';
import { userCliContext } from './user-cli-context';

const USAGE = `Usage: add-user <enrollment-id> <${USER_ROLES.join('|')}>
  Registers and enrolls a user at the organization's own Fabric CA (its role in the certificate's adrecon.role
  attribute), stores its identity beside the gateway's API keys, adds an API key for it and prints that key once,
  as JSON. Run with the gateway's environment (ADRECON_GATEWAY_PROFILE, ...); the running gateway picks the key up.`;

async function run(args: readonly string[]): Promise<void> {
  const [enrollmentId, role] = args;
  if (enrollmentId === undefined || !/^[a-z][a-z0-9._-]{0,62}$/.test(enrollmentId) || !isUserRole(role)) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const { organization, apiKeysFile, enroller } = userCliContext();
  if (enroller === undefined) throw new Error('the gateway profile names no CA: the organization has no Fabric CA');
  const entries: ApiKeyEntry[] = fs.existsSync(apiKeysFile) ? loadApiKeyEntries(apiKeysFile) : [];
  if (entries.some((e) => e.clientId === enrollmentId)) throw new Error(`client ${enrollmentId} already has a key`);
  const enrollment = await enroller.registerAndEnroll(enrollmentId, role);
  saveUserIdentity(usersDirOf(apiKeysFile), enrollmentId, enrollment.certPem, enrollment.keyPem);
  const apiKey = generateApiKey();
  entries.push({
    clientId: enrollmentId,
    mspId: organization.mspId,
    role,
    sha256: hashApiKey(apiKey),
    enrollmentId,
    createdAt: new Date().toISOString(),
  });
  const next = `${apiKeysFile}.${String(process.pid)}.tmp`;
  fs.writeFileSync(next, `${JSON.stringify({ keys: entries }, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(next, apiKeysFile);
  process.stdout.write(
    `${JSON.stringify({ clientId: enrollmentId, mspId: organization.mspId, role, enrollmentId, apiKey })}\n`,
  );
}

run(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`add-user: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
