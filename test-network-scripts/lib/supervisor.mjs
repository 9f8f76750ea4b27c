// @ts-check
// The supervisor: one process, started with the network, that restarts any recorded process of ours (orderer,
// peer, chaincode server, CA, REST gateway) that died, with the command, arguments and environment it was started
// with. It never touches a process that our scripts are stopping or that a test holds down (processes.mjs: hold).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isHeld, isRunning, listPidRecords, readPidRecord, sleep, startProcess, stopProcess } from './processes.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */

/** The supervisor's own name in the PID folder. */
export const SUPERVISOR = 'supervisor';

/** How often the supervisor looks at every recorded process. */
export const SUPERVISE_INTERVAL_MS = 500;

/** A process restarted this many times within {@link CRASH_LOOP_WINDOW_MS} waits before the next restart. */
const CRASH_LOOP_RESTARTS = 5;
const CRASH_LOOP_WINDOW_MS = 60_000;
const CRASH_LOOP_MAX_PAUSE_MS = 30_000;

const entryPoint = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fabric-network.mjs');

/**
 * Decides, for a crash-looping process, how long to wait before its next restart: none for the first
 * {@link CRASH_LOOP_RESTARTS} restarts in a minute, then doubling from 1 s up to 30 s.
 * @param {readonly number[]} restartTimes epoch ms of its recent restarts @param {number} now
 */
export function restartPauseMs(restartTimes, now) {
  const recent = restartTimes.filter((t) => now - t < CRASH_LOOP_WINDOW_MS);
  if (recent.length < CRASH_LOOP_RESTARTS) return 0;
  return Math.min(CRASH_LOOP_MAX_PAUSE_MS, 1000 * 2 ** (recent.length - CRASH_LOOP_RESTARTS));
}

/**
 * One look at every recorded process: restarts each one that is not running and not held.
 * @param {{ pidsDir: string, logsDir: string }} paths
 * @param {Map<string, number[]>} history restart times by name (kept by the caller across passes)
 * @param {(line: string) => void} log
 * @returns {string[]} the names restarted
 */
export function superviseOnce(paths, history, log) {
  const restarted = [];
  const now = Date.now();
  for (const record of listPidRecords(paths.pidsDir)) {
    if (record.name === SUPERVISOR || isRunning(record) || isHeld(paths.pidsDir, record.name)) continue;
    const times = history.get(record.name) ?? [];
    const pause = restartPauseMs(times, now);
    const last = times[times.length - 1] ?? 0;
    if (pause > 0 && now - last < pause) continue;
    const restarts = (record.restarts ?? 0) + 1;
    const started = startProcess({
      pidsDir: paths.pidsDir,
      logsDir: paths.logsDir,
      name: record.name,
      command: record.command,
      args: record.args,
      env: { ...process.env, ...record.env },
      cwd: record.cwd,
      netns: record.netns,
      restarts,
    });
    history.set(record.name, [...times.filter((t) => now - t < CRASH_LOOP_WINDOW_MS), now]);
    log(`restarted ${record.name}: pid ${record.pid} had exited; now pid ${started.pid} (restart ${restarts})`);
    restarted.push(record.name);
  }
  return restarted;
}

/**
 * Runs the supervisor in this process until SIGTERM/SIGINT or until the PID folder disappears.
 * @param {Topology} t
 */
export async function supervise(t) {
  const { pidsDir, logsDir } = t.paths;
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const log = (/** @type {string} */ line) => console.log(`${new Date().toISOString()} ${line}`);
  log(`supervising the processes recorded in ${pidsDir} every ${SUPERVISE_INTERVAL_MS} ms`);
  /** @type {Map<string, number[]>} */
  const history = new Map();
  while (!stopping && fs.existsSync(pidsDir)) {
    try {
      superviseOnce({ pidsDir, logsDir }, history, log);
    } catch (err) {
      log(`supervision pass failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    await sleep(SUPERVISE_INTERVAL_MS);
  }
  log('supervisor stopped');
}

/**
 * Starts the supervisor as a recorded process of its own, unless it runs already.
 * @param {Topology} t @returns {import('./processes.mjs').PidRecord | undefined} the new record, if started
 */
export function ensureSupervisor(t) {
  const { pidsDir, logsDir } = t.paths;
  if (isRunning(readPidRecord(pidsDir, SUPERVISOR))) return undefined;
  return startProcess({
    pidsDir,
    logsDir,
    name: SUPERVISOR,
    command: process.execPath,
    args: [entryPoint, 'supervise'],
    env: process.env,
  });
}

/** Stops the supervisor (first, so that it restarts nothing that is being stopped). @param {Topology} t */
export function stopSupervisor(t) {
  return stopProcess(t.paths.pidsDir, SUPERVISOR);
}
