/**
 * Worker thread of the publisher pipeline bench: reads (here: makes) the records of one report, as a log reader
 * would, and computes their Merkle root (tree format version 2). Messages in: {@link RootTask}; out:
 * {@link RootResult}.
 */
import { parentPort } from 'node:worker_threads';

import { merkleRootOfRecords } from '@adrecon/merkle';

import { reportRecords } from './merkle-records';

/** One report's records to root. */
export interface RootTask {
  readonly id: number;
  readonly campaignId: string;
  readonly lineItemId: string;
  readonly hourStartMs: number;
  readonly count: number;
}

/**
 * A root, and the milliseconds the worker was busy making the records and hashing them (wall clock inside the
 * worker: `process.cpuUsage()` counts every thread of the process, so it cannot split the workers' CPU).
 */
export interface RootResult {
  readonly id: number;
  readonly merkleRoot: string;
  readonly makeMs: number;
  readonly rootMs: number;
}

const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

parentPort?.on('message', (task: RootTask) => {
  const started = process.hrtime.bigint();
  const records = reportRecords(task.campaignId, task.lineItemId, task.id, task.hourStartMs, task.count);
  const makeMs = msSince(started);
  const made = process.hrtime.bigint();
  const merkleRoot = merkleRootOfRecords(records, { version: 2 });
  const result: RootResult = { id: task.id, merkleRoot, makeMs, rootMs: msSince(made) };
  parentPort?.postMessage(result);
});
