// @ts-check
// A channel configuration update, the one way our scripts change a running channel (revoking a user's certificate,
// adding an organization): fetch the latest configuration block, decode it with configtxlator, let the caller edit
// the JSON, compute the difference, collect the admins' signatures, submit it to the orderer.
import fs from 'node:fs';
import path from 'node:path';
import { fabric } from './fabric-cli.mjs';
import { ordererFlags, peerAdminEnv } from './node-env.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./topology.mjs').Organization} Organization */

/**
 * Fetches the channel's configuration, lets `change` edit the decoded JSON, and submits the difference as a
 * configuration update signed by the admins of `signers` (the first one submits). When `change` returns false
 * (the channel already has what it would add), nothing is submitted and the result is undefined.
 * @param {Topology} t @param {Organization[]} signers @param {(config: any) => void | boolean} change
 * @param {string} label @returns {Promise<string | undefined>} the folder holding the update's files
 */
export async function updateChannelConfig(t, signers, change, label) {
  const [submitter] = signers;
  const peer = submitter?.peers[0];
  if (!submitter || !peer) throw new Error('a configuration update needs a signing organization with a peer');
  const dir = path.join(t.paths.runDir, 'config-updates', `${Date.now()}-${label}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = (/** @type {string} */ name) => path.join(dir, name);
  const channel = t.channel.name;
  await fabric('peer', ['channel', 'fetch', 'config', file('block.pb'), '-c', channel, ...ordererFlags(t)], {
    env: peerAdminEnv(t, peer),
  });
  const decode = (/** @type {string} */ input, /** @type {string} */ type, /** @type {string} */ output) =>
    fabric('configtxlator', ['proto_decode', '--input', input, '--type', type, '--output', output]);
  const encode = (/** @type {string} */ input, /** @type {string} */ type, /** @type {string} */ output) =>
    fabric('configtxlator', ['proto_encode', '--input', input, '--type', type, '--output', output]);
  await decode(file('block.pb'), 'common.Block', file('block.json'));
  const config = JSON.parse(fs.readFileSync(file('block.json'), 'utf8')).data.data[0].payload.data.config;
  fs.writeFileSync(file('original.json'), JSON.stringify(config));
  if (change(config) === false) {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  fs.writeFileSync(file('modified.json'), JSON.stringify(config));
  await encode(file('original.json'), 'common.Config', file('original.pb'));
  await encode(file('modified.json'), 'common.Config', file('modified.pb'));
  await fabric('configtxlator', [
    'compute_update',
    '--channel_id',
    channel,
    '--original',
    file('original.pb'),
    '--updated',
    file('modified.pb'),
    '--output',
    file('update.pb'),
  ]);
  await decode(file('update.pb'), 'common.ConfigUpdate', file('update.json'));
  const envelope = {
    payload: {
      header: { channel_header: { channel_id: channel, type: 2 } },
      data: { config_update: JSON.parse(fs.readFileSync(file('update.json'), 'utf8')) },
    },
  };
  fs.writeFileSync(file('envelope.json'), JSON.stringify(envelope));
  await encode(file('envelope.json'), 'common.Envelope', file('envelope.pb'));
  for (const org of signers.slice(1)) {
    const signerPeer = org.peers[0];
    if (!signerPeer) throw new Error(`${org.mspId} has no peer`);
    await fabric('peer', ['channel', 'signconfigtx', '-f', file('envelope.pb')], { env: peerAdminEnv(t, signerPeer) });
  }
  await fabric('peer', ['channel', 'update', '-f', file('envelope.pb'), '-c', channel, ...ordererFlags(t)], {
    env: peerAdminEnv(t, peer),
  });
  return dir;
}

/**
 * How many of `count` organizations make a majority (the channel's `MAJORITY Admins` policy): more than half.
 * @param {number} count
 */
export function majorityOf(count) {
  if (!Number.isInteger(count) || count < 1) throw new Error(`a majority of ${count} organizations is undefined`);
  return Math.floor(count / 2) + 1;
}

/**
 * The application organizations of a decoded channel configuration, by MSP ID.
 * @param {any} config @returns {string[]}
 */
export function applicationOrganizations(config) {
  const groups = config?.channel_group?.groups?.Application?.groups;
  if (!groups || typeof groups !== 'object') throw new Error('the configuration has no Application group');
  return Object.keys(groups).sort();
}

/**
 * Adds an organization's group (as `configtxgen -printOrg` prints it) to the Application group of a decoded channel
 * configuration, with its anchor peers. Refuses an organization the channel already has.
 * @param {any} config @param {string} mspId @param {any} group @param {{ host: string, port: number }[]} anchorPeers
 */
export function addApplicationOrganization(config, mspId, group, anchorPeers) {
  if (applicationOrganizations(config).includes(mspId)) throw new Error(`${mspId} is already in the channel`);
  if (group?.values?.MSP === undefined) throw new Error(`the group of ${mspId} has no MSP definition`);
  const withAnchors = structuredClone(group);
  withAnchors.values.AnchorPeers = {
    mod_policy: 'Admins',
    value: { anchor_peers: anchorPeers },
    version: '0',
  };
  config.channel_group.groups.Application.groups[mspId] = withAnchors;
}
