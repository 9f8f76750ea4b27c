/**
 * Throughput of Merkle roots of 10,000-record batches: `node merkle/dist/bench/root-throughput.js [records] [runs]`.
 * Prints the median time per root and the records per second it implies, for records (validate, encode, hash) and
 * for pre-encoded leaves (hash only), and the cost of one node:crypto SHA-256 call, the floor of a root of n leaves
 * being 2n - 1 such calls.
 */
import { hash } from 'node:crypto';

import { encodeImpressionRecord, merkleRoot, merkleRootOfRecords, type ImpressionRecord } from '../src/index.js';

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

function medianMs(task: () => void): number {
  for (let warmup = 0; warmup < 5; warmup++) {
    task();
  }
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    task();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

function report(label: string, ms: number): void {
  const perSecond = Math.round((recordCount / ms) * 1000);
  console.log(`${label}: ${ms.toFixed(2)} ms per root, ${perSecond.toLocaleString('en-US')} records/s`);
}

const records = makeRecords(recordCount);
const leaves = records.map(encodeImpressionRecord);
console.log(`merkle root throughput: ${recordCount} records per root, median of ${runs} runs, node ${process.version}`);
report(
  'merkleRootOfRecords (validate + encode + hash)',
  medianMs(() => merkleRootOfRecords(records)),
);
report(
  'merkleRoot (pre-encoded leaves, hash only)',
  medianMs(() => merkleRoot(leaves)),
);

const nodeInput = Buffer.alloc(65, 1);
const callMs = medianMs(() => {
  for (let call = 0; call < recordCount; call++) {
    hash('sha256', nodeInput, 'buffer');
  }
});
console.log(
  `node:crypto SHA-256 of 65 bytes: ${((callMs * 1000) / recordCount).toFixed(2)} µs per call; ` +
    `floor for ${recordCount} records (${2 * recordCount - 1} calls): ${((callMs * (2 * recordCount - 1)) / recordCount).toFixed(2)} ms`,
);
