import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { signers } from '@hyperledger/fabric-gateway';
import type { OrganizationIdentity } from '../ledger/organization-identity';

const ENROLLMENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The enrolled users' identities one gateway holds: each user's own certificate and private key. */
export interface UserIdentityStore {
  /** The identity of an enrolled user of the gateway's organization, or undefined when none is stored. */
  identityOf(enrollmentId: string): OrganizationIdentity | undefined;
}

/** The folder of one user's identity (`cert.pem`, `key.pem`). */
export function userIdentityDir(usersDir: string, enrollmentId: string): string {
  if (!ENROLLMENT_ID.test(enrollmentId)) throw new Error(`invalid enrollment ID ${JSON.stringify(enrollmentId)}`);
  return path.join(usersDir, enrollmentId);
}

/**
 * Stores a user's certificate and private key (mode 0600) under `usersDir`.
 * @throws {Error} when a file cannot be written.
 */
export function saveUserIdentity(usersDir: string, enrollmentId: string, certPem: string, keyPem: string): void {
  const dir = userIdentityDir(usersDir, enrollmentId);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'cert.pem'), certPem, { mode: 0o644 });
  fs.writeFileSync(path.join(dir, 'key.pem'), keyPem, { mode: 0o600 });
  fs.chmodSync(path.join(dir, 'key.pem'), 0o600);
}

/** A store over `usersDir`; identities are read on first use and kept. */
export function newUserIdentityStore(usersDir: string, mspId: string): UserIdentityStore {
  const cache = new Map<string, OrganizationIdentity>();
  return {
    identityOf(enrollmentId: string): OrganizationIdentity | undefined {
      const cached = cache.get(enrollmentId);
      if (cached !== undefined) return cached;
      const dir = userIdentityDir(usersDir, enrollmentId);
      if (!fs.existsSync(path.join(dir, 'cert.pem'))) return undefined;
      const identity: OrganizationIdentity = {
        identity: { mspId, credentials: fs.readFileSync(path.join(dir, 'cert.pem')) },
        signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'key.pem')))),
      };
      cache.set(enrollmentId, identity);
      return identity;
    },
  };
}

/** Where a gateway keeps its users' identities: beside its API keys file, in `users/`. */
export function usersDirOf(apiKeysFile: string): string {
  return path.join(path.dirname(apiKeysFile), 'users');
}
