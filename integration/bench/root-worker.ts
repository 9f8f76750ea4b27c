/**
 * Worker thread of the publisher pipeline bench. Messages in: {@link RootTask}; out: {@link RootResult}.
 * A `root` task reads (here: makes) the records of one report, as a log reader would, and computes their Merkle
 * root (tree format version 2). A `load` task only makes a report's records and keeps them, so that a later `root`
 * task of the same report starts from records already in memory (what a publisher's log reader hands over), and
 * the pipeline's figure can be given with and without the cost of producing the records.
 */
import { parentPort } from 'node:worker_threads';

import { type ImpressionRecord, merkleRootOfRecords } from '@adrecon/merkle';

import { reportRecords } from './merkle-records';

/** One report's records: where they come from. */
export interface ReportRecordsSpec {
  readonly id: number;
  readonly campaignId: string;
  readonly lineItemId: string;
  readonly hourStartMs: number;
  readonly count: number;
}

/** Make a report's records and keep them in this worker (answered with a {@link RootResult} without a root). */
export interface LoadTask extends ReportRecordsSpec {
  readonly kind: 'load';
}

/** Root a report's records: those a `load` task kept, or else made now. */
export interface RootTask extends ReportRecordsSpec {
  readonly kind: 'root';
}

/**
 * What a task did, and the milliseconds the worker was busy making the records and hashing them (wall clock inside
 * the worker: `process.cpuUsage()` counts every thread of the process, so it cannot split the workers' CPU).
 */
export interface RootResult {
  readonly id: number;
  /** The root (`root` tasks), or undefined (`load` tasks). */
  readonly merkleRoot: string | undefined;
  readonly makeMs: number;
  readonly rootMs: number;
}

const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const loaded = new Map<number, ImpressionRecord[]>();

parentPort?.on('message', (task: LoadTask | RootTask) => {
  const started = process.hrtime.bigint();
  const kept = task.kind === 'root' ? loaded.get(task.id) : undefined;
  const records = kept ?? reportRecords(task.campaignId, task.lineItemId, task.id, task.hourStartMs, task.count);
  const makeMs = kept === undefined ? msSince(started) : 0;
  if (task.kind === 'load') {
    loaded.set(task.id, records);
    parentPort?.postMessage({ id: task.id, merkleRoot: undefined, makeMs, rootMs: 0 } satisfies RootResult);
    return;
  }
  loaded.delete(task.id);
  const made = process.hrtime.bigint();
  const merkleRoot = merkleRootOfRecords(records, { version: 2 });
  parentPort?.postMessage({ id: task.id, merkleRoot, makeMs, rootMs: msSince(made) } satisfies RootResult);
});
