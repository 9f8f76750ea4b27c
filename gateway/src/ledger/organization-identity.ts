import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { signers, type Identity, type Signer } from '@hyperledger/fabric-gateway';
import type { OrganizationProfile } from './network-profile';

/** An organization's client identity and the signer of its private key. */
export interface OrganizationIdentity {
  readonly identity: Identity;
  readonly signer: Signer;
}

/**
 * Loads the client identity that the network profile gives an organization.
 * @throws {Error} when the certificate or key file cannot be read or the key cannot be parsed.
 */
export function loadOrganizationIdentity(org: Readonly<OrganizationProfile>): OrganizationIdentity {
  return {
    identity: { mspId: org.mspId, credentials: fs.readFileSync(org.identity.certPath) },
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(org.identity.keyPath))),
  };
}
