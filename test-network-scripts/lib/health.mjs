// @ts-check
// Readiness checks that ask the nodes themselves: operations /healthz, Prometheus metrics, and
// "still running" from /proc, so a node that dies while we wait fails fast with its log.
import net from 'node:net';
import { LOOPBACK } from './addressing.mjs';
import { isRunning, logTail, sleep } from './processes.mjs';

/** @param {string} url @param {number} [timeoutMs] */
export async function httpGet(url, timeoutMs = 2000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(url, { signal: controller.signal });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: '' };
  } finally {
    clearTimeout(timer);
  }
}

/** Thrown when a process we wait for exits, or a wait runs out; carries the log to read. */
export class NodeFailure extends Error {
  /** @param {string} node @param {string} reason @param {string} [log] */
  constructor(node, reason, log) {
    super(`${node}: ${reason}${log ? `\n  log: ${log}\n  last lines:\n${logTail(log).replace(/^/gm, '    ')}` : ''}`);
    this.name = 'NodeFailure';
    this.node = node;
    this.log = log;
  }
}

/**
 * Polls `check` until it returns true; fails when the watched process dies or time runs out.
 * @param {{ name: string, record?: import('./processes.mjs').PidRecord, timeoutMs: number,
 *   what: string, check: () => Promise<boolean>, intervalMs?: number }} options
 */
export async function waitFor({ name, record, timeoutMs, what, check, intervalMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (record && !isRunning(record)) throw new NodeFailure(name, `exited while waiting for ${what}`, record.log);
    if (Date.now() > deadline)
      throw new NodeFailure(name, `timed out after ${timeoutMs / 1000} s waiting for ${what}`, record?.log);
    await sleep(intervalMs);
  }
}

/**
 * True when something accepts TCP connections on `host`:`port` (a listener that has no health endpoint of its
 * own, such as the orderer's admin server, which starts after its operations server says healthy).
 * @param {number} port @param {number} [timeoutMs] @param {string} [host] the node's address (addressing.mjs)
 */
export function listening(port, timeoutMs = 1000, host = LOOPBACK) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (/** @type {boolean} */ ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** @param {number} port @param {string} [host] the node's address (addressing.mjs) */
export async function healthy(port, host = LOOPBACK) {
  return (await httpGet(`http://${host}:${port}/healthz`)).status === 200;
}

/**
 * Reads one Prometheus gauge: the sum over series whose labels include all of `labels`.
 * @param {number} port @param {string} metric @param {Record<string, string>} [labels]
 * @param {string} [host] the node's address (addressing.mjs)
 */
export async function metricValue(port, metric, labels = {}, host = LOOPBACK) {
  const { status, body } = await httpGet(`http://${host}:${port}/metrics`);
  if (status !== 200) return undefined;
  let total;
  for (const line of body.split('\n')) {
    if (!line.startsWith(metric)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== metric) continue;
    const labelText = m[2] ?? '';
    if (!Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) continue;
    total = (total ?? 0) + Number(m[3]);
  }
  return total;
}
