// @ts-check
// The network's topology: network/network.json turned into nodes with names, ports and paths.
// Everything that derives a port or a file location lives here, so the other modules never
// compute one themselves.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOOPBACK, namespacePlan, namespacesWanted } from './addressing.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const networkDir = path.join(repoRoot, 'network');
export const definitionFile = path.join(networkDir, 'network.json');
export const fabricBinDir = path.join(repoRoot, '.fabric', 'bin');
export const fabricBuildDir = path.join(repoRoot, 'test-network-scripts', 'fabric-build');
export const builderDir = path.join(repoRoot, 'test-network-scripts', 'builders', 'ccaas');

/** The consortium roles an organization can have (contract/src's `Role`). */
export const ROLES = new Set(['ADVERTISER', 'AGENCY', 'PUBLISHER']);
/** An organization's name: it names its folders, processes and (with `MSP`) its MSP ID. */
export const NAME = /^[A-Za-z][A-Za-z0-9]{0,30}$/;
const MSP_ID = /^[A-Za-z0-9.-]{1,64}$/;

/**
 * Port layout, from a base B (default 7000):
 *   orderer node i: B+50+10i (cluster/client), +3 admin, +4 operations
 *   peer n (numbered across organizations): B+100+10n +1 peer, +2 chaincode listener, +3 operations
 *   chaincode server j of organization k: B+200+k+20j (j < 2: at most two servers per organization)
 *   Fabric CA of the orderer organization: B+300 (+1 operations); of member organization k: B+302+2k (+1 operations)
 */
export const PORTS = Object.freeze({
  ordererBlock: 50,
  ordererStride: 10,
  maxOrderers: 5,
  peerBlock: 100,
  peerStride: 10,
  maxPeers: 10,
  chaincodeBlock: 200,
  chaincodeStride: 20,
  maxChaincodeServers: 2,
  caBlock: 300,
});

/** @param {string} message */
function invalid(message) {
  return new Error(`network/network.json: ${message}`);
}

/**
 * The file of a run folder that lists the organizations added to its running channel (`add-org`), as entries of
 * network.json's `organizations`. It lives in the run folder, beside the channel it describes: `down` keeps it,
 * `down --clean` removes it with the channel, and network.json stays the definition of a new network.
 * @param {string} runDir
 */
export function addedOrganizationsFile(runDir) {
  return path.join(runDir, 'added-organizations.json');
}

/**
 * The organizations added to this run folder's channel, in the order they joined (none when the file is absent).
 * @param {string} runDir @returns {{ name: string, mspId: string, role: string, peers: number }[]}
 */
export function readAddedOrganizations(runDir) {
  const file = addedOrganizationsFile(runDir);
  if (!fs.existsSync(file)) return [];
  const list = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(list)) throw new Error(`${file}: expected a JSON array of organizations`);
  return list;
}

/**
 * Every node has an `address` (where it listens and is dialled: 127.0.0.1, or its namespace's address) and a
 * `netns` (the network namespace it runs in; undefined without namespaces). addressing.mjs plans both.
 * @typedef {{ name: string, port: number, index: number, org: Organization, address: string,
 *   listenAddress: string, netns: string | undefined }} ChaincodeServerNode one `fabric-chaincode-node server` of an
 *   organization; peer i of the organization uses server i mod the count. Its peers dial it at 127.0.0.1 (the
 *   package's connection address), so in a namespace it listens on every address of that namespace
 * @typedef {{ kind: 'orderer', name: string, host: string, index: number, port: number, adminPort: number,
 *   operationsPort: number, dir: string, tlsDir: string, mspDir: string, dataDir: string, address: string,
 *   netns: string | undefined }} OrdererNode
 * @typedef {{ kind: 'peer', name: string, host: string, index: number, org: Organization, port: number,
 *   chaincodePort: number, operationsPort: number, dir: string, tlsDir: string, mspDir: string, dataDir: string,
 *   chaincodeServer: ChaincodeServerNode, address: string, netns: string | undefined }} PeerNode
 * @typedef {{ kind: 'ca', name: string, port: number, operationsPort: number, homeDir: string, certFile: string,
 *   clientDir: string, address: string, netns: string | undefined }} CaNode one organization's Fabric CA server:
 *   its home (state kept across down/up), its CA certificate (which also issues the organization's TLS
 *   certificates), and the folder of its registrar's client
 * @typedef {{ name: string, mspId: string, role: string, domain: string, index: number, peers: PeerNode[],
 *   chaincodeServerPort: number, chaincodeServers: ChaincodeServerNode[], cryptoDir: string, adminMspDir: string, adminTlsDir: string,
 *   userMspDir: string, tlsCaFile: string, caCertFile: string, gatewayDir: string, ca: CaNode }} Organization
 * @typedef {ReturnType<typeof loadTopology>} Topology
 */

/**
 * Reads and validates network/network.json (or the definition named by ADRECON_NETWORK_DEFINITION: the fault
 * suite runs a three-orderer variant of it).
 * @param {{ definition?: string, runDir?: string, basePort?: number }} [options]
 */
export function loadTopology(options = {}) {
  const file = options.definition ?? process.env.ADRECON_NETWORK_DEFINITION ?? definitionFile;
  /** @type {any} */
  let def;
  try {
    def = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw invalid(`cannot read it: ${err instanceof Error ? err.message : String(err)}`);
  }
  const envBase = process.env.ADRECON_BASE_PORT;
  const basePort = options.basePort ?? (envBase ? Number(envBase) : def.basePort);
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort > 65000 - PORTS.caBlock - 50) {
    throw invalid(`basePort must be an integer between 1024 and ${65000 - PORTS.caBlock - 50}`);
  }
  const domain = String(def.domain ?? '');
  if (!/^[a-z0-9.-]+$/.test(domain)) throw invalid('domain must be a lower-case DNS name');
  const channel = def.channel ?? {};
  if (!/^[a-z][a-z0-9.-]{0,48}$/.test(String(channel.name))) throw invalid('channel.name is not a valid channel name');

  const runDir = options.runDir ?? process.env.ADRECON_RUN_DIR ?? path.join(networkDir, 'run');
  const cryptoDir = path.join(runDir, 'crypto');
  // Organizations that joined the running channel (`add-org`) follow network.json's, in the order they joined.
  if (!Array.isArray(def.organizations) || def.organizations.length < 2) {
    throw invalid('organizations must list at least two member organizations');
  }
  const organizationDefs = [...def.organizations, ...readAddedOrganizations(runDir)];
  let namespaces;
  try {
    namespaces = namespacesWanted(def)
      ? namespacePlan(
          basePort,
          organizationDefs.map((/** @type {any} */ o) => String(o.name).toLowerCase()),
        )
      : undefined;
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  /** Where the nodes of one namespace (`orderer` or an organization's lower-case name) listen and run. */
  const placed = (/** @type {string} */ key) => {
    const space = namespaces?.spaces.find((s) => s.key === key);
    return { address: space?.address ?? LOOPBACK, netns: space?.name };
  };

  const ordererDef = def.orderer ?? {};
  const ordererCount = ordererDef.nodes;
  if (!Number.isInteger(ordererCount) || ordererCount < 1 || ordererCount > PORTS.maxOrderers) {
    throw invalid(`orderer.nodes must be 1 to ${PORTS.maxOrderers} (3 for a fault-tolerant Raft set)`);
  }
  if (!NAME.test(String(ordererDef.name)) || !MSP_ID.test(String(ordererDef.mspId))) {
    throw invalid('orderer.name and orderer.mspId are required');
  }
  const ordererDomain = `${String(ordererDef.name).toLowerCase()}.${domain}`;
  const ordererOrgDir = path.join(cryptoDir, 'ordererOrganizations', ordererDomain);
  /** @type {OrdererNode[]} */
  const orderers = [];
  for (let i = 0; i < ordererCount; i++) {
    const name = `orderer${i}`;
    const host = `${name}.${ordererDomain}`;
    const block = basePort + PORTS.ordererBlock + PORTS.ordererStride * i;
    const dir = path.join(ordererOrgDir, 'orderers', host);
    orderers.push({
      kind: 'orderer',
      name,
      host,
      index: i,
      port: block,
      adminPort: block + 3,
      operationsPort: block + 4,
      dir,
      tlsDir: path.join(dir, 'tls'),
      mspDir: path.join(dir, 'msp'),
      dataDir: path.join(runDir, 'data', name),
      ...placed('orderer'),
    });
  }
  /** @param {string} lower @param {number} port @param {string} key its namespace's key @returns {CaNode} */
  const caNode = (lower, port, key) => {
    const homeDir = path.join(runDir, 'ca', lower);
    return {
      kind: 'ca',
      name: `ca.${lower}`,
      port,
      operationsPort: port + 1,
      homeDir,
      certFile: path.join(homeDir, 'ca-cert.pem'),
      clientDir: path.join(runDir, 'ca-clients', lower),
      ...placed(key),
    };
  };
  const ordererOrg = {
    ca: caNode(String(ordererDef.name).toLowerCase(), basePort + PORTS.caBlock, 'orderer'),
    name: String(ordererDef.name),
    mspId: String(ordererDef.mspId),
    domain: ordererDomain,
    cryptoDir: ordererOrgDir,
    mspDir: path.join(ordererOrgDir, 'msp'),
    tlsCaFile: path.join(ordererOrgDir, 'tlsca', `tlsca.${ordererDomain}-cert.pem`),
    caCertFile: path.join(ordererOrgDir, 'ca', `ca.${ordererDomain}-cert.pem`),
    adminMspDir: path.join(ordererOrgDir, 'users', `Admin@${ordererDomain}`, 'msp'),
    adminTlsDir: path.join(ordererOrgDir, 'users', `Admin@${ordererDomain}`, 'tls'),
  };

  const seen = new Set([ordererOrg.mspId]);
  /** @type {Organization[]} */
  const organizations = [];
  /** @type {PeerNode[]} */
  const peers = [];
  organizationDefs.forEach((/** @type {any} */ o, /** @type {number} */ k) => {
    if (!NAME.test(String(o.name))) throw invalid(`organizations[${k}].name must match ${NAME.source}`);
    if (!MSP_ID.test(String(o.mspId))) throw invalid(`organizations[${k}].mspId is invalid`);
    if (seen.has(o.mspId)) throw invalid(`organizations[${k}].mspId ${o.mspId} is used twice`);
    seen.add(o.mspId);
    if (!ROLES.has(o.role)) throw invalid(`organizations[${k}].role must be one of ${[...ROLES].join(', ')}`);
    const peerCount = o.peers ?? 1;
    if (!Number.isInteger(peerCount) || peerCount < 1) throw invalid(`organizations[${k}].peers must be >= 1`);
    // Two servers remove the organization's single point of failure: each peer has its own (peer i → server i).
    const serverCount = o.chaincodeServers ?? 1;
    if (!Number.isInteger(serverCount) || serverCount < 1 || serverCount > PORTS.maxChaincodeServers) {
      throw invalid(`organizations[${k}].chaincodeServers must be 1 to ${PORTS.maxChaincodeServers}`);
    }
    const orgDomain = `${String(o.name).toLowerCase()}.${domain}`;
    const orgDir = path.join(cryptoDir, 'peerOrganizations', orgDomain);
    /** @type {Organization} */
    const org = {
      name: o.name,
      mspId: o.mspId,
      role: o.role,
      domain: orgDomain,
      index: k,
      peers: [],
      chaincodeServerPort: basePort + PORTS.chaincodeBlock + k,
      chaincodeServers: [],
      cryptoDir: orgDir,
      adminMspDir: path.join(orgDir, 'users', `Admin@${orgDomain}`, 'msp'),
      adminTlsDir: path.join(orgDir, 'users', `Admin@${orgDomain}`, 'tls'),
      userMspDir: path.join(orgDir, 'users', `User1@${orgDomain}`, 'msp'),
      tlsCaFile: path.join(orgDir, 'tlsca', `tlsca.${orgDomain}-cert.pem`),
      caCertFile: path.join(orgDir, 'ca', `ca.${orgDomain}-cert.pem`),
      // What this organization's REST gateway holds, and nothing of any other organization (gateway-bundles.mjs).
      gatewayDir: path.join(runDir, 'gateway', String(o.name).toLowerCase()),
      ca: caNode(String(o.name).toLowerCase(), basePort + PORTS.caBlock + 2 + 2 * k, String(o.name).toLowerCase()),
    };
    for (let j = 0; j < serverCount; j++) {
      const lower = String(o.name).toLowerCase();
      org.chaincodeServers.push({
        name: j === 0 ? `chaincode-${lower}` : `chaincode-${lower}-${j}`,
        port: basePort + PORTS.chaincodeBlock + k + PORTS.chaincodeStride * j,
        index: j,
        org,
        ...placed(lower),
        listenAddress: namespaces ? '0.0.0.0' : LOOPBACK,
      });
    }
    for (let p = 0; p < peerCount; p++) {
      const n = peers.length;
      if (n >= PORTS.maxPeers) throw invalid(`at most ${PORTS.maxPeers} peers fit the port layout`);
      const name = `peer${p}.${String(o.name).toLowerCase()}`;
      const host = `peer${p}.${orgDomain}`;
      const block = basePort + PORTS.peerBlock + PORTS.peerStride * n;
      const dir = path.join(orgDir, 'peers', host);
      /** @type {PeerNode} */
      const peer = {
        kind: 'peer',
        name,
        host,
        index: n,
        org,
        port: block + 1,
        chaincodePort: block + 2,
        operationsPort: block + 3,
        dir,
        tlsDir: path.join(dir, 'tls'),
        mspDir: path.join(dir, 'msp'),
        dataDir: path.join(runDir, 'data', name),
        chaincodeServer: /** @type {ChaincodeServerNode} */ (org.chaincodeServers[p % serverCount]),
        ...placed(String(o.name).toLowerCase()),
      };
      org.peers.push(peer);
      peers.push(peer);
    }
    organizations.push(org);
  });

  const chaincode = def.chaincode ?? {};
  if (!/^[a-z][a-z0-9_-]{0,48}$/.test(String(chaincode.name))) throw invalid('chaincode.name is invalid');

  return {
    definitionFile: file,
    basePort,
    domain,
    /** The namespaces plan, or undefined when every node runs in the root namespace on 127.0.0.1. */
    namespaces,
    channel: {
      name: String(channel.name),
      batchTimeout: String(channel.batchTimeout ?? '250ms'),
      maxMessageCount: Number(channel.maxMessageCount ?? 100),
      absoluteMaxBytes: String(channel.absoluteMaxBytes ?? '10 MB'),
      preferredMaxBytes: String(channel.preferredMaxBytes ?? '2 MB'),
    },
    chaincode: {
      name: String(chaincode.name),
      labelPrefix: String(chaincode.labelPrefix ?? chaincode.name),
      // ADRECON_CHAINCODE_DIR deploys another build of the chaincode (the upgrade test uses it).
      dir: process.env.ADRECON_CHAINCODE_DIR ?? path.join(repoRoot, String(chaincode.path ?? 'chaincode')),
    },
    ordererOrg,
    orderers,
    organizations,
    peers,
    paths: {
      runDir,
      cryptoDir,
      chaincodeTlsDir: path.join(cryptoDir, 'chaincode'),
      configDir: path.join(runDir, 'config'),
      peerConfigDir: path.join(runDir, 'config', 'peer'),
      genesisBlock: path.join(runDir, 'channel', `${String(channel.name)}.block`),
      logsDir: path.join(runDir, 'logs'),
      pidsDir: path.join(runDir, 'pids'),
      chaincodeStateDir: path.join(runDir, 'chaincode'),
      // Every organization's identity on this one development machine: for tests, benchmarks and the audit only.
      networkProfile: path.join(runDir, 'network-profile.json'),
      addedOrganizations: addedOrganizationsFile(runDir),
    },
  };
}

/** Every port the network listens on, with the node that owns it. @param {Topology} t */
export function allPorts(t) {
  /** @type {{ port: number, owner: string }[]} */
  const list = [];
  for (const o of t.orderers) {
    list.push({ port: o.port, owner: `${o.name} (cluster/client)` });
    list.push({ port: o.adminPort, owner: `${o.name} (admin)` });
    list.push({ port: o.operationsPort, owner: `${o.name} (operations)` });
  }
  for (const p of t.peers) {
    list.push({ port: p.port, owner: `${p.name} (peer)` });
    list.push({ port: p.chaincodePort, owner: `${p.name} (chaincode listener)` });
    list.push({ port: p.operationsPort, owner: `${p.name} (operations)` });
  }
  for (const s of chaincodeServers(t)) list.push({ port: s.port, owner: s.name });
  for (const ca of [t.ordererOrg.ca, ...t.organizations.map((o) => o.ca)]) {
    list.push({ port: ca.port, owner: ca.name });
    list.push({ port: ca.operationsPort, owner: `${ca.name} (operations)` });
  }
  return list;
}

/** Every organization's chaincode servers. @param {Topology} t */
export function chaincodeServers(t) {
  return t.organizations.flatMap((o) => o.chaincodeServers);
}
