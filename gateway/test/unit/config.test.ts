import * as path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig, REPO_ROOT } from '../../src/config';

describe('config', () => {
  it('has defaults', () => {
    const config = loadConfig({});
    expect(config.port).to.equal(3000);
    expect(config.host).to.equal('127.0.0.1');
    expect(config.networkProfilePath).to.equal(path.join(REPO_ROOT, 'network/run/network-profile.json'));
    expect(config.gatewayProfilePath, 'no organization is a default').to.equal(undefined);
    expect(config.apiKeysFile).to.equal(undefined);
    expect(config.stateDir).to.equal(undefined);
    expect(config.organization).to.equal(undefined);
    expect(config.timeouts).to.deep.equal({
      evaluateMs: 5000,
      endorseMs: 15000,
      submitMs: 5000,
      commitStatusMs: 60000,
    });
    expect(config.mvccRetries).to.equal(6);
    expect(config.bodyLimitBytes).to.equal(1_048_576);
    expect(config.idempotencyTtlMs).to.equal(24 * 3_600_000);
    expect(config.reconnectBackoff).to.deep.equal({ initialMs: 250, maxMs: 2000 });
    expect(config.commitProbeMs).to.equal(5_000);
  });

  it('takes a commit-status probe time, and refuses one that is not a positive integer', () => {
    expect(loadConfig({ ADRECON_COMMIT_PROBE_MS: '800' }).commitProbeMs).to.equal(800);
    expect(() => loadConfig({ ADRECON_COMMIT_PROBE_MS: '0' })).to.throw(ConfigError, 'ADRECON_COMMIT_PROBE_MS');
  });

  it('takes a reconnect backoff bound, and refuses a maximum below the first pause', () => {
    const config = loadConfig({
      ADRECON_GRPC_INITIAL_RECONNECT_BACKOFF_MS: '100',
      ADRECON_GRPC_MAX_RECONNECT_BACKOFF_MS: '5000',
    });
    expect(config.reconnectBackoff).to.deep.equal({ initialMs: 100, maxMs: 5000 });
    expect(() =>
      loadConfig({ ADRECON_GRPC_INITIAL_RECONNECT_BACKOFF_MS: '3000', ADRECON_GRPC_MAX_RECONNECT_BACKOFF_MS: '1000' }),
    ).to.throw(ConfigError, 'ADRECON_GRPC_MAX_RECONNECT_BACKOFF_MS');
  });

  it('the repository root holds the workspaces', () => {
    expect(path.basename(path.join(REPO_ROOT, 'gateway'))).to.equal('gateway');
    expect(require.resolve(path.join(REPO_ROOT, 'gateway/package.json'))).to.be.a('string');
  });

  it('takes overrides and resolves relative paths', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      ADRECON_NETWORK_PROFILE: 'profile.json',
      ADRECON_ENDORSE_TIMEOUT_MS: '2000',
      ADRECON_MVCC_RETRIES: '0',
      LOG_LEVEL: 'debug',
    });
    expect(config.port).to.equal(8080);
    expect(config.host).to.equal('0.0.0.0');
    expect(config.networkProfilePath).to.equal(path.resolve('profile.json'));
    expect(config.timeouts.endorseMs).to.equal(2000);
    expect(config.mvccRetries).to.equal(0);
    expect(config.logLevel).to.equal('debug');
  });

  it('keeps the API keys and the state beside the organization’s gateway profile unless told otherwise', () => {
    const beside = loadConfig({ ADRECON_GATEWAY_PROFILE: 'run/gateway/agency/profile.json' });
    expect(beside.gatewayProfilePath).to.equal(path.resolve('run/gateway/agency/profile.json'));
    expect(beside.apiKeysFile).to.equal(path.resolve('run/gateway/agency/api-keys.json'));
    expect(beside.stateDir).to.equal(path.resolve('run/gateway/agency/state'));
    const elsewhere = loadConfig({
      ADRECON_GATEWAY_PROFILE: 'run/gateway/agency/profile.json',
      ADRECON_API_KEYS_FILE: '/secrets/keys.json',
      ADRECON_STATE_DIR: '/var/lib/adrecon',
      ADRECON_ORGANIZATION: 'AgencyMSP',
    });
    expect(elsewhere.apiKeysFile).to.equal('/secrets/keys.json');
    expect(elsewhere.stateDir).to.equal('/var/lib/adrecon');
    expect(elsewhere.organization).to.equal('AgencyMSP');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).port).to.equal(3000);
  });

  for (const [name, value] of [
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['ADRECON_EVALUATE_TIMEOUT_MS', '-1'],
    ['ADRECON_MVCC_RETRIES', '99'],
    ['LOG_LEVEL', 'loud'],
    ['ADRECON_GRPC_MAX_RECONNECT_BACKOFF_MS', '0'],
    ['ADRECON_ORGANIZATION', 'Agency MSP'],
  ] as const) {
    it(`fails fast on ${name}=${value} naming the variable`, () => {
      expect(() => loadConfig({ [name]: value })).to.throw(ConfigError, name);
    });
  }
});
