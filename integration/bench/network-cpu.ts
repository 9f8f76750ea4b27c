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

/** The network CPU used since `before`, per operation, as one line: `chaincode 3.1 + peers 2.0 + orderer 0.1 ms`. */
export function cpuPerOperation(before: NetworkCpu, operations: number): string {
  const after = networkCpu();
  const per = (k: keyof NetworkCpu) => (after[k] - before[k]) / Math.max(1, operations);
  const sum = per('chaincode') + per('peer') + per('orderer');
  return (
    `network CPU per op ${sum.toFixed(2)} ms (chaincode ${per('chaincode').toFixed(2)}, peers ` +
    `${per('peer').toFixed(2)}, orderer ${per('orderer').toFixed(2)}; load average ${os.loadavg()[0]?.toFixed(1) ?? '?'})`
  );
}
