/* global describe, it, beforeEach, afterEach */
// The two Fabric settings that the fault suite (integration/test/faults.test.ts) needs to stay dependable, checked
// in the files and environment the scripts generate: see docs/reliability.md, "Why it was out of npm test".
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { configtxYaml } from '../lib/config-files.mjs';
import { peerEnv } from '../lib/node-env.mjs';
import { loadTopology } from '../lib/topology.mjs';

/** Bytes of a Fabric size such as `256 KB` or `2 MB`. @param {string} size */
function bytes(size) {
  const match = /^(\d+) (KB|MB)$/.exec(size);
  if (!match) throw new Error(`not a size: ${size}`);
  return Number(match[1]) * (match[2] === 'KB' ? 1024 : 1024 * 1024);
}

describe('Fabric settings the fault suite depends on', function () {
  // Loading the topology reads network.json and the contract package: slow on a loaded 2-core machine.
  this.timeout(30_000);
  let runDir = '';
  beforeEach(() => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-settings-'));
  });
  afterEach(() => {
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('every peer skips pulling the private data of invalid transactions (a DUPLICATE_TXID copy has none anywhere)', () => {
    const t = loadTopology({ runDir, basePort: 20000 });
    expect(t.peers.length).to.be.greaterThan(0);
    for (const p of t.peers) {
      expect(peerEnv(t, p), p.name).to.include({
        CORE_PEER_GOSSIP_PVTDATA_SKIPPULLINGINVALIDTRANSACTIONSDURINGCOMMIT: 'true',
      });
    }
  });

  it('the channel snapshots its Raft log well within one Raft message (Fabric v2.5.0 start-up deadlock)', () => {
    const t = loadTopology({ runDir, basePort: 20000 });
    const profile = /** @type {{ Profiles: Record<string, { Orderer: any }> }} */ (YAML.parse(configtxYaml(t)));
    const orderer = Object.values(profile.Profiles)[0]?.Orderer;
    const snapshot = bytes(orderer.EtcdRaft.Options.SnapshotIntervalSize);
    // Raft's MaxSizePerMsg is the channel's PreferredMaxBytes: a replay up to one snapshot interval fits in one Ready.
    const perMessage = bytes(orderer.BatchSize.PreferredMaxBytes);
    expect(snapshot).to.be.at.most(perMessage / 4);
  });
});
