import * as fs from 'node:fs';

/** Linux's clock ticks per second for `/proc/<pid>/stat` start times (`getconf CLK_TCK`, 100 on every platform). */
const CLOCK_TICKS_PER_SECOND = 100;
/** Slack between a process's start and a claim, for the rounding of the start time and small clock steps. */
const START_SLACK_MS = 5_000;

function bootTimeMs(): number | undefined {
  try {
    const line = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('btime '));
    return line === undefined ? undefined : Number(line.slice('btime '.length)) * 1000;
  } catch {
    return undefined;
  }
}

/** The state letter and start time (epoch ms) of a Linux process, or undefined where `/proc` cannot tell. */
function procStat(pid: number): { state: string; startedAtMs: number | undefined } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: the fields after it start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const boot = bootTimeMs();
  const ticks = Number(fields[19]);
  return {
    state: fields[0] ?? '',
    startedAtMs:
      boot === undefined || !Number.isFinite(ticks) ? undefined : boot + (ticks * 1000) / CLOCK_TICKS_PER_SECOND,
  };
}

/**
 * True when the gateway process that claimed an idempotency key at `claimedAt` (epoch ms) can no longer answer
 * the request: no process has its PID; or (on Linux) the PID is a zombie, a process that exited but that nobody
 * has reaped yet (which `kill(pid, 0)` still finds, for as long as its parent does not wait for it: in a container
 * whose first process does not reap orphans, forever); or the PID now belongs to a process started after the claim
 * (the PID was reused). A claim whose owner is gone blocks retries of the key for no one, so it may be taken over.
 */
export function claimOwnerIsGone(pid: number, claimedAt: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return true;
  }
  const stat = procStat(pid);
  if (stat === undefined) return false;
  if (stat.state === 'Z' || stat.state === 'X') return true;
  return stat.startedAtMs !== undefined && stat.startedAtMs > claimedAt + START_SLACK_MS;
}
