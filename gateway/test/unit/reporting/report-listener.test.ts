import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Campaign, ReportRow } from '@adrecon/contract';
import { expect } from 'chai';
import { pino } from 'pino';
import type { BlockSource, LedgerBlockStream } from '../../../src/reporting/block-source';
import type { CampaignReader } from '../../../src/reporting/campaign-reader';
import type { LedgerBlock } from '../../../src/reporting/ledger-block';
import { openReportStore } from '../../../src/reporting/open-report-store';
import { newReportListener } from '../../../src/reporting/report-listener';
import type { ReportStore } from '../../../src/reporting/report-store';

const encoder = new TextEncoder();

function block(number: number, campaignId: string | undefined, parties = ['AgencyMSP']): LedgerBlock {
  return {
    number: BigInt(number),
    transactions:
      campaignId === undefined
        ? []
        : [
            {
              transactionId: `tx${String(number)}`,
              valid: true,
              events: [
                {
                  chaincodeName: 'adrecon',
                  eventName: 'DeliveryReported',
                  payload: encoder.encode(JSON.stringify({ campaignId, parties })),
                },
              ],
            },
          ],
  };
}

/** A block of one transaction whose event names `payload` (with the agency as party). */
function blockOf(number: number, payload: Record<string, unknown>): LedgerBlock {
  return {
    number: BigInt(number),
    transactions: [
      {
        transactionId: `tx${String(number)}`,
        valid: true,
        events: [
          {
            chaincodeName: 'adrecon',
            eventName: 'DeliveryBatchReported',
            payload: encoder.encode(JSON.stringify({ ...payload, parties: ['AgencyMSP'] })),
          },
        ],
      },
    ],
  };
}

/** A peer as a fixed list of blocks: a stream from any block, its height. */
function fakeSource(blocks: LedgerBlock[]): BlockSource & { opened: bigint[] } {
  const opened: bigint[] = [];
  return {
    opened,
    blocks(start: bigint): Promise<LedgerBlockStream> {
      opened.push(start);
      let closed = false;
      return Promise.resolve({
        close: () => {
          closed = true;
        },
        async *[Symbol.asyncIterator]() {
          for (const b of blocks.filter((x) => x.number >= start)) {
            if (closed) return;
            yield b;
          }
          while (!closed) await new Promise((resolve) => setTimeout(resolve, 10));
        },
      });
    },
    height: () => Promise.resolve(BigInt(blocks.length)),
    close: () => undefined,
  };
}

function row(campaignId: string, day: number, billable: number, lineItemId = 'li-1'): ReportRow {
  const start = `2026-03-${String(day).padStart(2, '0')}T00:00:00Z`;
  return {
    campaignId,
    lineItemId,
    publisher: 'PublisherMSP',
    periodStart: start,
    periodEnd: `2026-03-${String(day + 1).padStart(2, '0')}T00:00:00Z`,
    firstPartyImpressions: billable,
    thirdPartyImpressions: billable,
    discrepancyBps: 0,
    status: 'WITHIN_TOLERANCE',
    agreedImpressions: null,
    resolution: null,
    billingBasis: 'THIRD_PARTY',
    billableImpressions: billable,
    cpmMicros: 2_500_000,
    amountMicros: billable * 2_500,
    invoiceId: null,
    invoicedMicros: 0,
    paidMicros: 0,
    outstandingMicros: 0,
    overdue: false,
    invoicedBy: null,
  };
}

/**
 * The "chaincode": each campaign's rows as they are now, changed by the test between blocks; a coverage of line
 * items (from a day on) answers only those rows, as `reconciliation:Report` with `lineItemId` and `from` does.
 */
function fakeReader(state: Map<string, ReportRow[]>, reads: string[]): CampaignReader {
  return (campaignId, cause, coverage) => {
    const covered = coverage?.lineItems;
    reads.push(
      covered === undefined
        ? campaignId
        : `${campaignId}:${[...covered].map(([id, from]) => `${id}>=${from ?? '*'}`).join(',')}`,
    );
    const inCoverage = (r: ReportRow) =>
      covered === undefined ||
      (covered.has(r.lineItemId) && r.periodStart.slice(0, 10) >= (covered.get(r.lineItemId) ?? ''));
    const rows = state.get(campaignId)?.filter(inCoverage);
    const campaign = {
      campaignId,
      name: campaignId,
      status: 'ACTIVE',
      advertiser: 'AdvertiserMSP',
      agency: 'AgencyMSP',
      currency: 'EUR',
      version: 1,
      discrepancyToleranceBps: 1000,
      lineItems: [],
    } as unknown as Campaign;
    return Promise.resolve({
      campaignId,
      campaign: rows === undefined ? undefined : campaign,
      rows: rows ?? [],
      invoices: [],
      cause,
      ...(coverage === undefined ? {} : { coverage }),
    });
  };
}

describe('reporting listener and store (embedded PGlite)', function () {
  this.timeout(120_000);
  let dir: string;
  let store: ReportStore;
  const logger = pino({ level: 'silent' });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-store-unit-'));
    store = await openReportStore({ directory: dir });
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies blocks from 0, re-reads only visible campaigns, stamps changed rows with their block and transaction, and resumes after its checkpoint', async () => {
    const state = new Map<string, ReportRow[]>([
      ['c1', [row('c1', 1, 100), row('c1', 2, 200)]],
      ['c2', [row('c2', 1, 50)]],
    ]);
    const reads: string[] = [];
    const blocks = [block(0, undefined), block(1, 'c1'), block(2, 'c2'), block(3, 'c3', ['OtherMSP'])];
    const source = fakeSource(blocks);
    const listener = newReportListener({
      organization: 'AgencyMSP',
      chaincode: 'adrecon',
      store,
      source,
      readCampaign: fakeReader(state, reads),
      logger,
    });
    listener.start();
    expect(await listener.waitForBlock(3n, 10_000)).to.be.true;
    await listener.stop();
    expect(reads.sort()).to.deep.equal(['c1', 'c2']);
    expect(await store.checkpoint()).to.equal(3n);
    expect(await store.transactionBlock('tx2')).to.equal(2n);
    const all = await store.report({ limit: 100 });
    expect(all.rows.map((r) => [r.campaignId, r.billableImpressions, r.transactionId])).to.deep.equal([
      ['c1', 100, 'tx1'],
      ['c1', 200, 'tx1'],
      ['c2', 50, 'tx2'],
    ]);
    expect(all.totals.billableImpressions).to.equal(350);

    // Day 2 of c1 changes in block 4; day 1 does not: only day 2 takes the new provenance.
    state.set('c1', [row('c1', 1, 100), row('c1', 2, 210)]);
    blocks.push(block(4, 'c1'));
    const again = fakeSource(blocks);
    const second = newReportListener({
      organization: 'AgencyMSP',
      chaincode: 'adrecon',
      store,
      source: again,
      readCampaign: fakeReader(state, reads),
      logger,
    });
    second.start();
    expect(await second.waitForTransaction('tx4', 10_000)).to.equal(4n);
    await second.stop();
    expect(again.opened[0]).to.equal(4n);
    const c1 = await store.report({ campaignId: 'c1', limit: 100 });
    expect(c1.rows.map((r) => [r.billableImpressions, r.transactionId])).to.deep.equal([
      [100, 'tx1'],
      [210, 'tx4'],
    ]);
    expect((await store.counts()).transactions, 'every transaction, c3 (not ours) included').to.equal(4);
  });

  it("re-reads only the line items and days a block's events name, and removes only what is gone inside them", async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-store-unit-'));
    const scoped = await openReportStore({ directory: fresh });
    try {
      const state = new Map<string, ReportRow[]>([
        ['k', [row('k', 1, 10), row('k', 2, 20), row('k', 3, 30), row('k', 1, 5, 'li-2'), row('k', 2, 6, 'li-2')]],
      ]);
      const reads: string[] = [];
      // Block 0 names the whole campaign; block 1 names li-1 from day 2, li-2 (not named again) keeps its rows.
      const blocks = [blockOf(0, { campaignId: 'k' })];
      const listener = newReportListener({
        organization: 'AgencyMSP',
        chaincode: 'adrecon',
        store: scoped,
        source: fakeSource(blocks),
        readCampaign: fakeReader(state, reads),
        logger,
      });
      listener.start();
      expect(await listener.waitForBlock(0n, 10_000)).to.be.true;
      await listener.stop();
      expect((await scoped.report({ campaignId: 'k', limit: 100 })).rowCount).to.equal(5);

      // Day 3 of li-1 disappears and day 2 changes; day 1 of li-1 and li-2 must keep their rows and provenance
      // although the re-read does not return them.
      state.set('k', [row('k', 1, 10), row('k', 2, 21), row('k', 1, 5, 'li-2'), row('k', 2, 6, 'li-2')]);
      blocks.push(blockOf(1, { campaignId: 'k', lineItemIds: ['li-1'], periodStart: '2026-03-02T00:00:00Z' }));
      const second = newReportListener({
        organization: 'AgencyMSP',
        chaincode: 'adrecon',
        store: scoped,
        source: fakeSource(blocks),
        readCampaign: fakeReader(state, reads),
        logger,
      });
      second.start();
      expect(await second.waitForBlock(1n, 10_000)).to.be.true;
      await second.stop();
      expect(reads).to.deep.equal(['k', 'k:li-1>=2026-03-02']);
      const stored = await scoped.report({ campaignId: 'k', limit: 100 });
      expect(
        stored.rows.map((r) => [r.lineItemId, r.periodStart.slice(0, 10), r.billableImpressions, r.transactionId]),
      ).to.deep.equal([
        ['li-1', '2026-03-01', 10, 'tx0'],
        ['li-1', '2026-03-02', 21, 'tx1'],
        ['li-2', '2026-03-01', 5, 'tx0'],
        ['li-2', '2026-03-02', 6, 'tx0'],
      ]);
      expect(stored.totals.billableImpressions).to.equal(42);
    } finally {
      await scoped.close();
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('pages with a cursor over every selected row and keeps totals over the whole selection', async () => {
    const first = await store.report({ limit: 2 });
    expect(first.rows).to.have.length(2);
    expect(first.rowCount).to.equal(3);
    const second = await store.report({ limit: 2, cursor: first.nextCursor });
    expect(second.rows).to.have.length(1);
    expect(second.nextCursor).to.equal('');
    expect(second.totals).to.deep.equal(first.totals);
    const filtered = await store.report({ limit: 10, from: '2026-03-02', to: '2026-03-02' });
    expect(filtered.rows.map((r) => r.periodStart)).to.deep.equal(['2026-03-02T00:00:00Z']);
  });

  it('refuses to apply a transaction twice: the batch rolls back and the checkpoint stays', async () => {
    const before = await store.checkpoint();
    const duplicate = {
      lastBlock: 9n,
      transactions: [{ transactionId: 'tx1', blockNumber: 9n, eventName: 'DeliveryReported', campaignId: 'c1' }],
      snapshots: [],
    };
    const failed = await store.apply(duplicate).then(
      () => false,
      () => true,
    );
    expect(failed).to.be.true;
    expect(await store.checkpoint()).to.equal(before);
  });
});
