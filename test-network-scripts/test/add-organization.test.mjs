/* global describe, it, beforeEach, afterEach */
// Unit tests of the pure parts of adding an organization to a running network: where it is recorded and how the
// topology merges it, the configuration update's inputs, the chaincode definition's collections and policy for N
// organizations. The real network run is integration/test/add-organization.test.ts.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configUpdateSigners, organizationEntry } from '../lib/add-organization.mjs';
import { collectionsConfig } from '../lib/collections.mjs';
import { addApplicationOrganization, applicationOrganizations, majorityOf } from '../lib/config-update.mjs';
import { chaincodeEndorsementPolicy } from '../lib/deploy.mjs';
import { addedOrganizationsFile, allPorts, loadTopology } from '../lib/topology.mjs';

/** A decoded channel configuration with these application organizations (the parts our code reads). */
function configWith(/** @type {string[]} */ mspIds) {
  return {
    channel_group: {
      groups: {
        Application: {
          groups: Object.fromEntries(
            mspIds.map((id) => [id, { values: { MSP: { value: { config: { name: id } } } } }]),
          ),
        },
      },
    },
  };
}

describe('adding an organization: pure parts', () => {
  /** @type {string} */
  let runDir;
  beforeEach(() => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-add-org-unit-'));
  });
  afterEach(() => {
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('a majority is more than half: 3 of 4 existing admins sign, 3 of 5, 4 of 6', () => {
    expect([1, 2, 3, 4, 5, 6].map(majorityOf)).to.deep.equal([1, 2, 2, 3, 3, 4]);
    expect(configUpdateSigners(['A', 'B', 'C', 'D'])).to.deep.equal(['A', 'B', 'C']);
    expect(() => majorityOf(0)).to.throw(/undefined/);
  });

  it('names the new organization`s MSP after it and refuses a bad name or role', () => {
    expect(organizationEntry('Publisher3', 'PUBLISHER')).to.deep.equal({
      name: 'Publisher3',
      mspId: 'Publisher3MSP',
      role: 'PUBLISHER',
      peers: 1,
    });
    expect(() => organizationEntry('3rd', 'PUBLISHER')).to.throw(/must match/);
    expect(() => organizationEntry('Publisher3', 'AUDITOR')).to.throw(/must be one of/);
  });

  it('merges the run folder`s added organizations after network.json`s, with the next ports and no clash', () => {
    const before = loadTopology({ runDir, basePort: 20000 });
    fs.writeFileSync(addedOrganizationsFile(runDir), JSON.stringify([organizationEntry('Publisher3', 'PUBLISHER')]));
    const after = loadTopology({ runDir, basePort: 20000 });
    expect(after.organizations.map((o) => o.mspId)).to.deep.equal([
      ...before.organizations.map((o) => o.mspId),
      'Publisher3MSP',
    ]);
    const added = after.organizations.at(-1);
    expect(added?.index).to.equal(before.organizations.length);
    expect(added?.peers[0]?.port).to.equal(20000 + 100 + 10 * before.peers.length + 1);
    // Every organization that was there keeps its ports.
    const portsBefore = allPorts(before).map((p) => `${p.owner}:${p.port}`);
    const portsAfter = allPorts(after).map((p) => `${p.owner}:${p.port}`);
    expect(portsAfter).to.include.members(portsBefore);
    const numbers = allPorts(after).map((p) => p.port);
    expect(new Set(numbers).size, 'no port is used twice').to.equal(numbers.length);
  });

  it('refuses an added organization whose MSP ID network.json already has', () => {
    fs.writeFileSync(addedOrganizationsFile(runDir), JSON.stringify([organizationEntry('Publisher2', 'PUBLISHER')]));
    expect(() => loadTopology({ runDir, basePort: 20000 })).to.throw(/used twice/);
  });

  it('adds the organization`s group with its anchor peer to the Application group, once', () => {
    const config = configWith(['AdvertiserMSP', 'AgencyMSP']);
    const group = { values: { MSP: { value: { config: { name: 'Publisher3MSP' } } } }, policies: {} };
    addApplicationOrganization(config, 'Publisher3MSP', group, [{ host: '127.0.0.1', port: 20141 }]);
    expect(applicationOrganizations(config)).to.deep.equal(['AdvertiserMSP', 'AgencyMSP', 'Publisher3MSP']);
    const added = /** @type {any} */ (config.channel_group.groups.Application.groups).Publisher3MSP;
    expect(added.values.AnchorPeers.value.anchor_peers).to.deep.equal([{ host: '127.0.0.1', port: 20141 }]);
    expect(added.values.MSP).to.deep.equal(group.values.MSP);
    expect(group.values).to.not.have.property('AnchorPeers');
    expect(() => addApplicationOrganization(config, 'Publisher3MSP', group, [])).to.throw(/already in the channel/);
  });

  it('defines every collection of the four organizations again, unchanged, and the new party sets of a third publisher', () => {
    const four = loadTopology({ runDir, basePort: 20000 });
    fs.writeFileSync(addedOrganizationsFile(runDir), JSON.stringify([organizationEntry('Publisher3', 'PUBLISHER')]));
    const five = loadTopology({ runDir, basePort: 20000 });
    const before = collectionsConfig(four.organizations);
    const after = collectionsConfig(five.organizations);
    // 1 advertiser × 1 agency × the non-empty sets of 2, then 3, publishers.
    expect(before).to.have.length(3);
    expect(after).to.have.length(7);
    // Fabric refuses a definition that drops or changes an existing collection.
    for (const c of before) expect(after).to.deep.include(c);
    const added = after.filter((c) => !before.some((b) => b.name === c.name)).map((c) => c.name);
    expect(added).to.have.length(4);
    for (const name of added) expect(name).to.include('Publisher3MSP');
    expect(chaincodeEndorsementPolicy(four)).to.equal(
      `OutOf(3,${four.organizations.map((o) => `'${o.mspId}.peer'`).join(',')})`,
    );
    expect(chaincodeEndorsementPolicy(five)).to.equal(
      `OutOf(3,${five.organizations.map((o) => `'${o.mspId}.peer'`).join(',')})`,
    );
  });
});
