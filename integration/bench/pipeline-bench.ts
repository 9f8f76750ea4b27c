import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';

import { uniqueId } from '../test/support/campaign-fixtures';
import { connectParties } from '../test/support/fabric-connection';
import type { NetworkProfile } from '../test/support/network-profile';
import { http, retryAfterMs, startRestGateway } from '../test/support/rest-gateway';
import { activeCampaign, hourSlots } from './campaign-setup';
import type { LoadTask, RootResult, RootTask } from './root-worker';

/** One row of the pipeline bench: how many reports of how many records, and where the records come from. */
export interface PipelineRun {
  /** Batches submitted through `POST /delivery-reports/batch`. */
  readonly batches: number;
  /** Reports per batch (at most 500). */
  readonly reportsPerBatch: number;
  /** Impression records behind each report's root. */
  readonly recordsPerReport: number;
  /**
   * True: every report's records are made in its worker before the clock starts, as a log reader's output already
   * in memory, so the figure counts rooting, batching and committing only. False: each worker makes a report's
   * records when it roots them, and their making counts too.
   */
  readonly recordsInMemory: boolean;
}

/** Options of {@link runPipelineBench}. */
export interface PipelineBenchOptions {
  /** Worker threads computing roots. */
  readonly workers: number;
  /** Batches in flight through REST at once. */
  readonly restConcurrency: number;
  /** The rows to run, one after another on the same campaign, gateway and workers. */
  readonly runs: readonly PipelineRun[];
}

/**
 * Worker threads computing roots. Report `id` always goes to worker `id % size`, which handles its messages one at
 * a time in the order sent, so the records a `load` task kept are there for that report's `root` task.
 */
type Waiting = Map<number, { resolve: (result: RootResult) => void; reject: (error: Error) => void }>;

class RootPool {
  readonly #workers: Worker[];
  readonly #pending: Waiting[];

  constructor(size: number) {
    this.#workers = Array.from({ length: size }, () => new Worker(path.join(__dirname, 'root-worker.js')));
    this.#pending = this.#workers.map((): Waiting => new Map());
    this.#workers.forEach((worker, index) => {
      const pending = this.#pending[index] ?? (new Map() as Waiting);
      worker.on('message', (result: RootResult) => {
        pending.get(result.id)?.resolve(result);
        pending.delete(result.id);
      });
      worker.on('error', (error) => {
        for (const waiting of pending.values()) waiting.reject(error);
        pending.clear();
      });
    });
  }

  run(task: LoadTask | RootTask): Promise<RootResult> {
    const index = task.id % this.#workers.length;
    return new Promise((resolve, reject) => {
      this.#pending[index]?.set(task.id, { resolve, reject });
      this.#workers[index]?.postMessage(task);
    });
  }

  /** The number of worker threads. */
  get size(): number {
    return this.#workers.length;
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

/** Attempts of one batch before the run gives up. */
const MAX_ATTEMPTS = 5;

/** A campaign's line item and a source of free hourly periods, shared by the rows. */
interface PipelineTarget {
  readonly campaignId: string;
  readonly lineItemId: string;
  readonly slot: ReturnType<typeof hourSlots>;
  readonly runId: string;
}

/** One row: its reports rooted in the pool and committed through REST; prints its figure. */
async function runOne(
  gateway: Awaited<ReturnType<typeof startRestGateway>>,
  pool: RootPool,
  target: PipelineTarget,
  run: Readonly<PipelineRun>,
  row: number,
  restConcurrency: number,
): Promise<void> {
  const totalReports = run.batches * run.reportsPerBatch;
  const impressions = totalReports * run.recordsPerReport;
  const source = run.recordsInMemory ? 'records already in memory' : 'records made in the workers';
  console.log(
    `   ${String(totalReports)} reports of ${run.recordsPerReport.toLocaleString('en-US')} records ` +
      `(${impressions.toLocaleString('en-US')} impressions), ${String(run.batches)} REST batches of ` +
      `${String(run.reportsPerBatch)}, ${source}`,
  );
  const tasks = Array.from({ length: totalReports }, (_, index) => {
    const period = target.slot();
    const spec = {
      id: row * 1_000_000 + index,
      campaignId: target.campaignId,
      lineItemId: target.lineItemId,
      hourStartMs: period.startMs,
      count: run.recordsPerReport,
    };
    return { spec, period };
  });
  if (run.recordsInMemory) {
    await Promise.all(tasks.map(({ spec }) => pool.run({ kind: 'load', ...spec })));
  }
  const progress = progressBar(run.batches, '   batches committed');
  let rootMs = 0;
  let makeMs = 0;
  let committedBatches = 0;
  let retries = 0;
  const started = process.hrtime.bigint();
  const batchReports = (batch: number) =>
    Promise.all(
      tasks.slice(batch * run.reportsPerBatch, (batch + 1) * run.reportsPerBatch).map(async ({ spec, period }) => {
        const result = await pool.run({ kind: 'root', ...spec });
        rootMs += result.rootMs;
        makeMs += result.makeMs;
        return {
          reportId: `${target.runId}-${String(spec.id)}`,
          campaignId: target.campaignId,
          lineItemId: target.lineItemId,
          periodStart: period.periodStart,
          periodEnd: period.periodEnd,
          impressions: run.recordsPerReport,
          invalidImpressions: 0,
          recordCount: run.recordsPerReport,
          merkleRoot: result.merkleRoot,
        };
      }),
    );
  let nextBatch = 0;
  const submitter = async () => {
    for (;;) {
      const batch = nextBatch++;
      if (batch >= run.batches) return;
      const reports = await batchReports(batch);
      for (let attempt = 1; ; attempt++) {
        const res = await http(gateway, 'POST', '/delivery-reports/batch', {
          clientId: 'publisher-operations',
          body: { reports },
          consistent: false,
        });
        if (res.status === 201) break;
        if (res.status !== 503 || attempt >= MAX_ATTEMPTS) {
          throw new Error(`HTTP ${String(res.status)}: ${res.text.slice(0, 200)}`);
        }
        // 503 is the API's "try again": a batch is all or nothing and a report sent again with the same content is a
        // no-op, so sending the same batch again can neither lose nor double a report. The wait counts in the figure.
        retries++;
        await sleep(retryAfterMs(res.headers.get('retry-after')));
      }
      committedBatches++;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      progress(
        committedBatches,
        `${Math.round((committedBatches * run.reportsPerBatch * run.recordsPerReport) / seconds).toLocaleString('en-US')} impressions/s`,
      );
    }
  };
  await Promise.all(Array.from({ length: restConcurrency }, submitter));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const perBusySecond = (ms: number) =>
    ms === 0 ? '-' : Math.round(impressions / (ms / 1000)).toLocaleString('en-US');
  console.log(
    `   ${Math.round(impressions / seconds).toLocaleString('en-US')} impressions/s end to end ` +
      `(${(totalReports / seconds).toFixed(1)} reports/s committed, ${seconds.toFixed(1)} s); ` +
      `in the workers (records per busy second of a worker): roots ${perBusySecond(rootMs)}, ` +
      `making the records ${perBusySecond(makeMs)}; ` +
      `workers busy ${(((rootMs + makeMs) / 1000 / seconds / pool.size) * 100).toFixed(0)} % of the run; ` +
      `${String(retries)} batches sent again after a 503`,
  );
}

/**
 * The publisher's pipeline end to end, one row per {@link PipelineRun}: the records of each report are rooted in
 * worker threads (tree format version 2), reports are grouped into batches and submitted through
 * `POST /delivery-reports/batch` of the REST gateway (its own process), root computation of the next batches
 * overlapping the commit of earlier ones. Prints impressions covered per second: records behind committed reports
 * over the wall time.
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
    const target: PipelineTarget = { campaignId, lineItemId, slot: hourSlots(), runId: uniqueId('pl') };
    console.log(
      `\n6. publisher pipeline end to end: roots in ${String(options.workers)} worker threads, ` +
        `${String(options.restConcurrency)} REST batches in flight`,
    );
    for (const [row, run] of options.runs.entries()) {
      await runOne(gateway, pool, target, run, row, options.restConcurrency);
    }
  } finally {
    await pool.close();
    conns.close();
    await gateway.stop();
  }
}
