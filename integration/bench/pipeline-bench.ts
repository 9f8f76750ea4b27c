import path from 'node:path';
import { Worker } from 'node:worker_threads';

import { uniqueId } from '../test/support/campaign-fixtures';
import { connectParties } from '../test/support/fabric-connection';
import type { NetworkProfile } from '../test/support/network-profile';
import { http, startRestGateway } from '../test/support/rest-gateway';
import { activeCampaign, hourSlots } from './campaign-setup';
import type { RootResult, RootTask } from './root-worker';

/** Options of {@link runPipelineBench}. */
export interface PipelineBenchOptions {
  /** Worker threads computing roots. */
  readonly workers: number;
  /** Batches submitted through `POST /delivery-reports/batch`. */
  readonly batches: number;
  /** Reports per batch (at most 500). */
  readonly reportsPerBatch: number;
  /** Impression records behind each report's root. */
  readonly recordsPerReport: number;
  /** Batches in flight through REST at once. */
  readonly restConcurrency: number;
}

/** Roots computed by a pool of worker threads, one task at a time per worker. */
class RootPool {
  readonly #idle: Worker[] = [];
  readonly #queue: { task: RootTask; resolve: (result: RootResult) => void; reject: (error: Error) => void }[] = [];
  readonly #running = new Map<Worker, (result: RootResult) => void>();
  readonly #failures = new Map<Worker, (error: Error) => void>();
  readonly #workers: Worker[];

  constructor(size: number) {
    this.#workers = Array.from({ length: size }, () => new Worker(path.join(__dirname, 'root-worker.js')));
    for (const worker of this.#workers) {
      worker.on('message', (result: RootResult) => {
        this.#running.get(worker)?.(result);
        this.#release(worker);
      });
      worker.on('error', (error) => {
        this.#failures.get(worker)?.(error);
      });
      this.#idle.push(worker);
    }
  }

  root(task: RootTask): Promise<RootResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ task, resolve, reject });
      this.#dispatch();
    });
  }

  #release(worker: Worker): void {
    this.#running.delete(worker);
    this.#failures.delete(worker);
    this.#idle.push(worker);
    this.#dispatch();
  }

  #dispatch(): void {
    for (;;) {
      const worker = this.#idle.pop();
      const next = this.#queue.shift();
      if (worker === undefined || next === undefined) {
        if (worker !== undefined) this.#idle.push(worker);
        if (next !== undefined) this.#queue.unshift(next);
        return;
      }
      this.#running.set(worker, next.resolve);
      this.#failures.set(worker, next.reject);
      worker.postMessage(next.task);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}

/** A one-line progress bar on stderr (rewritten in place on a terminal, else every 25 %). */
function progressBar(total: number, label: string) {
  let lastQuarter = -1;
  return (done: number, detail: string) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done)}/${String(total)} ${detail}`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
    } else if (Math.floor((done / total) * 4) > lastQuarter) {
      lastQuarter = Math.floor((done / total) * 4);
      process.stderr.write(`${line}\n`);
    }
  };
}

/**
 * The publisher's pipeline end to end: the records of each report are made and rooted in worker threads
 * (tree format version 2), reports are grouped into batches and submitted through `POST /delivery-reports/batch`
 * of the REST gateway (its own process), root computation of the next batches overlapping the commit of earlier
 * ones. Prints impressions covered per second: records behind committed reports over the wall time.
 */
export async function runPipelineBench(
  profile: NetworkProfile,
  options: Readonly<PipelineBenchOptions>,
): Promise<void> {
  const conns = connectParties(profile);
  const gateway = await startRestGateway();
  const pool = new RootPool(options.workers);
  try {
    const { campaignId, lineItemId } = await activeCampaign(profile, conns);
    const slot = hourSlots();
    const runId = uniqueId('pl');
    const totalReports = options.batches * options.reportsPerBatch;
    const impressions = totalReports * options.recordsPerReport;
    console.log(
      `\n6. publisher pipeline end to end: ${String(totalReports)} reports of ${String(options.recordsPerReport)} records ` +
        `(${impressions.toLocaleString('en-US')} impressions), roots in ${String(options.workers)} worker threads, ` +
        `${String(options.batches)} REST batches of ${String(options.reportsPerBatch)}, ${String(options.restConcurrency)} in flight`,
    );
    const progress = progressBar(options.batches, '   batches committed');
    let rootMs = 0;
    let makeMs = 0;
    let committedBatches = 0;
    const started = process.hrtime.bigint();
    const batchReports = async (batch: number) => {
      const periods = Array.from({ length: options.reportsPerBatch }, () => slot());
      return Promise.all(
        periods.map(async (period, index) => {
          const id = batch * options.reportsPerBatch + index;
          const result = await pool.root({
            id,
            campaignId,
            lineItemId,
            hourStartMs: period.startMs,
            count: options.recordsPerReport,
          });
          rootMs += result.rootMs;
          makeMs += result.makeMs;
          return {
            reportId: `${runId}-${String(id)}`,
            campaignId,
            lineItemId,
            periodStart: period.periodStart,
            periodEnd: period.periodEnd,
            impressions: options.recordsPerReport,
            invalidImpressions: 0,
            recordCount: options.recordsPerReport,
            merkleRoot: result.merkleRoot,
          };
        }),
      );
    };
    let nextBatch = 0;
    const submitter = async () => {
      for (;;) {
        const batch = nextBatch++;
        if (batch >= options.batches) return;
        const reports = await batchReports(batch);
        const res = await http(gateway, 'POST', '/delivery-reports/batch', {
          clientId: 'publisher-operations',
          body: { reports },
          consistent: false,
        });
        if (res.status !== 201) throw new Error(`HTTP ${String(res.status)}: ${res.text.slice(0, 200)}`);
        committedBatches++;
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        progress(
          committedBatches,
          `${Math.round((committedBatches * options.reportsPerBatch * options.recordsPerReport) / seconds).toLocaleString('en-US')} impressions/s`,
        );
      }
    };
    await Promise.all(Array.from({ length: options.restConcurrency }, submitter));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `   ${Math.round(impressions / seconds).toLocaleString('en-US')} impressions/s end to end ` +
        `(${(totalReports / seconds).toFixed(1)} reports/s committed, ${seconds.toFixed(1)} s); ` +
        `in the workers (records per busy second of a worker): roots ${Math.round(impressions / (rootMs / 1000)).toLocaleString('en-US')}, ` +
        `making the records ${Math.round(impressions / (makeMs / 1000)).toLocaleString('en-US')}; ` +
        `workers busy ${(((rootMs + makeMs) / 1000 / seconds / options.workers) * 100).toFixed(0)} % of the run`,
    );
  } finally {
    await pool.close();
    conns.close();
    await gateway.stop();
  }
}
