import { procStat } from '../proc-stat';

/** Slack between a process's start and a claim, for the rounding of the start time and small clock steps. */
const START_SLACK_MS = 5_000;

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
