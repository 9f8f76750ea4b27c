import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Campaign, ReportRow } from '@adrecon/contract';
import { expect } from 'chai';
import { openReportStore } from '../../../src/reporting/open-report-store';
import { openPgliteDriver } from '../../../src/reporting/pglite-driver';
import { openSqlReportStore } from '../../../src/reporting/sql-report-store';
import { migrate } from '../../../src/reporting/store-migrations';
import type { ReportStore, StoreReportQuery } from '../../../src/reporting/report-store';

const DAY_MS = 86_400_000;

/**
 * A row of line item `lineItemId` on day `d` of 2026, with nulls, a JSON column and both booleans among them, and
 * the optional columns (zone, unit, make-good units) present on some days and absent on others, in every combination.
 */
function row(lineItemId: string, d: number): ReportRow {
  const start = Date.UTC(2026, 0, 1) + d * DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
  return {
    campaignId: 'c1',
    lineItemId,
    periodStart: iso(start),
    periodEnd: iso(start + DAY_MS),
    publisher: 'PublisherMSP',
    firstPartyImpressions: 10_000 + d,
    thirdPartyImpressions: d % 4 === 0 ? null : 9_900,
    discrepancyBps: 100,
    status: d % 5 === 0 ? 'DISPUTED' : 'WITHIN_TOLERANCE',
    agreedImpressions: null,
    resolution: d % 5 === 0 ? { proposedBy: 'AgencyMSP', agreedImpressions: 9_950 } : null,
    billingBasis: 'THIRD_PARTY',
    billableImpressions: 9_900,
    cpmMicros: 1_500_000,
    amountMicros: 14_850_000,
    invoiceId: null,
    invoicedMicros: 0,
    creditedMicros: 0,
    paidMicros: 0,
    outstandingMicros: 0,
    overdue: d % 3 === 0,
    invoicedBy: null,
    ...(d % 2 === 0 ? { timeZone: 'UTC' } : {}),
    ...(d % 3 === 1 ? { billableUnit: 'VIEWABLE_IMPRESSIONS' } : {}),
    ...(d % 5 === 2 ? { makeGoodImpressions: 120 } : {}),
  } as unknown as ReportRow;
}

const campaign = {
  campaignId: 'c1',
  name: 'c',
  status: 'ACTIVE',
  advertiser: 'AdvertiserMSP',
  agency: 'AgencyMSP',
  currency: 'USD',
  version: 1,
  lineItems: [],
} as unknown as Campaign;

/** Applies block `block`: one transaction that re-read line item `lineItemId` of campaign c1 as `rows`. */
function applyRows(store: ReportStore, block: number, lineItemId: string, rows: ReportRow[]): Promise<void> {
  const cause = { blockNumber: BigInt(block), transactionId: `tx${String(block)}` };
  return store.apply({
    lastBlock: cause.blockNumber,
    transactions: [{ ...cause, eventName: 'DeliveryBatchReported', campaignId: 'c1' }],
    snapshots: [
      {
        campaignId: 'c1',
        campaign,
        rows,
        invoices: [],
        cause,
        coverage: { lineItems: new Map([[lineItemId, undefined]]), invoices: false },
      },
    ],
  });
}

describe('SQL report store: JSON pages built by the database (embedded PGlite)', function () {
  this.timeout(120_000);
  let dir: string;
  let store: ReportStore;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-store-json-'));
    store = await openReportStore({ directory: dir });
    for (const [i, lineItemId] of ['li-1', 'li-2', 'li-3'].entries()) {
      await applyRows(
        store,
        i + 1,
        lineItemId,
        Array.from({ length: 40 }, (_, d) => row(lineItemId, d)),
      );
    }
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Every page both ways: the JSON rows parse to the row objects' JSON form, same keys in the same order. */
  async function pagesAgree(query: Omit<StoreReportQuery, 'cursor'>): Promise<number> {
    let cursor = '';
    let pages = 0;
    do {
      const objects = await store.report({ ...query, cursor });
      const json = await store.reportJson({ ...query, cursor });
      const expected = objects.rows.map((r) => ({ ...r, blockNumber: r.blockNumber.toString() }));
      const parsed = JSON.parse(json.rowsJson) as Record<string, unknown>[];
      expect(parsed).to.deep.equal(expected);
      expect(parsed.map((r) => Object.keys(r))).to.deep.equal(expected.map((r) => Object.keys(r)));
      const pick = (p: typeof json | typeof objects) => [p.totals, p.rowCount, p.asOfBlock, p.nextCursor];
      expect(pick(json)).to.deep.equal(pick(objects));
      cursor = objects.nextCursor;
      pages++;
    } while (cursor !== '');
    return pages;
  }

  it('answers the same rows, totals, count and cursors as the row objects, page after page', async () => {
    expect(await pagesAgree({ limit: 7 })).to.equal(18);
    expect(await pagesAgree({ limit: 40 })).to.equal(3);
    expect(await pagesAgree({ limit: 120 })).to.equal(1);
    expect(await pagesAgree({ limit: 1, lineItemId: 'li-2', from: '2026-01-05', to: '2026-01-09' })).to.equal(5);
  });

  it('answers an empty JSON array for a selection without rows', async () => {
    const page = await store.reportJson({ limit: 10, campaignId: 'none' });
    expect(page.rowsJson).to.equal('[]');
    expect(page.rowCount).to.equal(0);
    expect(page.nextCursor).to.equal('');
  });
});

describe('SQL report store: stored JSON text and planner statistics (embedded PGlite)', function () {
  this.timeout(120_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-store-render-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('renders on open the rows stored without their JSON text, and refreshes statistics as rows arrive', async () => {
    const driver = await openPgliteDriver(dir);
    await migrate(driver);
    let store = await openSqlReportStore(driver);
    await applyRows(
      store,
      1,
      'li-1',
      Array.from({ length: 30 }, (_, d) => row('li-1', d)),
    );
    const written = (await store.reportJson({ limit: 100 })).rowsJson;
    // As a store of an earlier version left them (or a migration that changed the row's fields resets them).
    await driver.exec('UPDATE reconciliation_rows SET row_json = NULL');
    expect((await store.reportJson({ limit: 100 })).rowsJson).to.equal('[]');
    store = await openSqlReportStore(driver);
    expect((await store.reportJson({ limit: 100 })).rowsJson).to.equal(written);
    expect(JSON.parse(written)).to.have.length(30);

    const analyzed = async () =>
      Number(
        (
          await driver.query<{ n: unknown }>(
            "SELECT analyze_count AS n FROM pg_stat_user_tables WHERE relname = 'reconciliation_rows'",
          )
        )[0]?.n,
      );
    const before = await analyzed();
    await applyRows(
      store,
      2,
      'li-1',
      Array.from({ length: 300 }, (_, d) => row('li-1', d)),
    );
    expect(await analyzed()).to.equal(before);
    await applyRows(
      store,
      3,
      'li-1',
      Array.from({ length: 300 }, (_, d) => row('li-1', d)),
    );
    expect(await analyzed()).to.equal(before + 1);
    await store.close();
  });
});
