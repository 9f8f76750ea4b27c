import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { loadApiKeyEntries, newApiKeyStore } from '../../../src/auth/api-keys';
import { createDemoCredentials } from '../../../src/auth/demo-credentials';

const organization = { mspId: 'Publisher2MSP' };

describe('demo credentials', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-demo-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates an operations and a finance key of its one organization, hashed in the keys file, plaintext only in 0600', async () => {
    const keysFile = path.join(dir, 'gateway', 'api-keys.json');
    const result = await createDemoCredentials(organization, keysFile);
    expect(result.created).to.be.true;
    expect(result.count).to.equal(2);
    const entries = loadApiKeyEntries(keysFile);
    expect(entries.map((e) => `${e.clientId}/${e.mspId}/${e.role}`)).to.have.members([
      'publisher2-operations/Publisher2MSP/operations',
      'publisher2-finance/Publisher2MSP/finance',
    ]);
    expect(fs.statSync(result.credentialsFile).mode & 0o777).to.equal(0o600);
    const lines = fs
      .readFileSync(result.credentialsFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('publisher2-'));
    const [clientId, mspId, role, key] = lines[0]!.split(' ');
    expect(fs.readFileSync(keysFile, 'utf8')).to.not.contain(key);
    expect(newApiKeyStore(entries).authenticate(key!)).to.deep.equal({ clientId, mspId, role });
  });

  it('does not replace an existing keys file', async () => {
    const keysFile = path.join(dir, 'api-keys.json');
    fs.writeFileSync(keysFile, '{"keys":[]}');
    expect((await createDemoCredentials(organization, keysFile)).created).to.be.false;
    expect(fs.readFileSync(keysFile, 'utf8')).to.equal('{"keys":[]}');
  });
});
