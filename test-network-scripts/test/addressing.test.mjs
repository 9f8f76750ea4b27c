/* global describe, it, beforeEach, afterEach */
// Unit tests of the addressing plan: the namespaces' names, links and addresses derived from the base port, and the
// topology's nodes placed on them (or on 127.0.0.1 without namespaces). The real namespaces are created and cut off
// in integration/test/cutoff.test.ts.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { namespacePlan, namespacesWanted } from '../lib/addressing.mjs';
import { definitionFile, loadTopology } from '../lib/topology.mjs';

describe('addressing plan', () => {
  /** @type {string | undefined} */
  let savedNetns;
  /** @type {string} */
  let dir;
  beforeEach(() => {
    savedNetns = process.env.ADRECON_NETNS;
    delete process.env.ADRECON_NETNS;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-addressing-'));
  });
  afterEach(() => {
    if (savedNetns === undefined) delete process.env.ADRECON_NETNS;
    else process.env.ADRECON_NETNS = savedNetns;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of network.json with `namespaces` set (or not), and its topology in a fresh run folder. */
  const topologyWith = (/** @type {boolean | undefined} */ namespaces, basePort = 7000) => {
    const def = JSON.parse(fs.readFileSync(definitionFile, 'utf8'));
    const file = path.join(dir, 'network.json');
    fs.writeFileSync(file, JSON.stringify(namespaces === undefined ? def : { ...def, namespaces }));
    return loadTopology({ definition: file, runDir: path.join(dir, 'run'), basePort });
  };

  it('derives a /24, the bridge, and one namespace and link per organization plus the orderers’ from the base port', () => {
    const plan = namespacePlan(7000, ['advertiser', 'publisher']);
    expect(plan.subnet).to.equal('10.27.88.0/24');
    expect(plan.bridge).to.equal('adr7000-br');
    expect(plan.bridgeAddress).to.equal('10.27.88.1');
    expect(plan.spaces).to.deep.equal([
      { key: 'orderer', name: 'adrecon-7000-orderer', link: 'adr7000-o', address: '10.27.88.2' },
      { key: 'advertiser', name: 'adrecon-7000-advertiser', link: 'adr7000-0', address: '10.27.88.10' },
      { key: 'publisher', name: 'adrecon-7000-publisher', link: 'adr7000-1', address: '10.27.88.11' },
    ]);
  });

  it('gives networks of different base ports different names and subnets, with interface names Linux accepts', () => {
    const a = namespacePlan(22_000, ['agency']);
    const b = namespacePlan(34_250, ['agency']);
    expect(a.subnet).to.not.equal(b.subnet);
    expect(a.spaces.map((s) => s.name)).to.not.include.members(b.spaces.map((s) => s.name));
    const longest = namespacePlan(
      64_650,
      Array.from({ length: 200 }, (_, k) => `org${String(k)}`),
    );
    for (const name of [longest.bridge, ...longest.spaces.map((s) => s.link)]) expect(name.length).to.be.at.most(15);
    expect(() =>
      namespacePlan(
        7000,
        Array.from({ length: 201 }, (_, k) => `o${String(k)}`),
      ),
    ).to.throw(/200/);
  });

  it('is asked for by network.json or ADRECON_NETNS=1, and refuses other values', () => {
    expect(namespacesWanted({})).to.equal(false);
    expect(namespacesWanted({ namespaces: true })).to.equal(true);
    expect(() => namespacesWanted({ namespaces: 'yes' })).to.throw(/namespaces must be true or false/);
    process.env.ADRECON_NETNS = '1';
    expect(namespacesWanted({})).to.equal(true);
    process.env.ADRECON_NETNS = 'on';
    expect(() => namespacesWanted({})).to.throw(/ADRECON_NETNS must be 0 or 1/);
  });

  it('leaves every node on 127.0.0.1 outside any namespace by default', () => {
    const t = topologyWith(undefined);
    expect(t.namespaces).to.equal(undefined);
    const nodes = [...t.orderers, ...t.peers, ...t.organizations.flatMap((o) => [o.ca, ...o.chaincodeServers])];
    for (const node of nodes) {
      expect(node.address, node.name).to.equal('127.0.0.1');
      expect(node.netns, node.name).to.equal(undefined);
    }
    for (const server of t.organizations.flatMap((o) => o.chaincodeServers))
      expect(server.listenAddress).to.equal('127.0.0.1');
  });

  it('places each organization’s CA, peers and chaincode servers in its namespace, the orderers in theirs', () => {
    const t = topologyWith(true, 22_000);
    expect(t.namespaces?.subnet).to.equal('10.85.240.0/24');
    for (const o of t.orderers) expect([o.address, o.netns]).to.deep.equal(['10.85.240.2', 'adrecon-22000-orderer']);
    expect([t.ordererOrg.ca.address, t.ordererOrg.ca.netns]).to.deep.equal(['10.85.240.2', 'adrecon-22000-orderer']);
    for (const org of t.organizations) {
      const where = [`10.85.240.${String(10 + org.index)}`, `adrecon-22000-${org.name.toLowerCase()}`];
      for (const node of [org.ca, ...org.peers, ...org.chaincodeServers]) {
        expect([node.address, node.netns], `${org.name} ${node.name}`).to.deep.equal(where);
      }
      // Peers dial their chaincode server at 127.0.0.1 inside the namespace, the scripts at its address.
      for (const server of org.chaincodeServers) expect(server.listenAddress).to.equal('0.0.0.0');
    }
  });
});
