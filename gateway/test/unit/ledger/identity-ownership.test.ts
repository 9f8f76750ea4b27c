import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { loadGatewayProfile, type GatewayProfile } from '../../../src/ledger/gateway-profile';
import { IdentityOwnershipError, verifyOrganizationIdentity } from '../../../src/ledger/identity-ownership';
import { makeIdentity, writeBundle, type TestIdentity } from '../support/organization-bundle';

describe('a gateway holds its own organization’s identity only', () => {
  let dir: string;
  let own: TestIdentity;
  let other: TestIdentity;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-identity-'));
    own = makeIdentity(dir, 'publisher2');
    other = makeIdentity(dir, 'publisher');
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const bundle = (name: string, identity: TestIdentity): GatewayProfile =>
    loadGatewayProfile(writeBundle(path.join(dir, name), 'Publisher2MSP', identity, ['PublisherMSP']));

  it('accepts a client identity issued by the organization’s CA, with its own key', () => {
    expect(() => {
      verifyOrganizationIdentity(bundle('own', own), 'Publisher2MSP');
    }).to.not.throw();
  });

  it('refuses another organization’s certificate and key', () => {
    const profile = bundle('foreign-identity', { ...other, caCertPath: own.caCertPath });
    expect(() => {
      verifyOrganizationIdentity(profile);
    })
      .to.throw(IdentityOwnershipError, /was not issued by Publisher2MSP's CA/)
      .with.property('message')
      .that.contains('CN=User1@publisher');
  });

  it('refuses its own certificate with another organization’s private key', () => {
    const profile = bundle('foreign-key', { ...own, keyPath: other.keyPath });
    expect(() => {
      verifyOrganizationIdentity(profile);
    }).to.throw(IdentityOwnershipError, /is not the key of Publisher2MSP's client certificate/);
  });

  it('refuses a profile of another organization than the one it is told to serve', () => {
    expect(() => {
      verifyOrganizationIdentity(bundle('named', own), 'PublisherMSP');
    }).to.throw(
      IdentityOwnershipError,
      /serves PublisherMSP \(ADRECON_ORGANIZATION\) but its gateway profile is Publisher2MSP's/,
    );
  });

  it('names an unreadable certificate', () => {
    const profile = bundle('broken', own);
    fs.writeFileSync(profile.organization.identity.certPath, 'not a certificate');
    expect(() => {
      verifyOrganizationIdentity(profile);
    }).to.throw(IdentityOwnershipError, /client certificate .* is not a readable X\.509 certificate/);
  });
});
