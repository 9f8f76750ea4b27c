// @ts-check
// The chaincode servers: one or two `fabric-chaincode-node server`s per organization, all running the
// deployed package ID, which `up` restarts after a `down` and `deploy` replaces on an upgrade.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { waitFor } from './health.mjs';
import { chaincodeServerEnv } from './node-env.mjs';
import { isRunning, portIsFree, readPidRecord, startProcess, stopProcess } from './processes.mjs';
import { chaincodeServers, repoRoot } from './topology.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {{ label: string, packageId: string, sequence: number }} Deployment */

/**
 * The name of an organization's first chaincode server (its only one by default).
 * @param {import('./topology.mjs').Organization} org
 */
export function chaincodeServerName(org) {
  return `chaincode-${org.name.toLowerCase()}`;
}

/** @param {Topology} t */
const deploymentFile = (t) => path.join(t.paths.chaincodeStateDir, 'deployed.json');

/** The last successful deployment, if any. @param {Topology} t @returns {Deployment | undefined} */
export function readDeployment(t) {
  try {
    return JSON.parse(fs.readFileSync(deploymentFile(t), 'utf8'));
  } catch {
    return undefined;
  }
}

/** @param {Topology} t @param {Deployment} deployment */
export function writeDeployment(t, deployment) {
  fs.mkdirSync(t.paths.chaincodeStateDir, { recursive: true });
  fs.writeFileSync(deploymentFile(t), JSON.stringify(deployment, null, 2) + '\n');
}

/** @param {number} port @param {string} host */
function portAccepts(port, host) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Keeps every chaincode server of every organization running the given package ID.
 * @param {Topology} t @param {string} packageId @param {(message: string) => void} say
 */
export async function ensureChaincodeServers(t, packageId, say) {
  const cli = path.join(repoRoot, 'node_modules', 'fabric-shim', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('fabric-shim is not installed: run npm install');
  const tls = (/** @type {string} */ f) => path.join(t.paths.chaincodeTlsDir, f);
  // Each server is independent: start them side by side.
  const ensureOne = async (/** @type {import('./topology.mjs').ChaincodeServerNode} */ server) => {
    const { name, port, org, address, listenAddress, netns } = server;
    const record = readPidRecord(t.paths.pidsDir, name);
    if (isRunning(record) && record?.args.includes(`--chaincode-id=${packageId}`)) return;
    if (isRunning(record)) {
      await stopProcess(t.paths.pidsDir, name);
      // An exiting process can leave /proc before its listening socket closes: wait for the port,
      // or the readiness check below would talk to the old server.
      await waitFor({
        name,
        timeoutMs: 10000,
        what: `port ${port} to be released`,
        check: async () => (netns === undefined ? portIsFree(port) : !(await portAccepts(port, address))),
      });
      say(`${name}: stopped the server of the previous package`);
    }
    const started = startProcess({
      pidsDir: t.paths.pidsDir,
      logsDir: t.paths.logsDir,
      name,
      command: process.execPath,
      args: [
        cli,
        'server',
        `--chaincode-address=${listenAddress}:${port}`,
        `--chaincode-id=${packageId}`,
        `--chaincode-tls-cert-file=${tls('server.crt')}`,
        `--chaincode-tls-key-file=${tls('server.key')}`,
        `--chaincode-tls-client-cacert-file=${tls('ca.crt')}`,
      ],
      env: chaincodeServerEnv(org),
      cwd: t.chaincode.dir,
      netns,
    });
    await waitFor({
      name,
      record: started,
      timeoutMs: 30000,
      what: `the chaincode server to listen on ${address}:${port}`,
      check: () => portAccepts(port, address),
    });
    say(`${name} serving ${packageId.slice(0, 40)}… on ${address}:${port} (pid ${started.pid})`);
  };
  await Promise.all(chaincodeServers(t).map(ensureOne));
}
