// @ts-check
// Revoking a user: the organization's CA revokes every certificate of the user and issues a new CRL, and the CRL
// is published in the organization's MSP definition on the channel (a channel configuration update that the
// organization's admin signs: its MSP group is governed by its own Admins policy). From the block that carries it,
// every peer refuses the user's proposals and invalidates its transactions; what the user wrote before stays valid.
import fs from 'node:fs';
import path from 'node:path';
import { caClient, registrarHome } from './identities.mjs';
import { fabric } from './fabric-cli.mjs';
import { ordererFlags, peerAdminEnv } from './node-env.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./topology.mjs').Organization} Organization */

/**
 * Fetches the channel's configuration, lets `change` edit the decoded JSON, and submits the difference as a
 * configuration update signed by the admins of `signers` (the first one submits).
 * @param {Topology} t @param {Organization[]} signers @param {(config: any) => void} change @param {string} label
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
  change(config);
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
 * Revokes a user at its organization's CA and publishes the organization's CRL on the channel.
 * @param {Topology} t @param {Organization} org @param {string} id
 * @returns {Promise<{ mspId: string, enrollmentId: string, crl: string }>}
 */
export async function revokeUser(t, org, id) {
  const home = await registrarHome(org.ca);
  await caClient([
    'revoke',
    '-e',
    id,
    '--gencrl',
    '-u',
    `https://127.0.0.1:${org.ca.port}`,
    '--home',
    home,
    '--tls.certfiles',
    org.ca.certFile,
    '--caname',
    org.ca.name,
  ]);
  const crlFile = path.join(home, 'msp', 'crls', 'crl.pem');
  const crl = fs.readFileSync(crlFile);
  await updateChannelConfig(
    t,
    [org],
    (config) => {
      const msp = config.channel_group.groups.Application.groups[org.mspId];
      if (!msp) throw new Error(`${org.mspId} is not in the channel's configuration`);
      msp.values.MSP.value.config.revocation_list = [crl.toString('base64')];
    },
    `revoke-${org.name.toLowerCase()}-${id}`,
  );
  return { mspId: org.mspId, enrollmentId: id, crl: crlFile };
}
