import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { GatewayProfile } from './gateway-profile';

/** Thrown at start-up when the gateway was given an identity that is not its organization's own. */
export class IdentityOwnershipError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IdentityOwnershipError';
  }
}

function readCertificate(file: string, what: string): crypto.X509Certificate {
  try {
    return new crypto.X509Certificate(fs.readFileSync(file));
  } catch (err) {
    throw new IdentityOwnershipError(`${what} ${file} is not a readable X.509 certificate`, { cause: err });
  }
}

/**
 * Checks, before anything connects, that the gateway holds its own organization's identity and nothing else:
 * the organization is the one the operator named (`expectedMspId`, when given); the client certificate was issued
 * and signed by the organization's CA; the private key is the certificate's.
 * @throws {IdentityOwnershipError} naming what does not match.
 */
export function verifyOrganizationIdentity(profile: Readonly<GatewayProfile>, expectedMspId?: string): void {
  const { mspId, identity } = profile.organization;
  if (expectedMspId !== undefined && expectedMspId !== mspId) {
    throw new IdentityOwnershipError(
      `this gateway serves ${expectedMspId} (ADRECON_ORGANIZATION) but its gateway profile is ${mspId}'s; ` +
        `give it ${expectedMspId}'s own profile`,
    );
  }
  const certificate = readCertificate(identity.certPath, 'client certificate');
  const ca = readCertificate(identity.caCertPath, `${mspId}'s CA certificate`);
  if (!certificate.checkIssued(ca) || !certificate.verify(ca.publicKey)) {
    throw new IdentityOwnershipError(
      `the client certificate ${identity.certPath} (${certificate.subject.replace(/\n/g, ', ')}) was not issued by ` +
        `${mspId}'s CA (${ca.subject.replace(/\n/g, ', ')}): a gateway acts only with its own organization's identity`,
    );
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(fs.readFileSync(identity.keyPath));
  } catch (err) {
    throw new IdentityOwnershipError(`private key ${identity.keyPath} cannot be read`, { cause: err });
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new IdentityOwnershipError(
      `private key ${identity.keyPath} is not the key of ${mspId}'s client certificate ${identity.certPath}`,
    );
  }
}
