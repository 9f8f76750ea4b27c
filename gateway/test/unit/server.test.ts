import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { createDemoCredentials } from '../../src/auth/demo-credentials';
import { ConfigError, loadConfig } from '../../src/config';
import { IdentityOwnershipError } from '../../src/ledger/identity-ownership';
import { startGatewayServer } from '../../src/server';
import { makeIdentity, writeBundle, type TestIdentity } from './support/organization-bundle';

describe('starting a gateway for one organization', () => {
  const logger = pino({ level: 'silent' });
  let dir: string;
  let own: TestIdentity;
  let other: TestIdentity;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-server-'));
    own = makeIdentity(dir, 'agency');
    other = makeIdentity(dir, 'advertiser');
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const configFor = (profile: string) =>
    loadConfig({
      ADRECON_GATEWAY_PROFILE: profile,
      PORT: '0',
      ADRECON_ORGANIZATION: 'AgencyMSP',
      ADRECON_REPORTING: 'off',
    });

  it('listens with its own identity and its own organization’s keys, and says which organization it serves', async () => {
    const profile = writeBundle(path.join(dir, 'ok'), 'AgencyMSP', own, ['AdvertiserMSP']);
    await createDemoCredentials({ mspId: 'AgencyMSP' }, path.join(dir, 'ok', 'api-keys.json'));
    const gateway = await startGatewayServer(configFor(profile), logger);
    try {
      expect(gateway.port()).to.be.above(0);
      expect(gateway.ledger.organizations()).to.deep.equal(['AgencyMSP']);
      expect(fs.existsSync(path.join(dir, 'ok', 'state')), 'state beside the profile').to.be.true;
    } finally {
      await gateway.stop();
    }
  });

  it('refuses to start with another organization’s API key in its keys file', async () => {
    const profile = writeBundle(path.join(dir, 'foreign-keys'), 'AgencyMSP', own, ['AdvertiserMSP']);
    const keys = path.join(dir, 'foreign-keys', 'api-keys.json');
    await createDemoCredentials({ mspId: 'AdvertiserMSP' }, keys);
    const refused = await startGatewayServer(configFor(profile), logger).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).to.be.instanceOf(Error);
    expect((refused as Error).message).to.match(/holds keys of other organizations than AgencyMSP: advertiser-/);
  });

  it('refuses to start with another organization’s identity', async () => {
    const profile = writeBundle(
      path.join(dir, 'foreign-identity'),
      'AgencyMSP',
      { ...other, caCertPath: own.caCertPath },
      [],
    );
    await createDemoCredentials({ mspId: 'AgencyMSP' }, path.join(dir, 'foreign-identity', 'api-keys.json'));
    const refused = await startGatewayServer(configFor(profile), logger).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).to.be.instanceOf(IdentityOwnershipError);
  });

  it('refuses to start without a gateway profile', async () => {
    const refused = await startGatewayServer(loadConfig({ PORT: '0' }), logger).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).to.be.instanceOf(ConfigError);
    expect((refused as Error).message).to.contain('ADRECON_GATEWAY_PROFILE is not set');
  });
});
