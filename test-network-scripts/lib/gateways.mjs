// @ts-check
// One REST gateway process per organization, each given only that organization's bundle (gateway-bundles.mjs)
// and its own API keys. Ports come from one base: organization k (its order in network.json) listens on base + k.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BUNDLE_PROFILE } from './gateway-bundles.mjs';
import { isRunning, logTail, portIsFree, readPidRecord, sleep, startProcess, stopProcess } from './processes.mjs';
import { fabricBinDir, repoRoot } from './topology.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./topology.mjs').Organization} Organization */

/**
 * @typedef {{ portBase: number, instance?: string, stateRoot?: string, readyTimeoutMs?: number,
 *   only?: string[] }} GatewayOptions `only`: the MSP IDs of the organizations whose gateways to start (all if absent)
 * @typedef {{ name: string, mspId: string, organization: string, pid: number, url: string, profile: string,
 *   apiKeysFile: string, credentialsFile: string, log: string }} RunningGateway
 */

const gatewayMain = path.join(repoRoot, 'gateway', 'dist', 'src', 'main.js');
const credentialsCli = path.join(repoRoot, 'gateway', 'dist', 'src', 'cli', 'create-demo-credentials.js');

/** The PID record name of an organization's gateway. @param {Organization} org @param {string} [instance] */
export function gatewayName(org, instance) {
  const folder = path.basename(org.gatewayDir);
  return instance ? `gateway-${instance}-${folder}` : `gateway-${folder}`;
}

/** Where one organization's gateway keeps its keys and state. @param {Organization} org @param {GatewayOptions} options */
function stateDirOf(org, options) {
  return options.stateRoot ? path.join(options.stateRoot, path.basename(org.gatewayDir)) : org.gatewayDir;
}

/** The environment of one organization's gateway: its own bundle and keys, nothing of another organization. */
function gatewayEnv(
  /** @type {Organization} */ org,
  /** @type {GatewayOptions} */ options,
  /** @type {number} */ port,
) {
  const stateDir = stateDirOf(org, options);
  return {
    ...process.env,
    PORT: String(port),
    ADRECON_ORGANIZATION: org.mspId,
    ADRECON_GATEWAY_PROFILE: path.join(org.gatewayDir, BUNDLE_PROFILE),
    ADRECON_API_KEYS_FILE: path.join(stateDir, 'api-keys.json'),
    ADRECON_STATE_DIR: path.join(stateDir, 'state'),
    // The gateway's user CLIs (demo credentials, add-user) register and enroll users with Fabric CA's client.
    ADRECON_FABRIC_CA_CLIENT: path.join(fabricBinDir, 'fabric-ca-client'),
  };
}

/** @param {string} url @returns {Promise<number>} the status of GET url, 0 when nothing answers */
async function statusOf(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status;
  } catch {
    return 0;
  }
}

/**
 * Starts every organization's gateway that is not running yet (demo API keys are created the first time, one
 * operations and one finance key per organization, beside its bundle or under `stateRoot`), then waits until each
 * answers `/readyz`. A gateway that exits while we wait fails the call with its log's last lines.
 * @param {Topology} t @param {GatewayOptions} options @returns {Promise<RunningGateway[]>}
 */
export async function startGateways(t, options) {
  if (!fs.existsSync(gatewayMain)) throw new Error(`${gatewayMain} is missing: build first (npx tsc -b)`);
  const host = process.env.HOST ?? '127.0.0.1';
  const plan = t.organizations
    .filter((org) => options.only === undefined || options.only.includes(org.mspId))
    .map((org) => ({ org, port: options.portBase + org.index, name: gatewayName(org, options.instance) }));
  const toStart = plan.filter((p) => !isRunning(readPidRecord(t.paths.pidsDir, p.name)));
  const busy = [];
  for (const p of toStart) if (!(await portIsFree(p.port))) busy.push(`${p.port} (${p.org.mspId})`);
  if (busy.length > 0) throw new Error(`REST gateway ports in use: ${busy.join(', ')}; choose another base with PORT`);
  for (const { org, port, name } of toStart) {
    const env = gatewayEnv(org, options, port);
    fs.mkdirSync(env.ADRECON_STATE_DIR, { recursive: true, mode: 0o700 });
    execFileSync(process.execPath, [credentialsCli], { env, stdio: 'ignore' });
    startProcess({
      pidsDir: t.paths.pidsDir,
      logsDir: t.paths.logsDir,
      name,
      command: process.execPath,
      args: [gatewayMain],
      env,
      cwd: repoRoot,
    });
  }
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  /** @type {RunningGateway[]} */
  const running = [];
  for (const { org, port, name } of plan) {
    const record = readPidRecord(t.paths.pidsDir, name);
    if (!record) throw new Error(`${name} has no PID record`);
    const url = `http://${host}:${port}`;
    while ((await statusOf(`${url}/readyz`)) !== 200) {
      if (!isRunning(record)) throw new Error(`${name} exited; last lines of ${record.log}:\n${logTail(record.log)}`);
      if (Date.now() > deadline) throw new Error(`${name} was not ready at ${url}/readyz in time; log: ${record.log}`);
      await sleep(250);
    }
    const env = gatewayEnv(org, options, port);
    running.push({
      name,
      mspId: org.mspId,
      organization: path.basename(org.gatewayDir),
      pid: record.pid,
      url,
      profile: env.ADRECON_GATEWAY_PROFILE,
      apiKeysFile: env.ADRECON_API_KEYS_FILE,
      credentialsFile: path.join(path.dirname(env.ADRECON_API_KEYS_FILE), 'demo-credentials.txt'),
      log: record.log,
    });
  }
  return running;
}

/** Stops the gateways of one instance (or `npm start`'s), by recorded PID. @param {Topology} t @param {string} [instance] */
export async function stopGateways(t, instance) {
  for (const org of t.organizations) await stopProcess(t.paths.pidsDir, gatewayName(org, instance));
}
