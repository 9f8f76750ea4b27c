// @ts-check
// Users of an organization, registered and enrolled at the organization's own Fabric CA with their role in the
// `adrecon.role` certificate attribute (or none: read only), kept under the organization's users/ folder.
import fs from 'node:fs';
import path from 'node:path';
import { enrollMsp, register, USER_ROLE_ATTRIBUTE } from './identities.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./topology.mjs').Organization} Organization */

const USER_ROLES = ['operations', 'finance', 'admin'];
const USER_ID = /^[a-z][a-z0-9._-]{0,62}$/;

/**
 * The organization named by its name (case-insensitive) or MSP ID.
 * @param {Topology} t @param {string} name
 */
export function organizationNamed(t, name) {
  const org = t.organizations.find((o) => o.name.toLowerCase() === name.toLowerCase() || o.mspId === name);
  if (!org)
    throw new Error(`no organization ${name} in network.json (${t.organizations.map((o) => o.name).join(', ')})`);
  return org;
}

/** Where a user's MSP folder lives. @param {Organization} org @param {string} id */
export function userMspDir(org, id) {
  return path.join(org.cryptoDir, 'users', `${id}@${org.domain}`, 'msp');
}

/**
 * Registers (once) and enrolls (once) a user of an organization at its CA.
 * @param {Organization} org @param {string} id @param {string | undefined} role one of operations, finance, admin,
 *   or undefined for a user without a role (read only)
 * @returns {Promise<{ mspId: string, enrollmentId: string, role: string | null, certPath: string, keyPath: string }>}
 */
export async function enrollUser(org, id, role) {
  if (!USER_ID.test(id)) throw new Error(`user id must match ${USER_ID.source}`);
  if (role !== undefined && !USER_ROLES.includes(role)) throw new Error(`role must be one of ${USER_ROLES.join(', ')}`);
  const secret = await register(org.ca, {
    id,
    type: 'client',
    ...(role === undefined ? {} : { attrs: `${USER_ROLE_ATTRIBUTE}=${role}:ecert` }),
  });
  const msp = userMspDir(org, id);
  await enrollMsp(org.ca, id, secret, msp);
  const keystore = path.join(msp, 'keystore');
  const [key] = fs.readdirSync(keystore);
  if (key === undefined) throw new Error(`no key in ${keystore}`);
  return {
    mspId: org.mspId,
    enrollmentId: id,
    role: role ?? null,
    certPath: path.join(msp, 'signcerts', 'cert.pem'),
    keyPath: path.join(keystore, key),
  };
}
