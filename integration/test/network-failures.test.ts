import { loadNetworkProfile } from '@adrecon/gateway';
import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runScriptResult } from './support/network-scripts';
import { isolatedBasePort, isolatedEnv } from './support/isolated-network';

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

/** A second network definition on other ports and another run folder, so the main network is untouched. */
describe('network scripts on bad input and failures', function () {
  this.timeout(180_000);
  let runDir = '';
  const basePort = isolatedBasePort('networkFailures');
  const isolated = () => isolatedEnv(runDir, basePort);

  beforeEach(() => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-failure-'));
  });
  afterEach(async () => {
    await runScriptResult('network-down.sh', [], isolated());
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  const pidRecords = () => {
    const dir = path.join(runDir, 'pids');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  it('refuses to start a run folder made with another base port, and starts nothing', async () => {
    const channelDir = path.join(runDir, 'channel');
    fs.mkdirSync(channelDir, { recursive: true });
    fs.writeFileSync(path.join(channelDir, 'adrecon.block'), 'a channel made elsewhere');
    fs.writeFileSync(path.join(channelDir, 'base-port'), `${String(basePort + 500)}\n`);
    const result = await runScriptResult('network-up.sh', [], isolated());
    expect(result.code).to.not.equal(0);
    expect(result.output).to.include(`ADRECON_BASE_PORT=${String(basePort + 500)}, not ${String(basePort)}`);
    expect(pidRecords()).to.deep.equal([]);
  });

  it('refuses to start when a port it needs is taken, naming the port and its node', async () => {
    const peerPort = basePort + 111; // peer0.publisher
    const squatter = await listen(peerPort);
    try {
      const result = await runScriptResult('network-up.sh', [], isolated());
      expect(result.code).to.not.equal(0);
      expect(result.output).to.include(`${String(peerPort)} (wanted by peer0.publisher (peer))`);
      expect(pidRecords(), 'nothing of ours was started').to.deep.equal([]);
    } finally {
      squatter.close();
    }
  });

  it('stops what it started when a node dies during start, and names its log', async () => {
    // An unparsable logging spec makes the orderer exit right after it starts.
    const result = await runScriptResult('network-up.sh', [], {
      ...isolated(),
      ADRECON_FABRIC_LOGGING_SPEC: 'bogus=spec=value',
    });
    expect(result.code).to.not.equal(0);
    expect(result.output).to.match(/orderer0: exited while waiting for operations \/healthz/);
    expect(result.output).to.include(path.join(runDir, 'logs', 'orderer0.log'));
    expect(pidRecords(), 'no half-started process of ours is left').to.deep.equal([]);
  });

  it('resumes a half-finished run: crypto and genesis block kept, processes started', async () => {
    const first = await runScriptResult('network-up.sh', [], isolated());
    expect(first.code, first.output).to.equal(0);
    await runScriptResult('network-down.sh', [], isolated());
    const genesis = path.join(runDir, 'channel', 'adrecon.block');
    const before = fs.statSync(genesis).mtimeMs;
    const second = await runScriptResult('network-up.sh', [], isolated());
    expect(second.code, second.output).to.equal(0);
    expect(second.output).to.include('crypto material checked');
    expect(fs.statSync(genesis).mtimeMs, 'the genesis block is not rewritten').to.equal(before);
    // The orderer, every peer of network.json, every organization's CA (the orderer organization's included) and the
    // supervisor (no chaincode servers: nothing was deployed).
    const written = loadNetworkProfile(path.join(runDir, 'network-profile.json'));
    const cas = written.organizations.length + 1;
    const nodes = 1 + written.organizations.reduce((n, org) => n + org.peers.length, 0) + cas;
    expect(pidRecords()).to.have.length(nodes + 1);
    expect(pidRecords()).to.include('supervisor.json');
  });
});

describe('install-fabric.sh without a usable Go', function () {
  this.timeout(60_000);
  let fakeBin = '';
  beforeEach(() => {
    fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-fakego-'));
  });
  afterEach(() => {
    fs.rmSync(fakeBin, { recursive: true, force: true });
  });

  /** A PATH with only the basic tools the script needs, and whatever fake `go` the test puts first. */
  const pathWithout = () => `${fakeBin}:/usr/bin:/bin`;

  it('says Go is missing', async () => {
    const result = await runScriptResult('install-fabric.sh', [], { PATH: pathWithout() });
    expect(result.code).to.not.equal(0);
    expect(result.output).to.include('Go is not installed');
  });

  it('says Go is too old, and which version the pin needs', async () => {
    fs.writeFileSync(path.join(fakeBin, 'go'), '#!/bin/sh\n[ "$1 $2" = "env GOVERSION" ] && echo go1.10.8\n', {
      mode: 0o755,
    });
    const result = await runScriptResult('install-fabric.sh', [], { PATH: pathWithout() });
    expect(result.code).to.not.equal(0);
    expect(result.output).to.match(/Go 1\.10\.8 is too old: the pinned Fabric needs Go >= 1\.\d+/);
  });
});
