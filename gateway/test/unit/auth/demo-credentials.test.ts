import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { loadApiKeyEntries, newApiKeyStore } from '../../../src/auth/api-keys';
import { createDemoCredentials } from '../../../src/auth/demo-credentials';
import type { NetworkProfile } from '../../../src/ledger/network-profile';

const org = (mspId: string, role: 'ADVERTISER' | 'AGENCY' | 'PUBLISHER') => ({
  mspId,
  role,
  peers: [{ endpoint: '127.0.0.1:7101', hostAlias: 'peer0', tlsRootCertPath: '/ca.crt' }],
  identity: { certPath: '/cert.pem', keyPath: '/priv_sk' },
});
const profile: NetworkProfile = {
  channel: 'adrecon',
  chaincode: 'adrecon',
  organizations: [org('AdvertiserMSP', 'ADVERTISER'), org('AgencyMSP', 'AGENCY'), org('PublisherMSP', 'PUBLISHER')],
};

describe('demo credentials', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-demo-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates an operations and a finance key per organization, hashed in the keys file, plaintext only in 0600', () => {
    const keysFile = path.join(dir, 'gateway', 'api-keys.json');
    const result = createDemoCredentials(profile, keysFile);
    expect(result.created).to.be.true;
    expect(result.count).to.equal(6);
    const entries = loadApiKeyEntries(keysFile);
    expect(entries.map((e) => `${e.mspId}/${e.role}`)).to.have.members([
      'AdvertiserMSP/operations',
      'AdvertiserMSP/finance',
      'AgencyMSP/operations',
      'AgencyMSP/finance',
      'PublisherMSP/operations',
      'PublisherMSP/finance',
    ]);
    expect(fs.statSync(result.credentialsFile).mode & 0o777).to.equal(0o600);
    const lines = fs
      .readFileSync(result.credentialsFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('agency-'));
    const [clientId, mspId, role, key] = lines[0]!.split(' ');
    expect(fs.readFileSync(keysFile, 'utf8')).to.not.contain(key);
    expect(newApiKeyStore(entries).authenticate(key!)).to.deep.equal({ clientId, mspId, role });
  });

  it('does not replace an existing keys file', () => {
    const keysFile = path.join(dir, 'api-keys.json');
    fs.writeFileSync(keysFile, '{"keys":[]}');
    expect(createDemoCredentials(profile, keysFile).created).to.be.false;
    expect(fs.readFileSync(keysFile, 'utf8')).to.equal('{"keys":[]}');
  });
});
