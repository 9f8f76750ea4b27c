import { uniqueId } from '../test/support/campaign-fixtures';
import { connectParties, type PartyConnections } from '../test/support/fabric-connection';
import type { NetworkProfile } from '../test/support/network-profile';
import { http, startRestGateway } from '../test/support/rest-gateway';
import { activeCampaign, hourSlots } from './campaign-setup';
import { runLoad, type LoadResult } from './load';
import { cpuPerOperation, networkCpu } from './network-cpu';
import { runRawLoadInProcess } from './raw-client-process';

/** Options of {@link runBatchBench}. */
export interface BatchBenchOptions {
  /** Reports per transaction, each at most 500 (`delivery:SubmitBatch`'s limit). */
  readonly batchSizes: readonly number[];
  /** Transactions in flight at once. */
  readonly concurrencies: readonly number[];
  /** Reports committed per cell (batch size × concurrency × path), at least two rounds of every worker. */
  readonly reportsPerCell: number;
  /** Also measure `POST /delivery-reports/batch` through the REST gateway (its own process). */
  readonly rest: boolean;
  /**
   * Also measure the raw client naming the endorsing organizations (the campaign's three parties) itself, so that
   * the peer gateway skips working out the endorsement plan from a first endorsement.
   */
  readonly explicitEndorsers: boolean;
}

type Report = Record<string, string | number>;

/** Transactions a cell runs: enough for `reportsPerCell` reports, at least two per worker, at most 200. */
function transactionsFor(batchSize: number, concurrency: number, reportsPerCell: number): number {
  return Math.max(2 * concurrency, Math.min(200, Math.ceil(reportsPerCell / batchSize)));
}

function formatCell(path: string, batchSize: number, result: LoadResult): string {
  const reportsPerSecond = result.perSecond * batchSize;
  return (
    `${path.padEnd(28)} batch ${String(batchSize).padStart(3)}  c=${String(result.concurrency).padStart(2)}  ` +
    `tx=${String(result.count).padStart(3)}  ${result.perSecond.toFixed(1).padStart(6)} tx/s  ` +
    `${reportsPerSecond.toFixed(0).padStart(6)} reports/s  p50 ${result.p50Ms.toFixed(0).padStart(5)} ms  ` +
    `p95 ${result.p95Ms.toFixed(0).padStart(5)} ms` +
    (result.failures > 0 ? `  failures ${String(result.failures)}` : '')
  );
}

/** A fresh campaign per cell (a year of hours holds 8,760 reports) and a maker of batches of distinct hours. */
async function batchMaker(profile: NetworkProfile, conns: PartyConnections) {
  const { campaignId, lineItemId } = await activeCampaign(profile, conns);
  const slot = hourSlots();
  const runId = uniqueId('bb');
  let serial = 0;
  return (size: number): Report[] =>
    Array.from({ length: size }, () => {
      const { periodStart, periodEnd } = slot();
      return {
        reportId: `${runId}-${String(serial++)}`,
        campaignId,
        lineItemId,
        periodStart,
        periodEnd,
        impressions: 10_000,
        invalidImpressions: 10,
      };
    });
}

/**
 * Delivery reports committed per second through `delivery:SubmitBatch` (raw Gateway client, the publisher) and
 * `POST /delivery-reports/batch` (REST gateway), by batch size and concurrency. Every transaction waits for its
 * commit, so reports/s is committed reports.
 */
export async function runBatchBench(profile: NetworkProfile, options: Readonly<BatchBenchOptions>): Promise<void> {
  const conns = connectParties(profile);
  const gateway = options.rest ? await startRestGateway() : undefined;
  try {
    console.log(
      '\n5. batched delivery reports committed per second (delivery:SubmitBatch), by batch size and concurrency',
    );
    for (const concurrency of options.concurrencies) {
      for (const batchSize of options.batchSizes) {
        const count = transactionsFor(batchSize, concurrency, options.reportsPerCell);
        const nextRaw = await batchMaker(profile, conns);
        const cpuBefore = networkCpu();
        // In a process of its own, as the REST gateway runs in its own: like with like.
        const raw = await runRawLoadInProcess({
          label: 'raw SubmitBatch',
          mspId: conns.publisher.mspId,
          transaction: 'delivery:SubmitBatch',
          // As the REST gateway submits every write since issue 8: inputs in transient data, sealed response.
          kind: 'submitConfidential',
          concurrency,
          argumentLists: Array.from({ length: count }, () => [JSON.stringify(nextRaw(batchSize))]),
        });
        console.log(formatCell('raw Gateway SubmitBatch', batchSize, raw));
        console.log(`   per report: ${cpuPerOperation(cpuBefore, (raw.count - raw.failures) * batchSize)}`);
        if (options.explicitEndorsers) {
          const nextNamed = await batchMaker(profile, conns);
          // The chaincode-level policy needs a peer of every organization, the campaign's non-parties included.
          const endorsingOrganizations = profile.organizations.map((org) => org.mspId);
          const named = await runLoad('raw SubmitBatch, endorsers named', concurrency, count, async () => {
            await conns.publisher.contract.submit('delivery:SubmitBatch', {
              arguments: [JSON.stringify(nextNamed(batchSize))],
              endorsingOrganizations,
            });
          });
          console.log(formatCell('raw, endorsers named', batchSize, named));
        }
        if (gateway !== undefined) {
          const nextRest = await batchMaker(profile, conns);
          const rest = await runLoad('REST batch', concurrency, count, async () => {
            const res = await http(gateway, 'POST', '/delivery-reports/batch', {
              clientId: 'publisher-operations',
              body: { reports: nextRest(batchSize) },
              consistent: false,
            });
            if (res.status !== 201) throw new Error(`HTTP ${String(res.status)}: ${res.text.slice(0, 200)}`);
          });
          console.log(formatCell('REST /delivery-reports/batch', batchSize, rest));
        }
      }
    }
  } finally {
    conns.close();
    await gateway?.stop();
  }
}
