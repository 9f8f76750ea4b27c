// @ts-check
// One Fabric CA server per organization (the orderer organization included), run as a recorded process like the
// nodes. Its home folder under network/run/ca/<org> keeps its key, its certificate and its registry (SQLite) across
// `down`/`up`; only `down --clean` removes it. TLS is on: the server presents a certificate its own CA issued for
// its address (127.0.0.1, or its namespace's), 127.0.0.1 and localhost, so clients trust the CA certificate alone.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { healthy, listening, waitFor } from './health.mjs';
import { isRunning, readPidRecord, startProcess } from './processes.mjs';
import { fabricBinDir } from './topology.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./topology.mjs').CaNode} CaNode */

/** The bootstrap registrar's enrollment ID on every CA. */
export const REGISTRAR_ID = 'registrar';

/** Every CA of the network: the orderer organization's first. @param {Topology} t @returns {CaNode[]} */
export function allCas(t) {
  return [t.ordererOrg.ca, ...t.organizations.map((o) => o.ca)];
}

/**
 * The bootstrap registrar's secret, made once per CA and kept (mode 0600) beside the CA's client folder.
 * @param {CaNode} ca
 */
export function registrarSecret(ca) {
  const file = path.join(ca.clientDir, 'registrar.secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(ca.clientDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(18).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** Environment of a CA server: nothing of ours that Fabric CA would read as its configuration. @param {CaNode} ca */
function caEnv(ca) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FABRIC_')) env[k] = v;
  env.FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS = `${ca.address}:${ca.operationsPort}`;
  env.FABRIC_CA_SERVER_METRICS_PROVIDER = 'prometheus';
  return env;
}

/**
 * Starts every CA that is not running (all at once: each is a separate process) and waits until each answers.
 * @param {Topology} t @param {(line: string) => void} say @returns {Promise<string[]>} the names of the CAs started
 */
export async function ensureCas(t, say) {
  const { pidsDir, logsDir } = t.paths;
  const toStart = allCas(t).filter((ca) => !isRunning(readPidRecord(pidsDir, ca.name)));
  const records = toStart.map((ca) => {
    fs.mkdirSync(ca.homeDir, { recursive: true, mode: 0o700 });
    return {
      ca,
      record: startProcess({
        pidsDir,
        logsDir,
        name: ca.name,
        command: path.join(fabricBinDir, 'fabric-ca-server'),
        args: [
          'start',
          '--home',
          ca.homeDir,
          '--address',
          ca.address,
          '--port',
          String(ca.port),
          '-b',
          `${REGISTRAR_ID}:${registrarSecret(ca)}`,
          '--ca.name',
          ca.name,
          '--csr.cn',
          ca.name,
          '--csr.hosts',
          [...new Set([ca.address, '127.0.0.1', 'localhost'])].join(','),
          '--tls.enabled',
          '--crl.expiry',
          '8760h',
        ],
        env: caEnv(ca),
        netns: ca.netns,
      }),
    };
  });
  await Promise.all(
    records.map(({ ca, record }) =>
      waitFor({
        name: ca.name,
        record,
        timeoutMs: 30000,
        what: 'operations /healthz and its TLS listener',
        check: async () =>
          fs.existsSync(ca.certFile) &&
          (await healthy(ca.operationsPort, ca.address)) &&
          (await listening(ca.port, 1000, ca.address)),
      }),
    ),
  );
  if (records.length > 0)
    say(`Fabric CAs up: ${records.map(({ ca, record }) => `${ca.name} (pid ${record.pid})`).join(', ')}`);
  return records.map(({ ca }) => ca.name);
}
