import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateApiKey, hashApiKey, loadApiKeyEntries, newApiKeyStore } from '../../../src/auth/api-keys';

describe('API keys', () => {
  it('generates 256-bit keys and stores only their hash', () => {
    const key = generateApiKey();
    expect(Buffer.from(key.slice(4), 'base64url')).to.have.length(32);
    const store = newApiKeyStore([{ clientId: 'a', mspId: 'AdvertiserMSP', role: 'finance', sha256: hashApiKey(key) }]);
    expect(store.authenticate(key)).to.deep.equal({ clientId: 'a', mspId: 'AdvertiserMSP', role: 'finance' });
    expect(store.authenticate(`${key}x`)).to.be.undefined;
    expect(store.authenticate('')).to.be.undefined;
  });

  it('loads and validates the keys file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-keys-'));
    try {
      const file = path.join(dir, 'api-keys.json');
      fs.writeFileSync(
        file,
        JSON.stringify({ keys: [{ clientId: 'a', mspId: 'M', role: 'admin', sha256: hashApiKey('k') }] }),
      );
      expect(loadApiKeyEntries(file)).to.have.length(1);
      fs.writeFileSync(file, JSON.stringify({ keys: [{ clientId: 'a', mspId: 'M', role: 'root', sha256: 'x' }] }));
      expect(() => loadApiKeyEntries(file)).to.throw(/invalid/);
      expect(() => loadApiKeyEntries(path.join(dir, 'missing.json'))).to.throw(/demo-credentials/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
