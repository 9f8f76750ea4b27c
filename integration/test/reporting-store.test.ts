import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openReportStore } from '@adrecon/gateway/dist/src/reporting/open-report-store';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { marchDay, uniqueId } from './support/campaign-fixtures';
import { loadProfile, mspOf, repoRoot } from './support/network-profile';
import {
  LEDGER_ROW_FIELDS,
  ledgerReportAll,
  randomizedRun,
  rowKey,
  seededRandom,
  startListener,
  storeReportAll,
  type JsonRow,
} from './support/reporting';
import { http, type RestGateway, servedWithin, startRestGateway } from './support/rest-gateway';

const CLIENTS = ['advertiser-finance', 'agency-finance', 'publisher-finance', 'publisher2-finance'];

function compareStoreWithLedger(store: readonly JsonRow[], ledger: readonly JsonRow[], who: string): void {
  const ledgerByKey = new Map(ledger.map((row) => [rowKey(row), row]));
  const storeByKey = new Map(store.map((row) => [rowKey(row), row]));
  expect(storeByKey.size, `${who}: store rows are unique`).to.equal(store.length);
  const missing = [...ledgerByKey.keys()].filter((key) => !storeByKey.has(key));
  const extra = [...storeByKey.keys()].filter((key) => !ledgerByKey.has(key));
  expect(missing, `${who}: ledger rows missing from the store`).to.deep.equal([]);
  expect(extra, `${who}: store rows the ledger does not have`).to.deep.equal([]);
  for (const [key, expected] of ledgerByKey) {
    const actual = storeByKey.get(key) ?? {};
    for (const field of LEDGER_ROW_FIELDS) {
      expect(actual[field], `${who}: ${key} ${field}`).to.deep.equal(expected[field]);
    }
    expect(actual.blockNumber, `${who}: ${key} carries its block`).to.match(/^\d+$/);
    expect(actual.transactionId, `${who}: ${key} carries its transaction`).to.match(/^[0-9a-f]{64}$/);
  }
}

function storeVsLedger() {
  describe("reporting store (embedded) vs the chaincode's evaluated report", function () {
    this.timeout(600_000);
    const profile = loadProfile();
    let gateway: RestGateway;

    before(async () => {
      gateway = await startRestGateway({ ADRECON_REPORTING: 'on' });
    });
    after(async () => {
      await gateway.stop();
    });

    it('after a randomized run of reports, resolutions, invoices and payments, every row equals the ledger, field by field, for every organization', async () => {
      const seed = Number(process.env.ADRECON_TEST_SEED ?? Date.now() % 1_000_000);
      const ids = await randomizedRun(gateway, profile, seededRandom(seed), 4, 8);
      for (const clientId of CLIENTS) {
        const store = await storeReportAll(gateway, clientId);
        const ledger = await ledgerReportAll(gateway, clientId);
        compareStoreWithLedger(store.rows, ledger, `${clientId} (seed ${seed})`);
        expect(BigInt(store.asOfBlock) >= (gateway.token ?? 0n), 'asOfBlock covers the consistency token').to.be.true;
        const sums = (rows: readonly JsonRow[], field: string) => rows.reduce((t, r) => t + Number(r[field] ?? 0), 0);
        for (const field of [
          'billableImpressions',
          'amountMicros',
          'invoicedMicros',
          'paidMicros',
          'outstandingMicros',
        ]) {
          expect(store.totals[field], `${clientId} totals.${field}`).to.equal(sums(ledger, field));
        }
      }
      const ours = await storeReportAll(gateway, 'agency-finance', `&campaignId=${ids[0] ?? ''}`);
      expect(ours.rows.length).to.be.above(0);
      expect(ours.rows.every((row) => row.campaignId === ids[0])).to.be.true;
    });

    it('filters by status and date range, pages with a cursor, and the month-end report covers every campaign of March', async () => {
      const disputed = await storeReportAll(
        gateway,
        'agency-finance',
        '&status=DISPUTED&from=2026-03-02&to=2026-03-05',
      );
      for (const row of disputed.rows) {
        expect(row.status).to.equal('DISPUTED');
        expect(String(row.periodStart) >= '2026-03-02' && String(row.periodStart) < '2026-03-06').to.be.true;
      }
      const month = await storeReportAll(gateway, 'agency-finance', '&month=2026-03');
      const all = await storeReportAll(gateway, 'agency-finance');
      expect(month.rows.length).to.equal(all.rows.filter((r) => String(r.periodStart).startsWith('2026-03')).length);
      const small = await http<{ data: { rows: JsonRow[]; nextCursor: string } }>(
        gateway,
        'GET',
        '/reports/reconciliation?pageSize=7',
        { clientId: 'agency-finance' },
      );
      expect(small.body.data.rows).to.have.length(7);
      expect(small.body.data.nextCursor).to.not.equal('');
      const bad = await http<{ error: { code: string } }>(gateway, 'GET', '/reports/reconciliation?cursor=xyz', {
        clientId: 'agency-finance',
      });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.code).to.equal('VALIDATION_FAILED');
    });

    it('waits for a transaction ID to be reflected (read-your-writes after a submit), and exports CSV and XLSX with typed cells', async () => {
      const [campaignId] = await randomizedRun(gateway, profile, seededRandom(7), 1, 2);
      // The store first applies the randomized run's last write: a read carrying the consistency token (X-Min-Block,
      // that write's block) is answered once the store has applied it, 503 LEDGER_BEHIND until then. A re-read that
      // runs after a later write of the campaign committed stamps what it reads with the earlier transaction
      // (docs/reporting.md, Limits): the provenance asserted below is that of a store that was up to date.
      const upToDate = await servedWithin(120_000, () =>
        http(gateway, 'GET', `/reports/reconciliation?campaignId=${campaignId ?? ''}&pageSize=1`, {
          clientId: 'publisher-finance',
        }),
      );
      expect(upToDate.status, upToDate.text).to.equal(200);
      const report = {
        reportId: uniqueId('late'),
        campaignId,
        lineItemId: 'li-1',
        ...marchDay(20),
        impressions: 12_345,
        invalidImpressions: 45,
      };
      const written = await http<{ transactionId: string }>(gateway, 'POST', '/delivery-reports', {
        clientId: 'publisher-operations',
        body: report,
      });
      expect(written.status, written.text).to.equal(201);
      const read = await http<{ data: { rows: JsonRow[]; asOfBlock: string } }>(
        gateway,
        'GET',
        `/reports/reconciliation?campaignId=${campaignId ?? ''}&lineItemId=li-1&from=2026-03-20&to=2026-03-20&waitForTransaction=${written.body.transactionId}`,
        { clientId: 'publisher-finance', consistent: false },
      );
      expect(read.status, read.text).to.equal(200);
      expect(read.body.data.rows[0]?.firstPartyImpressions).to.equal(12_300);
      expect(read.body.data.rows[0]?.transactionId).to.equal(written.body.transactionId);

      const csv = await http(gateway, 'GET', `/reports/reconciliation?campaignId=${campaignId ?? ''}&format=csv`, {
        clientId: 'agency-finance',
      });
      expect(csv.status).to.equal(200);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).to.match(/^campaignId,lineItemId,publisher,timeZone,day,periodStart/);
      expect(lines.at(-1)).to.match(/^TOTAL,/);
      const json = await storeReportAll(gateway, 'agency-finance', `&campaignId=${campaignId ?? ''}`);
      expect(lines).to.have.length(1 + json.rows.length + 1);

      const url = `${gateway.urlFor('agency-finance')}/reports/reconciliation?campaignId=${campaignId ?? ''}&format=xlsx`;
      const res = await fetch(url, { headers: { authorization: `Bearer ${gateway.key('agency-finance')}` } });
      expect(res.status).to.equal(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await res.arrayBuffer());
      const sheet = workbook.getWorksheet('Reconciliation');
      expect(sheet?.rowCount).to.equal(1 + json.rows.length + 1);
      const header = (sheet?.getRow(1).values as unknown[]).slice(1);
      const col = (name: string) => header.indexOf(name) + 1;
      const second = sheet?.getRow(2);
      expect(second?.getCell(col('periodStart')).value).to.be.instanceOf(Date);
      expect(second?.getCell(col('cpmMicros')).value).to.be.a('number');
      expect(sheet?.getRow(sheet.rowCount).getCell(1).value).to.equal('TOTAL');
    });
  });
}

storeVsLedger();

describe('reporting listener: kill -9 mid-stream, restart, and a rebuild from block 0', function () {
  this.timeout(600_000);
  const profile = loadProfile();
  const agency = mspOf(profile, 'AGENCY');
  let gateway: RestGateway;
  const dirs: string[] = [];
  const newDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-store-'));
    dirs.push(dir);
    return dir;
  };

  before(async () => {
    gateway = await startRestGateway();
  });
  after(async () => {
    await gateway.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loses and repeats nothing: the restarted store equals a store rebuilt from block 0 and holds every write', async () => {
    const killedDir = newDir();
    let listener = startListener(agency, { ADRECON_REPORTING_DIR: killedDir });
    await listener.until((line) => line.lagBlocks === 0);
    const load = randomizedRun(gateway, profile, seededRandom(11), 4, 10);
    const start = BigInt(listener.last()?.checkpoint ?? '0');
    await listener.until((line) => BigInt(line.checkpoint ?? '0') >= start + 3n);
    await listener.kill9();
    const killedAt = listener.last()?.checkpoint;
    listener = startListener(agency, { ADRECON_REPORTING_DIR: killedDir });
    const campaigns = await load;
    const end = gateway.token ?? 0n;
    await listener.until((line) => BigInt(line.checkpoint ?? '0') >= end);
    const restartErrors = listener.errors();
    await listener.stop();

    const rebuiltDir = newDir();
    const rebuild = startListener(agency, { ADRECON_REPORTING_DIR: rebuiltDir });
    await rebuild.until((line) => BigInt(line.checkpoint ?? '0') >= end);
    await rebuild.stop();
    expect(restartErrors, `the restarted listener (killed at ${killedAt ?? '?'}) never failed`).to.deep.equal([]);

    const killed = await openReportStore({ directory: killedDir });
    const rebuilt = await openReportStore({ directory: rebuiltDir });
    try {
      const upTo = end;
      const transactionsOf = async (store: typeof killed) => {
        const out: string[] = [];
        for (const id of campaigns) {
          const page = await store.report({ campaignId: id, limit: 10_000 });
          out.push(...page.rows.map((r) => rowKey(r as unknown as JsonRow)));
        }
        return out.sort();
      };
      expect(await transactionsOf(killed)).to.deep.equal(await transactionsOf(rebuilt));
      const strip = (rows: readonly Record<string, unknown>[]) =>
        rows.map((row) => Object.fromEntries(LEDGER_ROW_FIELDS.map((f) => [f, row[f]])));
      const a = await killed.report({ limit: 100_000, to: '2026-12-31' });
      const b = await rebuilt.report({ limit: 100_000, to: '2026-12-31' });
      expect(strip(a.rows as unknown as JsonRow[])).to.deep.equal(strip(b.rows as unknown as JsonRow[]));
      const countsA = await killed.counts();
      const countsB = await rebuilt.counts();
      expect(countsA).to.deep.equal(countsB);
      expect(((await killed.checkpoint()) ?? -1n) >= upTo).to.be.true;
      for (const id of campaigns) {
        expect((await killed.report({ campaignId: id, limit: 1 })).rowCount, id).to.be.above(0);
      }
    } finally {
      await killed.close();
      await rebuilt.close();
    }
  });
});

describe("reporting store (PostgreSQL, started by tools/postgres.sh) vs the chaincode's evaluated report", function () {
  this.timeout(600_000);
  const profile = loadProfile();
  const agency = mspOf(profile, 'AGENCY');
  let gateway: RestGateway;
  let databaseUrl: string;

  before(async () => {
    databaseUrl = execFileSync('bash', [path.join(repoRoot, 'tools/postgres.sh'), 'start'], {
      encoding: 'utf8',
    }).trim();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // A rebuild from block 0 on every run: the schema starts empty.
    await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');
    await client.end();
    gateway = await startRestGateway();
  });
  after(async () => {
    await gateway.stop();
  });

  it("a listener into PostgreSQL holds every row of the ledger's report, field by field, after a randomized run", async () => {
    await randomizedRun(gateway, profile, seededRandom(Number(process.env.ADRECON_TEST_SEED ?? 5)), 3, 6);
    const listener = startListener(agency, { ADRECON_REPORTING_DATABASE_URL: databaseUrl });
    const end = gateway.token ?? 0n;
    await listener.until((line) => BigInt(line.checkpoint ?? '0') >= end);
    const errors = listener.errors();
    await listener.stop();
    expect(errors).to.deep.equal([]);
    const store = await openReportStore({ databaseUrl, directory: '' });
    try {
      expect(store.backend).to.equal('postgresql');
      const page = await store.report({ limit: 100_000 });
      const rows = page.rows.map((row) => ({ ...row, blockNumber: row.blockNumber.toString() }));
      compareStoreWithLedger(
        rows,
        await ledgerReportAll(gateway, 'agency-finance', '/reports/reconciliation'),
        'agency on PostgreSQL',
      );
    } finally {
      await store.close();
    }
  });
});
