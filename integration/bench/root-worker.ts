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

/** A root, and the CPU milliseconds the worker spent making the records and hashing them. */
export interface RootResult {
  readonly id: number;
  readonly merkleRoot: string;
  readonly makeCpuMs: number;
  readonly rootCpuMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

parentPort?.on('message', (task: RootTask) => {
  const started = process.cpuUsage();
  const records = reportRecords(task.campaignId, task.lineItemId, task.id, task.hourStartMs, task.count);
  const makeCpuMs = cpuMs(started);
  const made = process.cpuUsage();
  const merkleRoot = merkleRootOfRecords(records, { version: 2 });
  const result: RootResult = { id: task.id, merkleRoot, makeCpuMs, rootCpuMs: cpuMs(made) };
  parentPort?.postMessage(result);
});
