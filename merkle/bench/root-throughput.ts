/**
 * Throughput of Merkle roots of 10,000-record batches: `node merkle/dist/bench/root-throughput.js [records] [runs]`.
 * Prints, side by side and measured in alternating runs (so that the load of the shared machine falls on both
 * alike), the median wall-clock and on-CPU time per root and the records per second they imply for tree format
 * version 1 (one
 * `node:crypto` call per hash, as before) and version 2 (batched), for records (validate, encode, hash) and for
 * pre-encoded leaves (hash only), and the cost of one SHA-256 of 64/65 bytes each way.
 */
import { hash } from 'node:crypto';

import {
  batchSha256,
  encodeImpressionRecord,
  merkleRoot,
  merkleRootOfRecords,
  type ImpressionRecord,
} from '../src/index.js';

const recordCount = Number(process.argv[2] ?? '10000');
const runs = Number(process.argv[3] ?? '50');

function makeRecords(count: number): ImpressionRecord[] {
  const start = Date.UTC(2026, 10, 1);
  return Array.from({ length: count }, (_, index) => ({
    impressionId: `imp-${index.toString(16).padStart(12, '0')}-4f1c9a7e2b`,
    timestamp: new Date(start + index * 37).toISOString(),
    campaignId: 'cmp-2026-q4-brand',
    lineItemId: 'li-homepage-top',
    placementId: `pl-${index % 17}`,
    ...(index % 3 === 0 ? { creativeId: `cr-${index % 5}` } : {}),
  }));
}

/** Wall-clock and on-CPU (user + system) milliseconds of one run. */
interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? Number.NaN;
}

/**
 * Median wall-clock and on-CPU milliseconds of each task, the tasks run in turn so that they share the machine's
 * moods. On a shared machine the CPU time is the better measure of the cost on one core: it leaves out the time the
 * process waited for a core.
 */
function medians(tasks: readonly (() => void)[]): Sample[] {
  for (let warmup = 0; warmup < 5; warmup++) {
    tasks.forEach((task) => {
      task();
    });
  }
  const walls = tasks.map((): number[] => []);
  const cpus = tasks.map((): number[] => []);
  for (let run = 0; run < runs; run++) {
    tasks.forEach((task, index) => {
      const cpuBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      task();
      walls[index]?.push(Number(process.hrtime.bigint() - started) / 1e6);
      const cpu = process.cpuUsage(cpuBefore);
      cpus[index]?.push((cpu.user + cpu.system) / 1000);
    });
  }
  return tasks.map((_, index) => ({ wallMs: median(walls[index] ?? []), cpuMs: median(cpus[index] ?? []) }));
}

const rate = (ms: number): string => Math.round((recordCount / ms) * 1000).toLocaleString('en-US');

function line(label: string, sample: Sample): string {
  return (
    `${label.padEnd(58)} wall ${sample.wallMs.toFixed(2).padStart(7)} ms ${rate(sample.wallMs).padStart(10)} records/s` +
    `   cpu ${sample.cpuMs.toFixed(2).padStart(7)} ms ${rate(sample.cpuMs).padStart(10)} records/s`
  );
}

const records = makeRecords(recordCount);
const leaves = records.map(encodeImpressionRecord);
const hasher = batchSha256();
console.log(
  `merkle root throughput: ${recordCount} records per root, median of ${runs} alternating runs, node ${process.version}, batch hasher ${hasher.name}`,
);
const none: Sample = { wallMs: Number.NaN, cpuMs: Number.NaN };
const [recordsV1 = none, recordsV2 = none, leavesV1 = none, leavesV2 = none] = medians([
  () => merkleRootOfRecords(records, { version: 1 }),
  () => merkleRootOfRecords(records, { version: 2 }),
  () => merkleRoot(leaves, { version: 1 }),
  () => merkleRoot(leaves, { version: 2 }),
]);
console.log(line('v1 before-style, one call per hash: validate + encode + hash', recordsV1));
console.log(line('v2 batched: validate + encode + hash', recordsV2));
console.log(
  `  speed-up: wall ${(recordsV1.wallMs / recordsV2.wallMs).toFixed(1)}x, cpu ${(recordsV1.cpuMs / recordsV2.cpuMs).toFixed(1)}x`,
);
console.log(line('v1 before-style: pre-encoded leaves, hash only', leavesV1));
console.log(line('v2 batched: pre-encoded leaves, hash only', leavesV2));

const message65 = Buffer.alloc(65, 1);
const messages64 = new Uint8Array(64 * recordCount).fill(1);
const digests = new Uint8Array(32 * recordCount);
const [oneByOne = none, batched = none] = medians([
  () => {
    for (let call = 0; call < recordCount; call++) {
      hash('sha256', message65, 'buffer');
    }
  },
  () => {
    hasher.hashPairsInto(messages64, digests);
  },
]);
console.log(
  `SHA-256 of one node (wall): node:crypto one call each (65 bytes) ${((oneByOne.wallMs * 1000) / recordCount).toFixed(3)} µs; ` +
    `batched (64 bytes, ${recordCount} per call) ${((batched.wallMs * 1000) / recordCount).toFixed(3)} µs`,
);
