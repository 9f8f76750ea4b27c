// @ts-check
// Processes we start: each one detached, with one log file and a PID record under network/run.
// We only ever signal PIDs we recorded, and only while /proc says the PID still runs the program we
// started (a recycled PID belongs to someone else).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * A process we started. `env` holds the variables that differ from the environment of the script that started it,
 * and every `ADRECON_*` setting it was started with (the supervisor adds them to its own environment to restart the
 * process the same way: it may have been started by another script, e.g. `network:up` while the REST gateways
 * came from `gateways` with settings of their own); `restarts` counts the supervisor's restarts of it.
 * `netns` names the network namespace it runs in (started through `ip netns exec`, which execs the command in
 * place: the recorded PID is the command's own).
 * @typedef {{ name: string, pid: number, command: string, args: string[], startedAt: string, log: string,
 *   env?: Record<string, string>, cwd?: string, restarts?: number, lastRestartAt?: string, netns?: string }} PidRecord
 */

/** @param {string} pidsDir @param {string} name */
const pidFile = (pidsDir, name) => path.join(pidsDir, `${name}.json`);

/**
 * The marker that tells the supervisor not to restart a process: set while our scripts stop it on purpose, and by
 * a test that takes a node down deliberately. @param {string} pidsDir @param {string} name
 */
export const holdFile = (pidsDir, name) => path.join(pidsDir, `${name}.hold`);

/** True when the process is held (not to be restarted). @param {string} pidsDir @param {string} name */
export const isHeld = (pidsDir, name) => fs.existsSync(holdFile(pidsDir, name));

/** Lets the supervisor restart the process again. @param {string} pidsDir @param {string} name */
export const release = (pidsDir, name) => fs.rmSync(holdFile(pidsDir, name), { force: true });

/**
 * The variables of `env` that the current environment lacks or has with another value, and our own settings.
 * @param {NodeJS.ProcessEnv} env
 */
function ownVariables(env) {
  /** @type {Record<string, string>} */
  const own = {};
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && (process.env[key] !== value || key.startsWith('ADRECON_'))) own[key] = value;
  return own;
}

/** @param {string} pidsDir @param {string} name @returns {PidRecord | undefined} */
export function readPidRecord(pidsDir, name) {
  try {
    return JSON.parse(fs.readFileSync(pidFile(pidsDir, name), 'utf8'));
  } catch {
    return undefined;
  }
}

/** @param {string} pidsDir @returns {PidRecord[]} */
export function listPidRecords(pidsDir) {
  if (!fs.existsSync(pidsDir)) return [];
  return fs
    .readdirSync(pidsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readPidRecord(pidsDir, f.slice(0, -'.json'.length)))
    .filter((r) => r !== undefined);
}

/**
 * True when the recorded PID is alive and still runs the recorded program. A process whose command line reads
 * empty is in the middle of an exec (`ip netns exec` replacing itself with the node's binary: the kernel shows no
 * arguments while the new program is loaded) unless it is a zombie, whose command line is empty too.
 * @param {PidRecord | undefined} record
 */
export function isRunning(record) {
  if (!record) return false;
  let cmdline;
  try {
    cmdline = fs.readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    if (cmdline === '') {
      // /proc/<pid>/stat: "pid (comm) state …"; comm may hold spaces and parentheses, the state follows the last ')'.
      const stat = fs.readFileSync(`/proc/${record.pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state !== 'Z' && state !== 'X';
    }
  } catch {
    return false;
  }
  const argv = cmdline.split('\0');
  return argv.some((a) => a === record.command || path.basename(a) === path.basename(record.command));
}

/**
 * Starts a detached process whose output goes to its own log file, and records its PID (and how to start it
 * again: the supervisor restarts it from this record if it dies). Starting a process releases its hold. With
 * `netns`, it runs in that network namespace.
 * @param {{ pidsDir: string, logsDir: string, name: string, command: string, args: string[],
 *   env: NodeJS.ProcessEnv, cwd?: string, restarts?: number, netns?: string }} options
 * @returns {PidRecord}
 */
export function startProcess({ pidsDir, logsDir, name, command, args, env, cwd, restarts, netns }) {
  fs.mkdirSync(pidsDir, { recursive: true });
  fs.mkdirSync(logsDir, { recursive: true });
  const log = path.join(logsDir, `${name}.log`);
  const fd = fs.openSync(log, 'a');
  fs.writeSync(fd, `\n===== ${new Date().toISOString()} starting ${name}: ${command} ${args.join(' ')}\n`);
  const child =
    netns === undefined
      ? spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', fd, fd] })
      : spawn('ip', ['netns', 'exec', netns, command, ...args], {
          env,
          cwd,
          detached: true,
          stdio: ['ignore', fd, fd],
        });
  fs.closeSync(fd);
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  child.unref();
  /** @type {PidRecord} */
  const startedAt = new Date().toISOString();
  const record = {
    name,
    pid: child.pid,
    command,
    args,
    startedAt,
    log,
    env: ownVariables(env),
    ...(cwd === undefined ? {} : { cwd }),
    ...(netns === undefined ? {} : { netns }),
    ...(restarts === undefined ? {} : { restarts, lastRestartAt: startedAt }),
  };
  // The environment names key and certificate files, never their contents; still, only we may read it.
  fs.writeFileSync(pidFile(pidsDir, name), JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
  release(pidsDir, name);
  return record;
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops a recorded process: SIGTERM, then SIGKILL after a grace period. Removes its PID record.
 * @param {string} pidsDir @param {string} name @param {number} [graceMs]
 * @returns {Promise<'stopped' | 'not running'>}
 */
export async function stopProcess(pidsDir, name, graceMs = 10000) {
  const record = readPidRecord(pidsDir, name);
  // Held first, so that the supervisor does not start it again while it stops.
  if (record) fs.writeFileSync(holdFile(pidsDir, name), 'stopping\n');
  let result = /** @type {'stopped' | 'not running'} */ ('not running');
  if (record && isRunning(record)) {
    result = 'stopped';
    try {
      process.kill(record.pid, 'SIGTERM');
    } catch {
      // exited between the check and the signal
    }
    const deadline = Date.now() + graceMs;
    while (isRunning(record) && Date.now() < deadline) await sleep(100);
    if (isRunning(record)) {
      try {
        process.kill(record.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      while (isRunning(record)) await sleep(50);
    }
  }
  fs.rmSync(pidFile(pidsDir, name), { force: true });
  release(pidsDir, name);
  return result;
}

/** Resolves true when nothing listens on 127.0.0.1:port. @param {number} port */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The last lines of a log file. @param {string} file @param {number} [lines] */
export function logTail(file, lines = 15) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
