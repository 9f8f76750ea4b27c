import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { procStat } from '@adrecon/gateway';
import { runDir } from '../test/support/network-profile';

/** CPU milliseconds (user + system) of the network's processes, by kind. */
export interface NetworkCpu {
  chaincode: number;
  peer: number;
  orderer: number;
}

function kindOf(name: string): keyof NetworkCpu | undefined {
  if (name.startsWith('chaincode-')) return 'chaincode';
  if (name.startsWith('peer')) return 'peer';
  if (name.startsWith('orderer')) return 'orderer';
  return undefined;
}

/**
 * The CPU time the network's processes (from their recorded PIDs in `network/run/pids/`) have used so far: sampled
 * before and after a load, the difference is what the load cost them, whatever else shares the machine (wall-clock
 * rates on our shared 2-core machines move by 2× between runs; CPU time per transaction does not).
 */
export function networkCpu(): NetworkCpu {
  const total: NetworkCpu = { chaincode: 0, peer: 0, orderer: 0 };
  const dir = path.join(runDir, 'pids');
  if (!fs.existsSync(dir)) return total;
  for (const file of fs.readdirSync(dir)) {
    if (!file.endsWith('.json')) continue;
    const kind = kindOf(file.slice(0, -'.json'.length));
    if (kind === undefined) continue;
    try {
      const { pid } = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { pid: number };
      total[kind] += procStat(pid)?.cpuMs ?? 0;
    } catch {
      // A record being rewritten by the supervisor: counted at the next sample.
    }
  }
  return total;
}

/** The network CPU used per operation, in ms: by kind, and in all. */
export interface CpuPerOperation extends NetworkCpu {
  readonly total: number;
}

/** The network CPU used since `before` (a {@link networkCpu} sample), per operation. */
export function cpuSince(before: NetworkCpu, operations: number): CpuPerOperation {
  const after = networkCpu();
  const per = (k: keyof NetworkCpu) => (after[k] - before[k]) / Math.max(1, operations);
  const cpu = { chaincode: per('chaincode'), peer: per('peer'), orderer: per('orderer') };
  return { ...cpu, total: cpu.chaincode + cpu.peer + cpu.orderer };
}

/** `cpu` as one line: `network CPU per op 5.20 ms (chaincode 3.10, peers 2.00, orderer 0.10; load average 2.1)`. */
export function formatCpu(cpu: CpuPerOperation): string {
  return (
    `network CPU per op ${cpu.total.toFixed(2)} ms (chaincode ${cpu.chaincode.toFixed(2)}, peers ` +
    `${cpu.peer.toFixed(2)}, orderer ${cpu.orderer.toFixed(2)}; load average ${os.loadavg()[0]?.toFixed(1) ?? '?'})`
  );
}

/** The network CPU used since `before`, per operation, as one line ({@link formatCpu}). */
export function cpuPerOperation(before: NetworkCpu, operations: number): string {
  return formatCpu(cpuSince(before, operations));
}
