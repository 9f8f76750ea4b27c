import fs from 'node:fs';

/** Linux's clock ticks per second in `/proc` (USER_HZ, `getconf CLK_TCK`: 100 on every platform). */
const TICKS_PER_SECOND = 100;

/** What the tests and benches read of a Linux process in `/proc/<pid>/stat`. */
export interface ProcStat {
  /** The state letter (`R`, `S`, `Z` for a zombie, …). */
  readonly state: string;
  /** The start time in clock ticks since boot, as written (a process's identity together with its PID). */
  readonly startTicks: string;
  /** CPU time used so far, user + system, in ms. */
  readonly cpuMs: number;
}

/**
 * The process's state, start time and CPU time, or undefined when no process has the PID.
 * The command name (field 2) may hold spaces and parentheses: the fields after it start after the last ')'.
 */
export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields 3 onwards: state is field 3, utime and stime 14 and 15, starttime 22.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    state: fields[0] ?? '',
    startTicks: fields[19] ?? '',
    cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND,
  };
}

/**
 * Seconds since the epoch at which the process started (boot time + start ticks).
 * @throws {Error} when no process has the PID.
 */
export function processStartSeconds(pid: number): number {
  const stat = procStat(pid);
  if (stat === undefined) throw new Error(`no process ${String(pid)}`);
  const bootLine = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('btime '));
  return Number(bootLine?.split(' ')[1]) + Number(stat.startTicks) / TICKS_PER_SECOND;
}
