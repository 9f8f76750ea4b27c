import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { USER_ROLES, type UserRole } from '@adrecon/contract';
import { z } from 'zod';

export { USER_ROLES, type UserRole };

/** Who is calling: resolved from the API key. */
export interface Principal {
  readonly clientId: string;
  readonly mspId: string;
  readonly role: UserRole;
  /** The enrolled user whose own certificate and key sign this client's transactions (absent: the organization's). */
  readonly enrollmentId?: string;
}

const keyEntrySchema = z.strictObject({
  clientId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  mspId: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/),
  role: z.enum(USER_ROLES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  enrollmentId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional(),
  createdAt: z.string().optional(),
});

/** Schema of the API keys file. */
export const apiKeysFileSchema = z.strictObject({ keys: z.array(keyEntrySchema) });
/** One stored (hashed) key. */
export type ApiKeyEntry = z.infer<typeof keyEntrySchema>;

/** Resolves presented API keys to principals. */
export interface ApiKeyStore {
  /** The principal of a presented key, or undefined. Constant time over the stored keys. */
  authenticate(presentedKey: string): Principal | undefined;
}

/** SHA-256 of a key, hex; enough for 256-bit random keys (no dictionary to attack). */
export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random API key (256 bits, base64url). */
export function generateApiKey(): string {
  return `adr_${crypto.randomBytes(32).toString('base64url')}`;
}

/** A store over hashed key entries. */
export function newApiKeyStore(entries: readonly ApiKeyEntry[]): ApiKeyStore {
  const hashed = entries.map((entry) => ({ entry, digest: Buffer.from(entry.sha256, 'hex') }));
  return {
    authenticate(presentedKey: string): Principal | undefined {
      const digest = crypto.createHash('sha256').update(presentedKey, 'utf8').digest();
      let match: ApiKeyEntry | undefined;
      for (const candidate of hashed) {
        if (crypto.timingSafeEqual(candidate.digest, digest) && match === undefined) match = candidate.entry;
      }
      if (match === undefined) return undefined;
      const principal = { clientId: match.clientId, mspId: match.mspId, role: match.role };
      return match.enrollmentId === undefined ? principal : { ...principal, enrollmentId: match.enrollmentId };
    },
  };
}

/**
 * Reads the API keys file.
 * @throws {Error} when it is missing or invalid.
 */
export function loadApiKeyEntries(file: string): ApiKeyEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new Error(
      `API keys file ${file} cannot be read; create it with: npm run demo-credentials --workspace gateway`,
    );
  }
  const parsed = apiKeysFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`API keys file ${file} is invalid: ${parsed.error.issues.length} issue(s)`);
  return parsed.data.keys;
}

/**
 * A store over the API keys file that reads it again when it changes (size or modification time), so that a key
 * the organization's admin CLI adds (`add-user`) works without restarting the gateway.
 * @throws {Error} when the file is missing or invalid at start; a later invalid version keeps the previous keys.
 */
export function newReloadingApiKeyStore(
  file: string,
  check: (entries: readonly ApiKeyEntry[]) => void = () => undefined,
): ApiKeyStore {
  const stamp = (): string => {
    const stat = fs.statSync(file);
    return `${String(stat.size)}:${String(stat.mtimeMs)}`;
  };
  let loadedStamp = stamp();
  let entries = loadApiKeyEntries(file);
  check(entries);
  let store = newApiKeyStore(entries);
  return {
    authenticate(presentedKey: string): Principal | undefined {
      try {
        const now = stamp();
        if (now !== loadedStamp) {
          const next = loadApiKeyEntries(file);
          check(next);
          entries = next;
          store = newApiKeyStore(entries);
          loadedStamp = now;
        }
      } catch {
        // A file being rewritten or invalid: keep serving the keys loaded last.
      }
      return store.authenticate(presentedKey);
    },
  };
}
