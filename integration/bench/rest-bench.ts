import { uniqueId } from '../test/support/campaign-fixtures';
import { connectParties } from '../test/support/fabric-connection';
import type { NetworkProfile } from '../test/support/network-profile';
import { awaitCommitted, submitCommitted } from '../test/support/commits';
import { http, startRestGateway } from '../test/support/rest-gateway';
import { activeCampaign, daySlots, hourSlots } from './campaign-setup';
import { runRawLoadInProcess } from './raw-client-process';
import { formatResult, runLoad } from './load';

const PERIODS_FOR_REPORT = 1000;
const REPORT_SAMPLES = 20;

/**
 * Delivery reports through the REST API (its own process, as in production) against the raw Gateway
 * client (in a process of its own too) at the same concurrency; then the latency of the reconciliation report of a campaign with
 * 1,000 reconciled periods.
 */
export async function runRestBench(profile: NetworkProfile, options: { levels: number[]; perLevel: number }) {
  const gateway = await startRestGateway();
  const conns = connectParties(profile);
  try {
    const { campaignId, lineItemId } = await activeCampaign(profile, conns);
    const slot = hourSlots();
    const report = (reportId: string) => {
      const { periodStart, periodEnd } = slot();
      return { reportId, campaignId, lineItemId, periodStart, periodEnd, impressions: 10_000, invalidImpressions: 10 };
    };
    console.log('\n2. REST API vs raw Gateway client: delivery reports (publisher, first-party)');
    for (const c of options.levels) {
      const runId = uniqueId('b');
      // The raw client runs in a process of its own, as the REST gateway does.
      const raw = await runRawLoadInProcess({
        label: 'raw Gateway client (own process)',
        mspId: conns.publisher.mspId,
        transaction: 'delivery:Submit',
        kind: 'submitConfidential',
        concurrency: c,
        argumentLists: Array.from({ length: options.perLevel }, (_, i) => [
          JSON.stringify(report(`${runId}-g${String(i)}`)),
        ]),
      });
      console.log(formatResult(raw));
      const rest = await runLoad('REST POST /delivery-reports', c, options.perLevel, async (i) => {
        // One organization writing alone carries no consistency token: the same work as the raw client.
        const res = await http(gateway, 'POST', '/delivery-reports', {
          clientId: 'publisher-operations',
          body: report(`${runId}-h${String(i)}`),
          consistent: false,
        });
        if (res.status !== 201) throw new Error(`HTTP ${String(res.status)}: ${res.text.slice(0, 200)}`);
      });
      console.log(formatResult(rest));
      console.log(`   ratio REST/raw ${(rest.perSecond / raw.perSecond).toFixed(2)}`);
    }

    console.log(`\n3. reconciliation report of a campaign with ${String(PERIODS_FOR_REPORT)} reconciled periods`);
    // Reconciliation periods are UTC days: 1,000 of them need a flight of almost three years.
    const big = await activeCampaign(profile, conns, '2028-12-31');
    const periods = daySlots();
    const slots = Array.from({ length: PERIODS_FOR_REPORT }, () => periods());
    for (const [side, conn] of [
      ['fp', conns.publisher],
      ['tp', conns.agency],
    ] as const) {
      for (let offset = 0; offset < PERIODS_FOR_REPORT; offset += 500) {
        const batch = slots.slice(offset, offset + 500).map((s, i) => ({
          reportId: `${big.campaignId}-${side}-${String(offset + i)}`,
          campaignId: big.campaignId,
          lineItemId: big.lineItemId,
          periodStart: s.periodStart,
          periodEnd: s.periodEnd,
          impressions: side === 'fp' ? 10_000 : 9_900,
          invalidImpressions: 0,
        }));
        const committed = await submitCommitted(conn, 'delivery:SubmitBatch', JSON.stringify(batch));
        await awaitCommitted(committed.blockNumber, [conns.advertiser, conns.agency, conns.publisher]);
      }
    }
    for (const format of ['json', 'csv'] as const) {
      const latencies: number[] = [];
      let rows = 0;
      for (let i = 0; i < REPORT_SAMPLES; i++) {
        const t0 = process.hrtime.bigint();
        const res = await http<{ data: { rows: unknown[] } }>(
          gateway,
          'GET',
          `/reports/reconciliation?campaignId=${big.campaignId}&format=${format}`,
          { clientId: 'agency-finance' },
        );
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.status !== 200) throw new Error(`report: HTTP ${String(res.status)} ${res.text.slice(0, 200)}`);
        rows = format === 'json' ? res.body.data.rows.length : res.text.trim().split('\n').length - 2;
      }
      latencies.sort((a, b) => a - b);
      const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
      console.log(
        `GET /reports/reconciliation (${format}) rows=${String(rows)}  n=${String(REPORT_SAMPLES)}  ` +
          `p50 ${p(0.5).toFixed(0)} ms  p95 ${p(0.95).toFixed(0)} ms`,
      );
    }
  } finally {
    conns.close();
    await gateway.stop();
  }
}
