// @ts-check
// The private data collections of the chaincode definition (issue 8, docs/trust-model.md): one per party set a
// campaign can have, generated from the organizations of network.json. The naming rule and the party sets come
// from the shared contract package (contract/src/party-collection.ts), which the chaincode uses too.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './topology.mjs';

/** @typedef {{ mspId: string, role: string }} CollectionOrganization */

const require = createRequire(import.meta.url);

/** The compiled contract package (built with the chaincode before any deployment). */
function contractPackage() {
  return /** @type {{ partySets(o: CollectionOrganization[]): string[][], partyCollectionName(m: string[]): string }} */ (
    require(path.join(repoRoot, 'contract', 'dist', 'src', 'party-collection.js'))
  );
}

/**
 * The collection definitions for these organizations: members read and write only their own sets
 * (`memberOnlyRead`, `memberOnlyWrite`), a write needs a peer of every member (`endorsementPolicy`, which Fabric
 * applies instead of the chaincode-level policy, new keys included), nothing is purged (`blockToLive` 0), and no
 * dissemination at endorsement (`requiredPeerCount` 0, `maxPeerCount` 0): the endorsement policy needs a peer of
 * every member, and each endorsing peer keeps its own simulation's private data for its commit, so pushing it to
 * the other members' peers (which endorsed too) only repeated work on every write (docs/benchmarks.md). A member's
 * peer that did not endorse (a second peer of an organization) fetches the data from the others at commit.
 * @param {readonly CollectionOrganization[]} organizations
 */
export function collectionsConfig(organizations) {
  const { partySets, partyCollectionName } = contractPackage();
  return partySets([...organizations]).map((members) => ({
    name: partyCollectionName(members),
    policy: `OR(${members.map((m) => `'${m}.member'`).join(',')})`,
    requiredPeerCount: 0,
    maxPeerCount: 0,
    blockToLive: 0,
    memberOnlyRead: true,
    memberOnlyWrite: true,
    endorsementPolicy: { signaturePolicy: `AND(${members.map((m) => `'${m}.peer'`).join(',')})` },
  }));
}

/**
 * Writes the collections configuration file the lifecycle commands take (`--collections-config`).
 * @param {readonly CollectionOrganization[]} organizations @param {string} dir @returns {string} its path
 */
export function writeCollectionsConfig(organizations, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'collections.json');
  fs.writeFileSync(file, JSON.stringify(collectionsConfig(organizations), null, 2) + '\n');
  return file;
}
