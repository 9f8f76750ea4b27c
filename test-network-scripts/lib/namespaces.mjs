// @ts-check
// The network namespaces of a network run with `"namespaces": true` (addressing.mjs plans them): created by `up`,
// each recorded in the run folder as soon as it exists, and removed by `down` from that record only, never by a
// name pattern, so that other networks' namespaces on the same machine are never touched. An organization can be
// cut off (its veth link set down in the root namespace, as a host losing its network) and reconnected.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./addressing.mjs').NamespaceSpace} NamespaceSpace */

/**
 * What this run folder created: the bridge, the veth links (root-side names) and the namespaces.
 * @typedef {{ bridge?: string, links: string[], namespaces: string[] }} NamespaceRecord
 */

/** @param {string} runDir */
export const namespaceRecordFile = (runDir) => path.join(runDir, 'namespaces.json');

/** @param {string} runDir @returns {NamespaceRecord} */
export function readNamespaceRecord(runDir) {
  try {
    return JSON.parse(fs.readFileSync(namespaceRecordFile(runDir), 'utf8'));
  } catch {
    return { links: [], namespaces: [] };
  }
}

/** @param {string} runDir @param {NamespaceRecord} record */
function writeRecord(runDir, record) {
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(namespaceRecordFile(runDir), JSON.stringify(record, null, 2) + '\n');
}

/**
 * Runs `ip` with the arguments; its error output becomes the error's message.
 * @param {string[]} args @returns {string}
 * @throws {Error} when `ip` fails (not root, no netns support, a name taken)
 */
function ip(args) {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = /** @type {{ stderr?: string }} */ (err).stderr?.trim();
    throw new Error(`ip ${args.join(' ')} failed: ${stderr || (err instanceof Error ? err.message : String(err))}`, {
      cause: err,
    });
  }
}

/** @param {string} name */
const namespaceExists = (name) =>
  ip(['netns', 'list'])
    .split('\n')
    .some((line) => line.split(' ')[0] === name);

/** @param {string} name */
function linkExists(name) {
  try {
    execFileSync('ip', ['link', 'show', 'dev', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates the bridge, the namespaces and their veth links and addresses that do not exist yet. A name that exists
 * but is not in this run folder's record belongs to someone else: that is an error, never taken over.
 * @param {Topology} t @param {(line: string) => void} say
 * @throws {Error} when `ip` fails or a name is taken by another run
 */
export function ensureNamespaces(t, say) {
  const plan = t.namespaces;
  if (!plan) return;
  const { runDir } = t.paths;
  const record = readNamespaceRecord(runDir);
  const foreign = (/** @type {string} */ what) =>
    new Error(`${what} exists but ${namespaceRecordFile(runDir)} does not record it: another network owns it`);
  if (record.bridge !== plan.bridge) {
    if (linkExists(plan.bridge)) throw foreign(`bridge ${plan.bridge}`);
    ip(['link', 'add', plan.bridge, 'type', 'bridge']);
    record.bridge = plan.bridge;
    writeRecord(runDir, record);
    ip(['addr', 'add', `${plan.bridgeAddress}/${String(plan.prefix)}`, 'dev', plan.bridge]);
  }
  ip(['link', 'set', plan.bridge, 'up']);
  let made = 0;
  for (const space of plan.spaces) {
    if (!record.namespaces.includes(space.name)) {
      if (namespaceExists(space.name)) throw foreign(`namespace ${space.name}`);
      ip(['netns', 'add', space.name]);
      record.namespaces.push(space.name);
      writeRecord(runDir, record);
      made++;
    }
    if (!linkExists(space.link)) {
      ip(['link', 'add', space.link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', space.name]);
      if (!record.links.includes(space.link)) record.links.push(space.link);
      writeRecord(runDir, record);
      ip(['-n', space.name, 'addr', 'add', `${space.address}/${String(plan.prefix)}`, 'dev', 'eth0']);
    } else if (!record.links.includes(space.link)) throw foreign(`link ${space.link}`);
    ip(['link', 'set', space.link, 'master', plan.bridge, 'up']);
    ip(['-n', space.name, 'link', 'set', 'eth0', 'up']);
    ip(['-n', space.name, 'link', 'set', 'lo', 'up']);
  }
  if (made > 0)
    say(`namespaces created: ${plan.spaces.map((s) => `${s.name} ${s.address}`).join(', ')} (bridge ${plan.bridge})`);
}

/**
 * Removes what this run folder's record lists (namespaces, links, bridge) and the record. Run after every process
 * in them has stopped.
 * @param {Topology} t @param {(line: string) => void} say
 */
export function removeNamespaces(t, say) {
  const { runDir } = t.paths;
  const record = readNamespaceRecord(runDir);
  /** @type {string[]} */
  const failed = [];
  const attempt = (/** @type {string[]} */ args) => {
    try {
      ip(args);
    } catch (err) {
      failed.push(err instanceof Error ? err.message : String(err));
    }
  };
  for (const name of record.namespaces) if (namespaceExists(name)) attempt(['netns', 'delete', name]);
  // Deleting a namespace deletes its end of each veth pair, and with it the root-side end.
  for (const link of record.links) if (linkExists(link)) attempt(['link', 'delete', link]);
  if (record.bridge && linkExists(record.bridge)) attempt(['link', 'delete', record.bridge]);
  const removed = [...record.namespaces, ...(record.bridge ? [record.bridge] : [])];
  if (failed.length > 0) throw new Error(`could not remove every namespace:\n  ${failed.join('\n  ')}`);
  fs.rmSync(namespaceRecordFile(runDir), { force: true });
  if (removed.length > 0) say(`removed namespaces and links: ${removed.join(', ')}`);
}

/**
 * The namespace of an organization (by name, case-insensitive) or of the orderers (`orderer`).
 * @param {Topology} t @param {string} key @returns {NamespaceSpace}
 * @throws {Error} without namespaces, or for an unknown organization
 */
export function namespaceOf(t, key) {
  if (!t.namespaces) throw new Error('this network runs without namespaces (network.json "namespaces": true)');
  const space = t.namespaces.spaces.find((s) => s.key === key.toLowerCase());
  if (!space) {
    throw new Error(`no namespace '${key}': one of ${t.namespaces.spaces.map((s) => s.key).join(', ')}`);
  }
  return space;
}

/**
 * Cuts a namespace off the others (its veth link down in the root namespace: a host losing its network) or
 * connects it again.
 * @param {Topology} t @param {string} key an organization's name or `orderer` @param {boolean} connected
 * @returns {NamespaceSpace}
 */
export function setConnected(t, key, connected) {
  const space = namespaceOf(t, key);
  ip(['link', 'set', space.link, connected ? 'up' : 'down']);
  return space;
}

/**
 * One line per namespace: its name, address, link state (UP, or DOWN while cut off) and its recorded processes.
 * @param {Topology} t @param {Map<string, string[]>} processesByNamespace
 */
export function namespaceRows(t, processesByNamespace) {
  if (!t.namespaces) return [];
  const plan = t.namespaces;
  const rows = [`namespaces (subnet ${plan.subnet}, bridge ${plan.bridge} ${plan.bridgeAddress}):`];
  for (const s of plan.spaces) {
    let state = 'absent';
    if (linkExists(s.link)) state = /state UP|,UP[,>]/.test(ip(['link', 'show', 'dev', s.link])) ? 'UP' : 'DOWN';
    const processes = processesByNamespace.get(s.name) ?? [];
    rows.push(
      `  ${s.name.padEnd(30)} ${s.address.padEnd(14)} link ${s.link} ${state.padEnd(6)} ${processes.join(' ')}`,
    );
  }
  return rows;
}
