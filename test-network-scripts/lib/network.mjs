// @ts-check
// network up / down / status. Every step checks what is already there first, so `up` on a running
// network changes nothing and `up` after `down` resumes on the same ledgers. A failed `up` stops
// the processes that run started and names the node and log to read.
import fs from 'node:fs';
import path from 'node:path';
import { allCas, ensureCas } from './certificate-authorities.mjs';
import { ensureChaincodeServers, readDeployment } from './chaincode-servers.mjs';
import { ensureChaincodeTls, fabricSampleConfigDir, writeConfigFiles, writeNetworkProfile } from './config-files.mjs';
import { writeGatewayBundles } from './gateway-bundles.mjs';
import { fabric } from './fabric-cli.mjs';
import { ensureIdentities } from './identities.mjs';
import { healthy, listening, metricValue, NodeFailure, waitFor } from './health.mjs';
import { ordererEnv, peerAdminEnv, peerEnv } from './node-env.mjs';
import { isRunning, listPidRecords, portIsFree, readPidRecord, startProcess, stopProcess } from './processes.mjs';
import { ensureSupervisor, stopSupervisor, SUPERVISOR } from './supervisor.mjs';
import { allPorts, chaincodeServers, fabricBinDir } from './topology.mjs';
import { progress } from './progress.mjs';
import { committedDefinition } from './deploy.mjs';
import { ensureNamespaces, namespaceRecordFile, namespaceRows, removeNamespaces } from './namespaces.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */

/** @param {Topology} t */
function nodeNames(t) {
  return [...allCas(t).map((c) => c.name), ...t.orderers.map((o) => o.name), ...t.peers.map((p) => p.name)];
}

/**
 * Fails when a port we need is taken by something that is not one of our running processes.
 * @param {Topology} t @param {Set<number>} ourPorts ports owned by nodes already running
 */
async function checkPorts(t, ourPorts) {
  // In namespaces every node listens on its namespace's own address: no port of the root namespace is wanted.
  if (t.namespaces) return;
  const busy = [];
  for (const { port, owner } of allPorts(t)) {
    if (ourPorts.has(port)) continue;
    if (!(await portIsFree(port))) busy.push(`${port} (wanted by ${owner})`);
  }
  if (busy.length > 0) {
    throw new Error(
      `port${busy.length > 1 ? 's' : ''} already in use: ${busy.join(', ')}. ` +
        'Stop whatever holds them, or move the whole network with ADRECON_BASE_PORT (see docs/network.md).',
    );
  }
}

/**
 * Every identity from the organizations' CAs (enrolled once; later runs find them on disk), and the chaincode
 * servers' TLS material.
 * @param {Topology} t @param {ReturnType<typeof progress>} say
 */
async function ensureCrypto(t, say) {
  const started = Date.now();
  const made = await ensureIdentities(t);
  say(
    made > 0
      ? `identities enrolled from the CAs: ${made} certificates in ${Date.now() - started} ms`
      : 'crypto material checked (every identity already enrolled)',
  );
  if (ensureChaincodeTls(t)) say('chaincode TLS material generated (openssl)');
}

/** @param {Topology} t */
const basePortStamp = (t) => path.join(path.dirname(t.paths.genesisBlock), 'base-port');

/**
 * A channel's configuration holds its nodes' ports (anchor peers, orderer endpoints), so a run folder made with one
 * ADRECON_BASE_PORT cannot be started with another: its peers would dial the old ports, possibly another network's.
 * @param {Topology} t
 */
function checkBasePort(t) {
  if (!fs.existsSync(t.paths.genesisBlock) || !fs.existsSync(basePortStamp(t))) return;
  const recorded = Number(fs.readFileSync(basePortStamp(t), 'utf8').trim());
  if (recorded !== t.basePort) {
    throw new Error(
      `${t.paths.runDir} holds a channel made with ADRECON_BASE_PORT=${recorded}, not ${t.basePort}: start it with ` +
        `ADRECON_BASE_PORT=${recorded}, use another ADRECON_RUN_DIR, or wipe it with npm run network:down -- --clean`,
    );
  }
}

/** @param {Topology} t @param {ReturnType<typeof progress>} say */
async function ensureGenesisBlock(t, say) {
  if (fs.existsSync(t.paths.genesisBlock)) return;
  fs.mkdirSync(path.dirname(t.paths.genesisBlock), { recursive: true });
  await fabric('configtxgen', [
    '-configPath',
    t.paths.configDir,
    '-profile',
    'AdreconChannel',
    '-channelID',
    t.channel.name,
    '-outputBlock',
    t.paths.genesisBlock,
  ]);
  fs.writeFileSync(basePortStamp(t), `${t.basePort}\n`);
  say(`genesis block of channel ${t.channel.name} created`);
}

/** @param {Topology} t @param {import('./topology.mjs').OrdererNode} o */
function osnadminFlags(t, o) {
  const tls = t.ordererOrg.adminTlsDir;
  return [
    '-o',
    `${o.address}:${o.adminPort}`,
    '--ca-file',
    path.join(o.tlsDir, 'ca.crt'),
    '--client-cert',
    path.join(tls, 'client.crt'),
    '--client-key',
    path.join(tls, 'client.key'),
  ];
}

/** @param {Topology} t @param {import('./topology.mjs').OrdererNode} o */
async function ordererChannelInfo(t, o) {
  try {
    const { stdout } = await fabric('osnadmin', [
      'channel',
      'list',
      '--channelID',
      t.channel.name,
      ...osnadminFlags(t, o),
    ]);
    // osnadmin exits 0 whatever the HTTP status; it prints "Status: NNN" before the body.
    if (!/^Status: 200\b/m.test(stdout)) return undefined;
    return JSON.parse(stdout.slice(stdout.indexOf('{')));
  } catch {
    return undefined;
  }
}

/**
 * Starts a peer as a recorded process and waits until it is healthy and listens.
 * @param {Topology} t @param {import('./topology.mjs').PeerNode} p
 */
export async function startPeer(t, p) {
  fs.mkdirSync(p.dataDir, { recursive: true });
  const record = startProcess({
    pidsDir: t.paths.pidsDir,
    logsDir: t.paths.logsDir,
    name: p.name,
    command: path.join(fabricBinDir, 'peer'),
    args: ['node', 'start'],
    env: peerEnv(t, p),
    netns: p.netns,
  });
  await waitFor({
    name: p.name,
    record,
    timeoutMs: 30000,
    what: 'operations /healthz and its gRPC listener',
    // `peer channel join`/`list` dial the peer's own port, which may open after /healthz answers.
    check: async () => (await healthy(p.operationsPort, p.address)) && (await listening(p.port, 1000, p.address)),
  });
  return record;
}

/** Waits until every peer's gossip knows every other peer of the channel. @param {Topology} t */
export async function waitForGossip(t) {
  const others = t.peers.length - 1;
  for (const p of t.peers) {
    await waitFor({
      name: p.name,
      record: readPidRecord(t.paths.pidsDir, p.name),
      timeoutMs: 60000,
      what: `gossip to know the other ${others} peers`,
      check: async () =>
        (await metricValue(
          p.operationsPort,
          'gossip_membership_total_peers_known',
          { channel: t.channel.name },
          p.address,
        )) === others,
      intervalMs: 250,
    });
  }
}

/** Whether a peer has joined the channel. @param {Topology} t @param {import('./topology.mjs').PeerNode} p */
export async function peerHasJoined(t, p) {
  try {
    const { stdout } = await fabric('peer', ['channel', 'list'], { env: peerAdminEnv(t, p) });
    return stdout.split('\n').some((l) => l.trim() === t.channel.name);
  } catch {
    return false;
  }
}

/**
 * Brings the network up. Returns the names of the processes this call started.
 * @param {Topology} t
 */
export async function up(t) {
  const say = progress();
  if (!fs.existsSync(path.join(fabricBinDir, 'peer'))) {
    throw new Error('Fabric binaries are missing: run npm run fabric:install (npm start does it for you)');
  }
  checkBasePort(t);
  const { pidsDir, logsDir } = t.paths;
  const running = new Set(nodeNames(t).filter((n) => isRunning(readPidRecord(pidsDir, n))));
  const deployment = readDeployment(t);
  const serversDown = chaincodeServers(t).some((s) => !isRunning(readPidRecord(pidsDir, s.name)));
  if (running.size === nodeNames(t).length && !(deployment && serversDown)) {
    say(`network already running (${running.size} nodes): nothing to do`);
    writeNetworkProfile(t);
    writeGatewayBundles(t);
    const supervisor = ensureSupervisor(t);
    if (supervisor) say(`supervisor started (pid ${supervisor.pid})`);
    return [];
  }
  if (running.size > 0) say(`resuming: ${[...running].join(', ')} already running`);

  const sampleConfig = fabricSampleConfigDir();
  const changed = writeConfigFiles(t, sampleConfig);
  say(changed.length ? `config written: ${changed.join(', ')}` : 'config unchanged');

  const ourPorts = new Set();
  for (const ca of allCas(t)) if (running.has(ca.name)) [ca.port, ca.operationsPort].forEach((p) => ourPorts.add(p));
  for (const o of t.orderers)
    if (running.has(o.name)) [o.port, o.adminPort, o.operationsPort].forEach((p) => ourPorts.add(p));
  for (const p of t.peers)
    if (running.has(p.name)) [p.port, p.chaincodePort, p.operationsPort].forEach((x) => ourPorts.add(x));
  for (const server of chaincodeServers(t)) {
    if (isRunning(readPidRecord(pidsDir, server.name))) ourPorts.add(server.port);
  }
  await checkPorts(t, ourPorts);

  /** @type {string[]} */
  const started = [];
  try {
    // Without namespaces this does nothing; with them, the CAs and nodes below start inside them.
    ensureNamespaces(t, say);
    const caStart = Date.now();
    const cas = await ensureCas(t, say);
    started.push(...cas);
    if (cas.length > 0) say(`CAs started in ${Date.now() - caStart} ms`);
    await ensureCrypto(t, say);
    await ensureGenesisBlock(t, say);
    for (const o of t.orderers) {
      if (running.has(o.name)) continue;
      fs.mkdirSync(o.dataDir, { recursive: true });
      const record = startProcess({
        pidsDir,
        logsDir,
        name: o.name,
        command: path.join(fabricBinDir, 'orderer'),
        args: [],
        env: ordererEnv(t, o, sampleConfig),
        netns: o.netns,
      });
      started.push(o.name);
      await waitFor({
        name: o.name,
        record,
        timeoutMs: 30000,
        what: 'operations /healthz and the admin listener',
        // osnadmin joins the channel through the admin server, which may open after /healthz answers.
        check: async () =>
          (await healthy(o.operationsPort, o.address)) && (await listening(o.adminPort, 1000, o.address)),
      });
      say(`${o.name} healthy on ${o.address}:${o.port} (pid ${record.pid})`);
    }
    for (const p of t.peers) {
      if (running.has(p.name)) continue;
      started.push(p.name);
      const record = await startPeer(t, p);
      say(`${p.name} healthy on ${p.address}:${p.port} (pid ${record.pid})`);
    }

    for (const o of t.orderers) {
      if (!(await ordererChannelInfo(t, o))) {
        await fabric('osnadmin', [
          'channel',
          'join',
          '--channelID',
          t.channel.name,
          '--config-block',
          t.paths.genesisBlock,
          ...osnadminFlags(t, o),
        ]);
        say(`${o.name} joined channel ${t.channel.name}`);
      }
    }
    // A Raft leader exists once some node reports is_leader = 1. One orderer elects itself at once; several that
    // restart together on a slow disk may need a few election rounds (each vote is synced to the WAL), which took
    // over 30 s once on our 2-core machines under load, hence the generous bound.
    const firstOrderer = t.orderers[0];
    if (!firstOrderer) throw new Error('no orderer');
    await waitFor({
      name: 'orderers',
      timeoutMs: 120000,
      what: 'a Raft leader',
      check: async () => {
        for (const o of t.orderers) {
          const leader = await metricValue(
            o.operationsPort,
            'consensus_etcdraft_is_leader',
            { channel: t.channel.name },
            o.address,
          );
          if (leader === 1) return true;
        }
        return false;
      },
      intervalMs: 200,
    });
    say('Raft leader elected');

    for (const p of t.peers) {
      if (!(await peerHasJoined(t, p))) {
        await fabric('peer', ['channel', 'join', '-b', t.paths.genesisBlock], { env: peerAdminEnv(t, p) });
        say(`${p.name} joined channel ${t.channel.name}`);
      }
    }

    await waitForGossip(t);
    say(`gossip converged: every peer knows the other ${t.peers.length - 1}`);
    if (deployment) {
      // The chaincode was deployed before a `down`: its servers come back with the network.
      const before = new Set(
        chaincodeServers(t)
          .filter((s) => isRunning(readPidRecord(pidsDir, s.name)))
          .map((s) => s.name),
      );
      await ensureChaincodeServers(t, deployment.packageId, say);
      for (const s of chaincodeServers(t)) if (!before.has(s.name)) started.push(s.name);
    }
    writeNetworkProfile(t);
    writeGatewayBundles(t);
    const supervisor = ensureSupervisor(t);
    if (supervisor) say(`supervisor started (pid ${supervisor.pid}): restarts any of our processes that dies`);
    say(`network up: ${t.orderers.length} orderer(s), ${t.peers.length} peers, channel ${t.channel.name}`);
    return started;
  } catch (err) {
    if (started.length > 0) {
      console.error(`network up failed; stopping what this run started: ${started.join(', ')}`);
      for (const name of [...started].reverse()) await stopProcess(pidsDir, name);
    }
    throw err;
  }
}

/**
 * Stops every process we recorded (chaincode servers, peers, orderers, and anything else under the
 * PID folder such as the REST gateway). With clean, also removes everything the network wrote.
 * @param {Topology} t @param {{ clean?: boolean }} [options]
 */
export async function down(t, options = {}) {
  const say = progress();
  const supervisor = readPidRecord(t.paths.pidsDir, SUPERVISOR);
  if (supervisor) {
    const result = await stopSupervisor(t);
    say(`${SUPERVISOR}: ${result === 'stopped' ? `stopped (pid ${supervisor.pid})` : 'was not running'}`);
  }
  const records = listPidRecords(t.paths.pidsDir);
  const order = (/** @type {string} */ name) =>
    name.startsWith('gateway')
      ? 0
      : name.startsWith('chaincode-')
        ? 1
        : name.startsWith('peer')
          ? 2
          : name.startsWith('ca.')
            ? 4
            : 3;
  records.sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
  for (const r of records) {
    const result = await stopProcess(t.paths.pidsDir, r.name);
    say(`${r.name}: ${result === 'stopped' ? `stopped (pid ${r.pid})` : 'was not running'}`);
  }
  if (records.length === 0) say('no recorded processes');
  if (fs.existsSync(namespaceRecordFile(t.paths.runDir))) removeNamespaces(t, say);
  if (options.clean) {
    fs.rmSync(t.paths.runDir, { recursive: true, force: true });
    say(`removed ${path.relative(process.cwd(), t.paths.runDir) || t.paths.runDir} (ledgers, crypto, logs)`);
  }
}

/** Resident memory of a process in kB, from /proc. @param {number} pid */
function residentKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Reports each node and chaincode server. Resolves true when every orderer and peer runs and is healthy.
 * @param {Topology} t @param {{ quiet?: boolean }} [options]
 */
export async function status(t, options = {}) {
  const rows = [];
  let allUp = true;
  let totalRssKb = 0;
  const check = async (
    /** @type {string} */ name,
    /** @type {number} */ port,
    /** @type {number | undefined} */ opsPort,
    required = true,
    address = '127.0.0.1',
  ) => {
    const record = readPidRecord(t.paths.pidsDir, name);
    const runningNow = isRunning(record);
    const health =
      runningNow && opsPort !== undefined ? ((await healthy(opsPort, address)) ? 'healthy' : 'unhealthy') : '';
    if (required && (!runningNow || health === 'unhealthy')) allUp = false;
    const rssKb = runningNow && record ? residentKb(record.pid) : 0;
    totalRssKb += rssKb;
    const state = runningNow ? `running pid ${record?.pid}` : 'stopped';
    const memory = rssKb ? `${(rssKb / 1024).toFixed(0)} MiB` : '';
    const restarts = record?.restarts ? ` restarted ${record.restarts}× (last ${record.lastRestartAt})` : '';
    rows.push(
      `${name.padEnd(22)} ${state.padEnd(18)} ${`${address}:${String(port)}`.padEnd(16)} ${health.padEnd(9)} ${memory.padEnd(8)}${restarts}`,
    );
  };
  for (const ca of allCas(t)) await check(ca.name, ca.port, ca.operationsPort, true, ca.address);
  for (const o of t.orderers) await check(o.name, o.port, o.operationsPort, true, o.address);
  for (const p of t.peers) await check(p.name, p.port, p.operationsPort, true, p.address);
  for (const server of chaincodeServers(t)) await check(server.name, server.port, undefined, false, server.address);
  if (!options.quiet) {
    const supervisor = readPidRecord(t.paths.pidsDir, SUPERVISOR);
    rows.push(`${SUPERVISOR.padEnd(22)} ${isRunning(supervisor) ? `running pid ${supervisor?.pid}` : 'stopped'}`);
    for (const r of listPidRecords(t.paths.pidsDir)) {
      if (r.name.startsWith('gateway') && r.restarts)
        rows.push(`${r.name}: restarted ${r.restarts}× (last ${r.lastRestartAt})`);
    }
    const firstPeer = t.peers[0];
    if (allUp && firstPeer) {
      const committed = await committedDefinition(t, firstPeer);
      rows.push(
        committed
          ? `chaincode ${t.chaincode.name}: sequence ${committed.sequence}, version ${committed.version}`
          : `chaincode ${t.chaincode.name}: not committed`,
      );
    }
    rows.push(`resident memory of our processes: ${(totalRssKb / 1024).toFixed(0)} MiB`);
    /** @type {Map<string, string[]>} */
    const byNamespace = new Map();
    for (const r of listPidRecords(t.paths.pidsDir)) {
      if (r.netns !== undefined) byNamespace.set(r.netns, [...(byNamespace.get(r.netns) ?? []), r.name]);
    }
    rows.push(...namespaceRows(t, byNamespace));
    console.log(rows.join('\n'));
    console.log(allUp ? 'network: up' : 'network: not (fully) running');
  }
  return allUp;
}

export { NodeFailure };
