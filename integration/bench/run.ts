/**
 * `npm run bench`: measurements on the running network, each compared side by side in one run.
 *  1. chaincode: delivery reports (each with the Merkle root of 10,000 records, computed in the loop)
 *     against a trivial one-key write, through the raw Gateway client, at several concurrencies;
 *  2. REST: delivery reports through the REST API against the raw Gateway client, same concurrency;
 *     and the latency of the reconciliation report of a campaign with 1,000 reconciled periods;
 *  4. read-your-writes: how far other organizations' peers lag a commit, and a read with the consistency token
 *     against the same read without it;
 *  5. batched delivery reports committed per second through `delivery:SubmitBatch` and the REST batch endpoint,
 *     by batch size and concurrency;
 *  6. the publisher pipeline end to end (records → roots in worker threads → batched reports → REST), in
 *     impressions covered per second: the same impressions as reports of 1x and 10x ADRECON_BENCH_PIPELINE's
 *     records per report, each with the records made in the workers and already in memory;
 *  7. the reporting store against the chaincode: one campaign of 10,000 periods (10 line items × 1,000 days), a
 *     month-end report across 100 campaigns, and the listener's ingest rate and lag under that delivery-report load
 *     (integration/bench/store-bench.ts);
 *  8. the platform's floor: the network's CPU per key a transaction writes (a blind public key, a report ID pointer,
 *     a private record with its marker and policy) and the ceilings those set on reports/s, and the least report
 *     conceivable under the trust rules against the trivial write at the first two concurrencies
 *     (integration/bench/floor-bench.ts).
 * Environment: ADRECON_BENCH_CONCURRENCY (default "10,20,50"), ADRECON_BENCH_COUNT (per level, default 300),
 * ADRECON_BENCH_RECORDS (records per report root, default 10000), ADRECON_BENCH_BATCH_SIZES (default "1,10,100,500"),
 * ADRECON_BENCH_BATCH_CONCURRENCY (default "1,4"), ADRECON_BENCH_BATCH_REPORTS (reports per cell, default 2000),
 * ADRECON_BENCH_BATCH_REST=0 / ADRECON_BENCH_BATCH_NAMED=0 (leave out the REST or the endorsers-named rows),
 * ADRECON_BENCH_PIPELINE ("workers,batches,reportsPerBatch,recordsPerReport,restConcurrency", default
 * "2,6,100,10000,2"), ADRECON_BENCH_ONLY (comma-separated section numbers to run, default all; section 7 took
 * 9 min at the issue's scale on a lightly loaded machine, see docs/benchmarks.md section 7),
 * ADRECON_BENCH_STORE (section 7's scale and load "lineItems,days,monthEndCampaigns,firstBatch,inFlight", default
 * "10,1000,100,100,3": the issue's scale; it prints its progress every 15 s), ADRECON_BENCH_STORE_BUDGET_S (section 7's
 * time budget per phase, default 1200).
 */
import { withBenchContract } from './bench-chaincode';
import { formatResult, runLoad } from './load';
import { cpuPerOperation, networkCpu } from './network-cpu';
import { reportRoot } from './merkle-records';
import { uniqueId } from '../test/support/campaign-fixtures';
import { activeCampaign, hourSlots } from './campaign-setup';
import { connectParties } from '../test/support/fabric-connection';
import { loadProfile, type NetworkProfile } from '../test/support/network-profile';
import { runConsistencyBench } from './consistency-bench';
import { runRestBench } from './rest-bench';
import { runStoreBench } from './store-bench';
import { runBatchBench } from './batch-bench';
import { runPipelineBench } from './pipeline-bench';
import { runFloorBench } from './floor-bench';
import { submitConfidential } from '../test/support/confidential-submit';

const levels = (process.env.ADRECON_BENCH_CONCURRENCY ?? '10,20,50').split(',').map(Number);
const perLevel = Number(process.env.ADRECON_BENCH_COUNT ?? '300');
const recordsPerReport = Number(process.env.ADRECON_BENCH_RECORDS ?? '10000');
const numbers = (text: string) => text.split(',').map(Number);
const batchSizes = numbers(process.env.ADRECON_BENCH_BATCH_SIZES ?? '1,10,100,500');
const batchConcurrencies = numbers(process.env.ADRECON_BENCH_BATCH_CONCURRENCY ?? '1,4');
const batchReports = Number(process.env.ADRECON_BENCH_BATCH_REPORTS ?? '2000');
const only = process.env.ADRECON_BENCH_ONLY === undefined ? undefined : numbers(process.env.ADRECON_BENCH_ONLY);
const section = (n: number) => only === undefined || only.includes(n);
const [workers = 2, batches = 6, reportsPerBatch = 100, recordsPerBatchReport = 10000, restConcurrency = 2] = numbers(
  process.env.ADRECON_BENCH_PIPELINE ?? '2,6,100,10000,2',
);
async function chaincodeBench(profile: NetworkProfile) {
  const conns = connectParties(profile);
  try {
    const { campaignId, lineItemId } = await activeCampaign(profile, conns);
    const slot = hourSlots();
    /** A report of the next free hour, and that hour's start (the records' timestamps fall inside it). */
    const report = (reportId: string) => {
      const period = slot();
      const body = {
        reportId,
        campaignId,
        lineItemId,
        periodStart: period.periodStart,
        periodEnd: period.periodEnd,
        impressions: recordsPerReport,
        invalidImpressions: 0,
      };
      return { body, startMs: period.startMs };
    };
    // As the REST gateway submits since issue 8: arguments in transient data, records in private data.
    const submit = (body: ReturnType<typeof report>['body'] & { recordCount?: number; merkleRoot?: string }) =>
      submitConfidential(conns.publisher.contract, 'delivery:Submit', [JSON.stringify(body)]);
    console.log(
      '\n1. chaincode, raw Gateway client: delivery reports (private data, transient inputs) vs a trivial one-key write',
    );
    for (const c of levels) {
      const runId = uniqueId('b');
      let cpu = networkCpu();
      const trivial = await runLoad('trivial write (bench:Put)', c, perLevel, async (i) => {
        await conns.publisher.contract.submitTransaction('bench:Put', `${runId}-${String(i)}`, 'x');
      });
      console.log(formatResult(trivial));
      console.log(`   ${cpuPerOperation(cpu, trivial.count - trivial.failures)}`);
      cpu = networkCpu();
      const reports = await runLoad('delivery:Submit', c, perLevel, async (i) => {
        await submit(report(`${runId}-r${String(i)}`).body);
      });
      console.log(formatResult(reports));
      console.log(`   ${cpuPerOperation(cpu, reports.count - reports.failures)}`);
      // The client computes each root in the loop: validation, encoding and hashing of every record.
      const withRoots = await runLoad(
        `delivery:Submit + ${String(recordsPerReport)}-record root`,
        c,
        perLevel,
        async (i) => {
          const { body, startMs } = report(`${runId}-m${String(i)}`);
          const merkleRoot = reportRoot(campaignId, lineItemId, i, startMs, recordsPerReport);
          await submit({ ...body, recordCount: recordsPerReport, merkleRoot });
        },
      );
      console.log(formatResult(withRoots));
      console.log(
        `   ratio reports/trivial ${(reports.perSecond / trivial.perSecond).toFixed(2)}; with roots, impressions ` +
          `covered ${Math.round(withRoots.perSecond * recordsPerReport).toLocaleString('en-US')}/s`,
      );
    }
  } finally {
    conns.close();
  }
}

async function main() {
  const profile = loadProfile();
  console.log(`bench: concurrency ${levels.join(', ')}, ${String(perLevel)} transactions per level and kind`);
  if (section(1)) await withBenchContract(() => chaincodeBench(profile));
  if (section(2) || section(3)) await runRestBench(profile, { levels, perLevel });
  if (section(4)) await runConsistencyBench(profile);
  if (section(5)) {
    await runBatchBench(profile, {
      batchSizes,
      concurrencies: batchConcurrencies,
      reportsPerCell: batchReports,
      rest: process.env.ADRECON_BENCH_BATCH_REST !== '0',
      explicitEndorsers: process.env.ADRECON_BENCH_BATCH_NAMED !== '0',
    });
  }
  if (section(6)) {
    // The same impressions as reports of 1x and 10x the records, each with the records made in the workers and
    // already in memory: what limits the pipeline shows in how the rows differ.
    const runs = [1, 10].flatMap((scale) =>
      [false, true].map((recordsInMemory) => ({
        batches,
        reportsPerBatch: Math.max(1, Math.round(reportsPerBatch / scale)),
        recordsPerReport: recordsPerBatchReport * scale,
        recordsInMemory,
      })),
    );
    await runPipelineBench(profile, { workers, restConcurrency, runs });
  }
  if (section(7)) await runStoreBench(profile);
  if (section(8)) await withBenchContract(() => runFloorBench(profile, levels.slice(0, 2), perLevel));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
