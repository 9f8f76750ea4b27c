import { uniqueId } from '../test/support/campaign-fixtures';
import { ledgerHeight, submitCommitted } from '../test/support/commits';
import { connectParties, type OrgConnection } from '../test/support/fabric-connection';
import type { NetworkProfile } from '../test/support/network-profile';
import { http, startRestGateway } from '../test/support/rest-gateway';
import { activeCampaign, hourSlots } from './campaign-setup';

const SAMPLES = 40;

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    `${label.padEnd(52)} n=${String(sorted.length)}  p50 ${percentile(sorted, 0.5).toFixed(1)} ms  ` +
    `p95 ${percentile(sorted, 0.95).toFixed(1)} ms  max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`
  );
}

/** Milliseconds from now until the organization's peer has committed `block` (polled every 2 ms). */
async function lagUntil(conn: OrgConnection, block: bigint, from: bigint): Promise<number> {
  for (;;) {
    if ((await ledgerHeight(conn)) > block) return Number(process.hrtime.bigint() - from) / 1e6;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Read-your-writes across organizations: how far behind the other organizations' peers commit a block the
 * publisher's peer has just committed, and what a read through another organization costs with the consistency
 * token against the same read without it (sequential, one write then one read at a time).
 */
export async function runConsistencyBench(profile: NetworkProfile): Promise<void> {
  const gateway = await startRestGateway();
  const conns = connectParties(profile);
  try {
    const { campaignId, lineItemId } = await activeCampaign(profile, conns);
    const slot = hourSlots();
    const lag: Record<'agency' | 'advertiser', number[]> = { agency: [], advertiser: [] };
    const tokened: number[] = [];
    const untokened: number[] = [];
    console.log(`\n4. read-your-writes: peer lag after a commit, and a read through another organization`);
    for (let i = 0; i < SAMPLES; i++) {
      const report = () => {
        const { periodStart, periodEnd } = slot();
        const id = uniqueId('c');
        return {
          reportId: id,
          campaignId,
          lineItemId,
          periodStart,
          periodEnd,
          impressions: 100,
          invalidImpressions: 0,
        };
      };
      const body = report();
      const committed = await submitCommitted(conns.publisher, 'delivery:Submit', JSON.stringify(body));
      const seen = process.hrtime.bigint();
      const [agencyLag, advertiserLag] = await Promise.all([
        lagUntil(conns.agency, committed.blockNumber, seen),
        lagUntil(conns.advertiser, committed.blockNumber, seen),
      ]);
      lag.agency.push(agencyLag);
      lag.advertiser.push(advertiserLag);

      // The next write, then the agency reads the line item's day right away: with the token, then without.
      const next = report();
      const write = await submitCommitted(conns.publisher, 'delivery:Submit', JSON.stringify(next));
      const url = `/campaigns/${campaignId}`;
      let t0 = process.hrtime.bigint();
      const withToken = await http(gateway, 'GET', url, {
        clientId: 'agency-finance',
        headers: { 'x-min-block': write.blockNumber.toString() },
        consistent: false,
      });
      tokened.push(Number(process.hrtime.bigint() - t0) / 1e6);
      t0 = process.hrtime.bigint();
      const without = await http(gateway, 'GET', url, { clientId: 'agency-finance', consistent: false });
      untokened.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (withToken.status !== 200 || without.status !== 200) {
        throw new Error(`read: HTTP ${String(withToken.status)} / ${String(without.status)}`);
      }
    }
    console.log(summary('lag: publisher commit -> agency peer has the block', lag.agency));
    console.log(summary('lag: publisher commit -> advertiser peer has the block', lag.advertiser));
    console.log(summary('GET through the agency, X-Min-Block = the write', tokened));
    console.log(summary('GET through the agency, no token', untokened));
    const median = (v: number[]) =>
      percentile(
        [...v].sort((a, b) => a - b),
        0.5,
      );
    console.log(
      `   the token's wait in the common case (p50 difference): ${(median(tokened) - median(untokened)).toFixed(1)} ms`,
    );
  } finally {
    conns.close();
    await gateway.stop();
  }
}
