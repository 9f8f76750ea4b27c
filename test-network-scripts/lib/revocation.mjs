// @ts-check
// Revoking a user: the organization's CA revokes every certificate of the user and issues a new CRL, and the CRL
// is published in the organization's MSP definition on the channel (a channel configuration update that the
// organization's admin signs: its MSP group is governed by its own Admins policy). From the block that carries it,
// every peer refuses the user's proposals and invalidates its transactions; what the user wrote before stays valid.
import fs from 'node:fs';
import path from 'node:path';
import { caClient, registrarHome } from './identities.mjs';
import { updateChannelConfig } from './config-update.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./topology.mjs').Organization} Organization */

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
    `https://${org.ca.address}:${org.ca.port}`,
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
