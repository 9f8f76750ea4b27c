import * as fs from 'node:fs';

/** Linux's clock ticks per second in `/proc` (USER_HZ, `getconf CLK_TCK`: 100 on every platform). */
const TICKS_PER_SECOND = 100;

/** What `/proc/<pid>/stat` tells of a Linux process. */
export interface ProcStat {
  /** The state letter (`R`, `S`, `Z` for a zombie, `X` for dead, …). */
  readonly state: string;
  /** The start time in clock ticks since boot, as written: with the PID, the process's identity. */
  readonly startTicks: string;
  /** When the process started (epoch ms), or undefined where `/proc/stat` gives no boot time. */
  readonly startedAtMs: number | undefined;
  /** CPU time used so far, user + system, in ms. */
  readonly cpuMs: number;
}

let bootTime: { ms: number | undefined } | undefined;

/** The machine's boot time (epoch ms) from `/proc/stat`, read once: it does not change while the machine runs. */
function bootTimeMs(): number | undefined {
  if (bootTime === undefined) {
    let ms: number | undefined;
    try {
      const line = fs
        .readFileSync('/proc/stat', 'utf8')
        .split('\n')
        .find((l) => l.startsWith('btime '));
      ms = line === undefined ? undefined : Number(line.slice('btime '.length)) * 1000;
    } catch {
      ms = undefined;
    }
    bootTime = { ms };
  }
  return bootTime.ms;
}

/**
 * The state, start and CPU time of a Linux process, or undefined when `/proc` has no such process (or no `/proc`).
 * The command name (field 2) may hold spaces and parentheses: the fields after it start after the last ')'.
 */
export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // From field 3 on: the state is field 3, utime and stime 14 and 15, starttime 22.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const startTicks = fields[19] ?? '';
  const boot = bootTimeMs();
  const ticks = Number(startTicks);
  return {
    state: fields[0] ?? '',
    startTicks,
    startedAtMs: boot === undefined || !Number.isFinite(ticks) ? undefined : boot + (ticks * 1000) / TICKS_PER_SECOND,
    cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND,
  };
}
