import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot, runDir } from './network-profile';

interface PidRecord {
  name: string;
  pid: number;
  command: string;
  args: string[];
  startedAt: string;
  log: string;
}

const pidsDir = path.join(runDir, 'pids');
const forgerDir = path.join(repoRoot, 'integration', 'test', 'support', 'forger');

function readRecord(name: string): PidRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(pidsDir, `${name}.json`), 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/** Whether the recorded PID still runs the recorded program (a recycled PID belongs to someone else). */
function running(record: PidRecord): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${String(record.pid)}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => a === record.command || path.basename(a) === path.basename(record.command));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

/** The supervisor's hold marker: a held process is never restarted (test-network-scripts/lib/processes.mjs). */
const holdFile = (name: string) => path.join(pidsDir, `${name}.hold`);

async function stop(record: PidRecord): Promise<void> {
  // Held first, so that the supervisor does not start it again while and after it stops.
  fs.writeFileSync(holdFile(record.name), 'held by the colluding-servers test support\n');
  if (running(record)) {
    process.kill(record.pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (running(record) && Date.now() < deadline) await sleep(100);
    if (running(record)) process.kill(record.pid, 'SIGKILL');
    while (running(record)) await sleep(50);
  }
  fs.rmSync(path.join(pidsDir, `${record.name}.json`), { force: true });
  fs.rmSync(holdFile(record.name), { force: true });
}

function portOf(args: readonly string[]): number {
  const address = args.find((a) => a.startsWith('--chaincode-address='));
  const port = Number(address?.split(':').pop());
  if (!Number.isInteger(port)) throw new Error(`no --chaincode-address in ${args.join(' ')}`);
  return port;
}

/** The organization name used in the chaincode server's process name (`chaincode-<name>`). */
export type OrgName = string;

/**
 * Replaces the chaincode servers of the given organizations (e.g. `['publisher', 'agency']`) by the attacker
 * chaincode in `support/forger`, on the same address, package ID and TLS files: what colluding organizations can do
 * on their own hosts with chaincode as a service. Each forger is recorded under network/run/pids (so
 * `network:down` stops it too).
 */
export async function startForgers(orgs: readonly OrgName[]): Promise<void> {
  for (const org of orgs) {
    const record = readRecord(`chaincode-${org}`);
    if (record === undefined) throw new Error(`no chaincode server recorded for ${org}`);
    await stop(record);
    const port = portOf(record.args);
    const deadline = Date.now() + 10_000;
    while ((await portAccepts(port)) && Date.now() < deadline) await sleep(100);
    const name = `forger-${org}`;
    const log = path.join(runDir, 'logs', `${name}.log`);
    const fd = fs.openSync(log, 'a');
    const child = spawn(record.command, record.args, {
      cwd: forgerDir,
      env: process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not start the forger for ${org}`);
    child.unref();
    const forger: PidRecord = { ...record, name, pid: child.pid, startedAt: new Date().toISOString(), log };
    // An attacker's server, not a node of ours: the supervisor must never restart it.
    fs.writeFileSync(holdFile(name), 'an attacker chaincode server of the trust tests\n');
    fs.writeFileSync(path.join(pidsDir, `${name}.json`), JSON.stringify(forger, null, 2) + '\n');
    const ready = Date.now() + 30_000;
    while (!(await portAccepts(port))) {
      if (Date.now() > ready) throw new Error(`the forger of ${org} does not listen on ${String(port)}`);
      await sleep(100);
    }
  }
}

/** Stops the forgers started by {@link startForgers} (by their recorded PIDs). */
export async function stopForgers(orgs: readonly OrgName[]): Promise<void> {
  for (const org of orgs) {
    const record = readRecord(`forger-${org}`);
    if (record !== undefined) await stop(record);
  }
}
