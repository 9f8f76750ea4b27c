// @ts-check
// A new organization joins the running channel (issue 9 item 6): its CA, identities and peer start; a channel
// configuration update adds it, signed by a majority of the existing organizations' admins; its peer joins; the
// chaincode is defined again for every organization (same package, next sequence: new endorsement policy and the
// new party-set collections), approved by every organization, and committed; the organization registers its own
// role on the ledger; its chaincode server and REST gateway start. Nothing that already runs is restarted.
//
// The organization is recorded in the run folder (topology.mjs: added-organizations.json) before anything starts,
// so an interrupted run resumes where it stopped: each step first checks whether its work is already there.
import fs from 'node:fs';
import path from 'node:path';
import { ensureCas } from './certificate-authorities.mjs';
import { chaincodeServerName, readDeployment } from './chaincode-servers.mjs';
import { organizationConfigtxYaml, writeNetworkProfile } from './config-files.mjs';
import {
  addApplicationOrganization,
  applicationOrganizations,
  majorityOf,
  updateChannelConfig,
} from './config-update.mjs';
import { deploy } from './deploy.mjs';
import { fabric } from './fabric-cli.mjs';
import { writeGatewayBundles } from './gateway-bundles.mjs';
import { startGateways } from './gateways.mjs';
import { enrollOrganization } from './identities.mjs';
import { peerHasJoined, startPeer, waitForGossip } from './network.mjs';
import { peerAdminEnv } from './node-env.mjs';
import { isRunning, portIsFree, readPidRecord } from './processes.mjs';
import { progress } from './progress.mjs';
import { ensureSupervisor } from './supervisor.mjs';
import { loadTopology, NAME, readAddedOrganizations, ROLES } from './topology.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./topology.mjs').Organization} Organization */
/** @typedef {import('./gateways.mjs').RunningGateway} RunningGateway */

/**
 * The entry an added organization gets in the run folder's added-organizations.json (network.json's shape), after
 * checking its name and role: its MSP ID is its name followed by `MSP`, as for every organization of network.json.
 * @param {string} name @param {string} role
 */
export function organizationEntry(name, role) {
  if (!NAME.test(name)) throw new Error(`organization name '${name}' must match ${NAME.source}`);
  if (!ROLES.has(role)) throw new Error(`role '${role}' must be one of ${[...ROLES].join(', ')}`);
  return { name, mspId: `${name}MSP`, role, peers: 1 };
}

/**
 * The existing organizations whose admins sign the configuration update: the first majority of them in the
 * network's order (the channel's Application group is governed by `MAJORITY Admins`).
 * @template T @param {readonly T[]} existing @returns {T[]}
 */
export function configUpdateSigners(existing) {
  return existing.slice(0, majorityOf(existing.length));
}

/**
 * Records the organization in the run folder (once) and returns the topology that includes it. A name or MSP ID
 * that network.json already holds is refused; one added before resumes.
 * @param {Topology} before @param {{ name: string, mspId: string, role: string, peers: number }} entry
 */
function recordOrganization(before, entry) {
  const added = readAddedOrganizations(before.paths.runDir);
  const previous = added.find((o) => o.name === entry.name);
  if (previous) {
    if (previous.role !== entry.role) {
      throw new Error(
        `${entry.name} was added as ${previous.role}, not ${entry.role}; its role is fixed on the ledger`,
      );
    }
    return { topology: before, resumed: true };
  }
  const clash = before.organizations.find(
    (o) => o.name.toLowerCase() === entry.name.toLowerCase() || o.mspId === entry.mspId,
  );
  if (clash) throw new Error(`${clash.name} (${clash.mspId}) is already an organization of this network`);
  const file = before.paths.addedOrganizations;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify([...added, entry], null, 2) + '\n');
  try {
    return { topology: loadTopology({ runDir: before.paths.runDir, basePort: before.basePort }), resumed: false };
  } catch (err) {
    fs.writeFileSync(file, JSON.stringify(added, null, 2) + '\n');
    throw err;
  }
}

/**
 * Refuses to start unless the network of the existing organizations runs with the chaincode deployed: the
 * organization joins a running channel.
 * @param {Topology} t @param {Organization[]} existing
 */
function requireRunningNetwork(t, existing) {
  const down = [
    t.ordererOrg.ca.name,
    ...t.orderers.map((o) => o.name),
    ...existing.flatMap((o) => [o.ca.name, ...o.peers.map((p) => p.name), chaincodeServerName(o)]),
  ].filter((name) => !isRunning(readPidRecord(t.paths.pidsDir, name)));
  if (down.length > 0) {
    throw new Error(`the network is not fully running (${down.join(', ')} down): start it with npm run network:up`);
  }
  if (!readDeployment(t)) throw new Error('the chaincode is not deployed: run npm run network:deploy first');
}

/** Ports the new organization needs that something else holds. @param {Organization} org @param {Topology} t */
async function busyPorts(org, t) {
  const ours = (/** @type {string} */ name) => isRunning(readPidRecord(t.paths.pidsDir, name));
  const wanted = [
    ...(ours(org.ca.name) ? [] : [org.ca.port, org.ca.operationsPort]),
    ...org.peers.flatMap((p) => (ours(p.name) ? [] : [p.port, p.chaincodePort, p.operationsPort])),
    ...(ours(chaincodeServerName(org)) ? [] : [org.chaincodeServerPort]),
  ];
  const busy = [];
  for (const port of wanted) if (!(await portIsFree(port))) busy.push(port);
  return busy;
}

/** The organization's channel group, as configtxgen prints it from its MSP folder. @param {Topology} t @param {Organization} org */
async function printOrganization(t, org) {
  const dir = path.join(t.paths.configDir, 'organizations', org.name.toLowerCase());
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'configtx.yaml'), organizationConfigtxYaml(org));
  const { stdout } = await fabric('configtxgen', ['-configPath', dir, '-printOrg', org.mspId]);
  return JSON.parse(stdout);
}

/**
 * @typedef {{ portBase: number, instance?: string, stateRoot?: string } | undefined} GatewayChoice where to start
 *   the organization's REST gateway (as `gateways` does), or undefined for none
 * @typedef {{ mspId: string, role: string, resumed: boolean, steps: { step: string, ms: number }[], totalMs: number,
 *   configUpdateSigners: string[], sequence: number | undefined, gateway: RunningGateway | undefined }} AddResult
 */

/**
 * Adds an organization to the running network (see the file's comment), printing one line per step with its time.
 * @param {Topology} before the network as it runs @param {{ name: string, role: string, gateway: GatewayChoice }} request
 * @returns {Promise<AddResult>}
 */
export async function addOrganization(before, request) {
  if (before.namespaces) {
    throw new Error('add-org does not support a network run with namespaces yet (docs/network.md)');
  }
  const say = progress();
  const started = Date.now();
  /** @type {{ step: string, ms: number }[]} */
  const steps = [];
  /** @template T @param {string} step @param {() => Promise<T>} work @returns {Promise<T>} */
  const timed = async (step, work) => {
    const at = Date.now();
    const result = await work();
    steps.push({ step, ms: Date.now() - at });
    say(`${step}: ${Date.now() - at} ms`);
    return result;
  };

  const entry = organizationEntry(request.name, request.role);
  const existing = before.organizations.filter((o) => o.mspId !== entry.mspId);
  requireRunningNetwork(before, existing);
  const { topology: t, resumed } = recordOrganization(before, entry);
  if (resumed) say(`resuming the addition of ${entry.mspId} recorded in ${t.paths.addedOrganizations}`);
  else say(`${entry.mspId} (${entry.role}) recorded in ${t.paths.addedOrganizations}`);
  const org = t.organizations.find((o) => o.mspId === entry.mspId);
  if (!org) throw new Error(`${entry.mspId} is missing from the topology`);
  const busy = await busyPorts(org, t);
  if (busy.length > 0) {
    throw new Error(
      `ports of ${org.mspId} are in use: ${busy.join(', ')}; free them or remove the entry from ${t.paths.addedOrganizations}`,
    );
  }

  await timed(`CA ${org.ca.name} started`, () => ensureCas(t, say));
  await timed(`identities of ${org.mspId} enrolled`, () => enrollOrganization(org));
  await timed(`peer ${org.peers.map((p) => p.name).join(', ')} started`, async () => {
    for (const p of org.peers) {
      if (isRunning(readPidRecord(t.paths.pidsDir, p.name))) continue;
      const record = await startPeer(t, p);
      say(`${p.name} healthy on 127.0.0.1:${p.port} (pid ${record.pid})`);
    }
  });

  const signers = configUpdateSigners(existing);
  const group = await printOrganization(t, org);
  const submitted = await timed(
    `channel configuration update (signed by ${signers.map((o) => o.mspId).join(', ')})`,
    () =>
      updateChannelConfig(
        t,
        signers,
        (config) => {
          if (applicationOrganizations(config).includes(org.mspId)) return false;
          const anchors = org.peers.slice(0, 1).map((p) => ({ host: '127.0.0.1', port: p.port }));
          addApplicationOrganization(config, org.mspId, group, anchors);
          return true;
        },
        `add-${org.name.toLowerCase()}`,
      ),
  );
  if (submitted === undefined) say(`${org.mspId} was already in the channel's configuration`);

  await timed(`peer joined channel ${t.channel.name}`, async () => {
    for (const p of org.peers) {
      if (await peerHasJoined(t, p)) continue;
      await fabric('peer', ['channel', 'join', '-b', t.paths.genesisBlock], { env: peerAdminEnv(t, p) });
    }
  });
  await timed(`gossip converged: every peer knows the other ${t.peers.length - 1}`, () => waitForGossip(t));
  await timed('chaincode installed, defined again for every organization, committed; role registered', () =>
    deploy(t, { keepPackage: true, say }),
  );
  writeNetworkProfile(t);
  writeGatewayBundles(t);
  const gateway = request.gateway;
  const running = gateway
    ? await timed(`REST gateway of ${org.mspId} started`, async () => {
        const [one] = await startGateways(t, { ...gateway, only: [org.mspId] });
        return one;
      })
    : undefined;
  ensureSupervisor(t);
  const totalMs = Date.now() - started;
  say(`${org.mspId} joined channel ${t.channel.name} as ${org.role} in ${totalMs} ms`);
  return {
    mspId: org.mspId,
    role: org.role,
    resumed,
    steps,
    totalMs,
    configUpdateSigners: signers.map((o) => o.mspId),
    sequence: readDeployment(t)?.sequence,
    gateway: running,
  };
}
