import { dateToEpochMs, formatDate, type Campaign, type ReportRow } from '@adrecon/contract';
import { expect } from 'chai';
import { AppError } from '../../../src/errors';
import type { LedgerContract } from '../../../src/ledger/ledger-contract';
import { newCampaignReader } from '../../../src/reporting/campaign-reader';

const DAY_MS = 86_400_000;
const cause = { blockNumber: 7n, transactionId: 'tx7' };

/**
 * A ledger whose reconciliation report refuses, as the gateway's adapter does for a peer's answer over 4 MiB, any
 * answer of more than `maxRows` rows; every other answer is the rows of the days asked (a make-good day after the
 * flight included), so what the reader assembles can be compared with the whole campaign.
 */
function ledgerOf(campaign: Campaign, rowsOf: Map<string, ReportRow[]>, maxRows: number) {
  const calls: string[] = [];
  const contract = {
    campaigns: { get: () => Promise.resolve(campaign) },
    billing: { listInvoices: () => Promise.resolve({ records: [], bookmark: '' }) },
    reconciliation: {
      report: (_org: string, query: { lineItemId?: string; from?: string; to?: string }) => {
        calls.push(`${query.lineItemId ?? '*'} ${query.from ?? '…'}..${query.to ?? '…'}`);
        const inRange = (row: ReportRow) =>
          (query.from === undefined || row.periodStart.slice(0, 10) >= query.from) &&
          (query.to === undefined || row.periodStart.slice(0, 10) <= query.to);
        const rows = [...rowsOf.entries()]
          .filter(([id]) => query.lineItemId === undefined || id === query.lineItemId)
          .flatMap(([, rows]) => rows.filter(inRange));
        if (rows.length > maxRows) {
          return Promise.reject(new AppError('RESULT_TOO_LARGE', "the ledger's answer is larger than 4 MiB"));
        }
        return Promise.resolve({ rows });
      },
    },
  } as unknown as LedgerContract;
  return { contract, calls };
}

function rows(lineItemId: string, from: string, days: number): ReportRow[] {
  const start = dateToEpochMs(from) ?? 0;
  return Array.from({ length: days }, (_, d) => ({
    campaignId: 'c1',
    lineItemId,
    periodStart: `${formatDate(start + d * DAY_MS)}T00:00:00Z`,
  })) as unknown as ReportRow[];
}

describe('campaign reader: answers too large for one message are read in parts', () => {
  const campaign = {
    campaignId: 'c1',
    lineItems: [
      { lineItemId: 'li-1', flightStart: '2026-01-01', flightEnd: '2026-04-10' },
      { lineItemId: 'li-2', flightStart: '2026-02-01', flightEnd: '2026-02-20' },
    ],
  } as unknown as Campaign;
  // li-1: its 100 flight days and 3 days a make-good added after its flight; li-2: 20 days.
  const byLineItem = new Map([
    ['li-1', [...rows('li-1', '2026-01-01', 100), ...rows('li-1', '2026-04-11', 3)]],
    ['li-2', rows('li-2', '2026-02-01', 20)],
  ]);
  const all = [...(byLineItem.get('li-1') ?? []), ...(byLineItem.get('li-2') ?? [])];

  it('reads a small campaign in one call', async () => {
    const { contract, calls } = ledgerOf(campaign, byLineItem, 1_000);
    const snapshot = await newCampaignReader(contract, 'AgencyMSP')('c1', cause);
    expect(snapshot.rows).to.deep.equal(all);
    expect(calls).to.deep.equal(['* …..…']);
  });

  it('reads a campaign too large for one answer line item by line item, halving days until each answer fits', async () => {
    const { contract, calls } = ledgerOf(campaign, byLineItem, 30);
    const snapshot = await newCampaignReader(contract, 'AgencyMSP')('c1', cause);
    expect(snapshot.rows).to.deep.equal(all);
    expect(calls[0]).to.equal('* …..…');
    expect(calls).to.include('li-2 …..…');
    // Days past the flight (the make-good's) are in the open upper part, not lost.
    expect(calls.some((c) => c.startsWith('li-1 ') && c.endsWith('..…') && c !== 'li-1 …..…')).to.equal(true);
  });

  it("reads a line item's changed days from a day on in halves, keeping the coverage's start", async () => {
    const { contract, calls } = ledgerOf(campaign, byLineItem, 25);
    const coverage = { lineItems: new Map([['li-1', '2026-03-01']]), invoices: false };
    const snapshot = await newCampaignReader(contract, 'AgencyMSP')('c1', cause, coverage);
    expect(snapshot.rows).to.deep.equal((byLineItem.get('li-1') ?? []).filter((r) => r.periodStart >= '2026-03-01'));
    expect(calls[0]).to.equal('li-1 2026-03-01..…');
    expect(calls.length).to.be.greaterThan(1);
  });

  it('gives up with RESULT_TOO_LARGE when a single day is still too large', async () => {
    const { contract } = ledgerOf(campaign, byLineItem, 0);
    const error = await newCampaignReader(contract, 'AgencyMSP')('c1', cause).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).to.be.instanceOf(AppError);
    expect((error as AppError).code).to.equal('RESULT_TOO_LARGE');
  });
});
