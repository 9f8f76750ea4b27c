import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { loadNetworkProfile } from '../../../src/ledger/network-profile';

const valid = {
  channel: 'adrecon',
  chaincode: 'adrecon',
  organizations: [
    {
      mspId: 'AdvertiserMSP',
      role: 'ADVERTISER',
      peers: [
        { endpoint: '127.0.0.1:7101', hostAlias: 'peer0.advertiser.adrecon.local', tlsRootCertPath: '/abs/ca.crt' },
      ],
      identity: { certPath: '/abs/cert.pem', keyPath: '/abs/priv_sk' },
    },
  ],
};

describe('network profile', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-profile-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (content: unknown): string => {
    const file = path.join(dir, 'profile.json');
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('loads a valid profile', () => {
    expect(loadNetworkProfile(write(valid))).to.deep.equal(valid);
  });

  it('explains a missing file', () => {
    expect(() => loadNetworkProfile(path.join(dir, 'missing.json'))).to.throw(/cannot be read/);
  });

  it('rejects bad JSON, an organization without peers, an unknown role', () => {
    expect(() => loadNetworkProfile(write('{'))).to.throw(/not valid JSON/);
    const noPeers = { ...valid, organizations: [{ ...valid.organizations[0], peers: [] }] };
    expect(() => loadNetworkProfile(write(noPeers))).to.throw(/organizations\.0\.peers/);
    const badRole = { ...valid, organizations: [{ ...valid.organizations[0], role: 'BANK' }] };
    expect(() => loadNetworkProfile(write(badRole))).to.throw(/role/);
  });
});
