import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { loadGatewayProfile, singleOrganizationProfile } from '../../../src/ledger/gateway-profile';

const valid = {
  channel: 'adrecon',
  chaincode: 'adrecon',
  organization: {
    mspId: 'AgencyMSP',
    role: 'AGENCY',
    peers: [{ endpoint: '127.0.0.1:7121', hostAlias: 'peer0.agency.adrecon.local', tlsRootCertPath: 'tls/ca.crt' }],
    identity: { certPath: 'identity/cert.pem', keyPath: '/abs/key.pem', caCertPath: 'identity/ca.crt' },
  },
  otherOrganizations: ['AdvertiserMSP', 'PublisherMSP', 'Publisher2MSP'],
};

describe('an organization’s gateway profile', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-gateway-profile-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (content: unknown): string => {
    const file = path.join(dir, 'agency', 'profile.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('resolves relative paths against its own folder, so the folder can move to another host', () => {
    const profile = loadGatewayProfile(write(valid));
    const folder = path.join(dir, 'agency');
    expect(profile.organization.peers[0]?.tlsRootCertPath).to.equal(path.join(folder, 'tls/ca.crt'));
    expect(profile.organization.identity).to.deep.equal({
      certPath: path.join(folder, 'identity/cert.pem'),
      keyPath: '/abs/key.pem',
      caCertPath: path.join(folder, 'identity/ca.crt'),
    });
    expect(profile.otherOrganizations).to.deep.equal(valid.otherOrganizations);
  });

  it('gives the ledger client exactly one organization with an identity', () => {
    const single = singleOrganizationProfile(loadGatewayProfile(write(valid)));
    expect(single.organizations.map((o) => o.mspId)).to.deep.equal(['AgencyMSP']);
    expect(single.organizations[0]?.identity.keyPath).to.equal('/abs/key.pem');
  });

  it('has no place for a second identity: a list of organizations with keys is refused', () => {
    const allInOne = { ...valid, organizations: [valid.organization] };
    expect(() => loadGatewayProfile(write(allInOne))).to.throw(/is invalid:[\s\S]*organizations/);
  });

  it('refuses a profile whose other organizations include itself', () => {
    const self = { ...valid, otherOrganizations: ['AgencyMSP'] };
    expect(() => loadGatewayProfile(write(self))).to.throw(/names its own organization AgencyMSP/);
  });

  it('names a missing or malformed file', () => {
    expect(() => loadGatewayProfile(path.join(dir, 'missing.json'))).to.throw(/cannot be read; start the network/);
    expect(() => loadGatewayProfile(write('{'))).to.throw(/not valid JSON/);
    const noCa = { ...valid, organization: { ...valid.organization, identity: { certPath: 'c', keyPath: 'k' } } };
    expect(() => loadGatewayProfile(write(noCa))).to.throw(/organization\.identity\.caCertPath/);
  });
});
