import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { procStat } from '@adrecon/gateway';
import { repoRoot, runDir } from './network-profile';

/** What a script printed, and its exit code. */
export interface ScriptResult {
  code: number;
  output: string;
}

/** Runs one of our network scripts, whatever its outcome: its exit code and everything it printed. */
export function runScriptResult(
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [path.join(repoRoot, 'test-network-scripts', script), ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/** Runs one of our network scripts and returns what it printed; rejects with its output on failure. */
export async function runScript(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const result = await runScriptResult(script, args, env);
  if (result.code !== 0) throw new Error(`${script} failed (exit ${String(result.code)}):\n${result.output}`);
  return result.output;
}

interface PidRecord {
  name: string;
  pid: number;
  command: string;
  startedAt: string;
}

/**
 * Sends a signal to a recorded process, only while its PID still runs the recorded program and started when the
 * record says (a recycled PID belongs to someone else). `dir` is the run folder (the shared network's by default).
 * @returns the PID signalled.
 * @throws {Error} when the record is missing or no longer matches the running process.
 */
export function signalRecorded(name: string, signal: NodeJS.Signals, dir: string = runDir): number {
  const file = path.join(dir, 'pids', `${name}.json`);
  const record = JSON.parse(fs.readFileSync(file, 'utf8')) as PidRecord;
  const cmdline = fs.readFileSync(`/proc/${String(record.pid)}/cmdline`, 'utf8').split('\0');
  if (!cmdline.some((a) => path.basename(a) === path.basename(record.command))) {
    throw new Error(`pid ${String(record.pid)} no longer runs ${record.command}`);
  }
  const startedAtMs = procStat(record.pid)?.startedAtMs;
  if (startedAtMs === undefined) throw new Error(`pid ${String(record.pid)}: no start time in /proc`);
  const drift = Math.abs(startedAtMs - Date.parse(record.startedAt)) / 1000;
  if (drift > 5) throw new Error(`pid ${String(record.pid)} started ${drift.toFixed(1)} s away from its record`);
  process.kill(record.pid, signal);
  return record.pid;
}

/**
 * Stops a recorded process (SIGTERM, checked as {@link signalRecorded} does) and waits until it has exited. It is
 * held down (the supervisor does not restart it) until `network-up.sh` starts it again.
 * @throws {Error} when it is still running after `timeoutMs`.
 */
export async function stopRecorded(name: string, dir: string = runDir, timeoutMs = 30_000): Promise<void> {
  // Held, so that the supervisor leaves it down until network-up.sh starts it again.
  fs.writeFileSync(path.join(dir, 'pids', `${name}.hold`), 'held by a test\n');
  const pid = signalRecorded(name, 'SIGTERM', dir);
  const deadline = Date.now() + timeoutMs;
  while (fs.existsSync(`/proc/${String(pid)}`)) {
    if (Date.now() > deadline)
      throw new Error(`${name} (pid ${String(pid)}) still runs ${String(timeoutMs)} ms after SIGTERM`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The PIDs recorded under network/run/pids, by process name. */
export function recordedPids(): Record<string, number> {
  const dir = path.join(runDir, 'pids');
  const pids: Record<string, number> = {};
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    const record = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { name: string; pid: number };
    pids[record.name] = record.pid;
  }
  return pids;
}

/** The committed chaincode sequence, as `network:status` reports it. */
export async function committedSequence(): Promise<number> {
  const out = await runScript('network-status.sh');
  const match = /sequence (\d+)/.exec(out);
  if (!match?.[1]) throw new Error(`network:status printed no chaincode sequence:\n${out}`);
  return Number(match[1]);
}
