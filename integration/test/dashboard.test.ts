import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { campaignTerms, marchDay, uniqueId } from './support/campaign-fixtures';
import { loadProfile, repoRoot } from './support/network-profile';
import { http, type RestGateway, startRestGateway } from './support/rest-gateway';
import { csvRecords } from './support/csv';

/** Where the run's screenshots go (git-ignored); docs/images/dashboard.png is one of them, copied by hand. */
const SCREENSHOTS = path.join(repoRoot, '.test-summary', 'screenshots');

async function waitForFile(dir: string, suffix: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = fs.readdirSync(dir).find((name) => name.endsWith(suffix));
    if (found !== undefined) return path.join(dir, found);
    if (Date.now() > deadline) throw new Error(`no ${suffix} downloaded into ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const step = (what: string) => {
  if (process.env.ADRECON_TEST_VERBOSE === '1') process.stderr.write(`${new Date().toISOString()} ${what}\n`);
};

describe('finance desk dashboard in headless Chromium', function () {
  this.timeout(300_000);
  const profile = loadProfile();
  let gateway: RestGateway;
  let browser: Browser;
  let campaignId: string;
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-downloads-'));

  before(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const executablePath = execFileSync('bash', [path.join(repoRoot, 'tools/chromium.sh')], {
      encoding: 'utf8',
    }).trim();
    gateway = await startRestGateway({ ADRECON_REPORTING: 'on' });
    const terms = campaignTerms(profile, { name: 'Desk test' });
    campaignId = terms.campaignId;
    const ok = (res: { status: number; text: string }) => {
      expect(res.status, res.text).to.be.oneOf([200, 201]);
    };
    ok(await http(gateway, 'POST', '/campaigns', { clientId: 'advertiser-operations', body: terms }));
    for (const clientId of ['agency-operations', 'publisher-operations']) {
      ok(await http(gateway, 'POST', `/campaigns/${campaignId}/acceptances`, { clientId, body: { version: 1 } }));
    }
    const reports = (reporter: string, counts: number[]) =>
      counts.map((impressions, i) => ({
        reportId: uniqueId(reporter),
        campaignId,
        lineItemId: 'li-1',
        ...marchDay(i + 1),
        impressions,
        invalidImpressions: 0,
      }));
    ok(
      await http(gateway, 'POST', '/delivery-reports/batch', {
        clientId: 'publisher-operations',
        body: { reports: reports('p', [50_000, 100_000, 52_000, 51_000]) },
      }),
    );
    ok(
      await http(gateway, 'POST', '/delivery-reports/batch', {
        clientId: 'agency-operations',
        body: { reports: reports('a', [49_000, 80_000, 51_500, 50_000]) },
      }),
    );
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      downloadBehavior: { policy: 'allow', downloadPath: downloads },
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });
  after(async () => {
    await browser.close();
    await gateway.stop();
    fs.rmSync(downloads, { recursive: true, force: true });
  });

  async function signIn(clientId: string): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`${gateway.urlFor(clientId)}/dashboard/`);
    await page.type('#api-key', gateway.key(clientId));
    await page.click('#sign-in');
    // The store may still be catching up from block 0 after the gateways' start: the page reloads as it moves on.
    await page.waitForSelector(`a[data-campaign="${campaignId}"]`, { timeout: 180_000 });
    return page;
  }

  async function openCampaign(page: Page): Promise<void> {
    await page.click(`a[data-campaign="${campaignId}"]`);
    await page.waitForSelector('.chart canvas', { timeout: 30_000 });
  }

  it('signs in, shows the disputed day on the chart, resolves it from the screen, sees it live, and exports CSV and XLSX', async () => {
    const publisher = await signIn('publisher-operations');
    await publisher.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-campaigns.png') });
    await openCampaign(publisher);
    const disputedRow = 'tr.DISPUTED[data-day="2026-03-02"]';
    await publisher.waitForSelector(disputedRow);
    await publisher.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-disputed.png'), fullPage: true });

    await publisher.type(`${disputedRow} input.agreed`, '90000');
    await publisher.click(`${disputedRow} button.propose`);
    await publisher.waitForFunction(
      `document.querySelector('${disputedRow}')?.textContent?.includes('proposed 90,000') ?? false`,
      { timeout: 30_000 },
    );

    const agency = await signIn('agency-operations');
    await openCampaign(agency);
    await agency.waitForSelector(`${disputedRow} button.accept`, { timeout: 30_000 });
    await agency.click(`${disputedRow} button.accept`);

    // The publisher's screen changes by itself: the event stream names the transaction, the page re-reads the store.
    await publisher.waitForSelector('tr.RESOLVED[data-day="2026-03-02"]', { timeout: 60_000 });
    const live = String(await publisher.evaluate("document.querySelector('#live').textContent"));
    expect(live).to.match(/DisputeResolved/);
    await publisher.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-resolved.png'), fullPage: true });
    expect(String(await publisher.evaluate("document.querySelector('#lag').textContent"))).to.match(/lag \d+ blocks/);
    step('exporting CSV');

    // A click through the DOM: the download starts from the page's own click handler (no synthetic mouse input).
    await publisher.evaluate("document.querySelector('#export-csv').click()");
    step('clicked');
    const csv = fs.readFileSync(await waitForFile(downloads, '.csv'), 'utf8');
    step('CSV read');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).to.match(/^campaignId,lineItemId/);
    const resolved = csvRecords(csv).find(
      (r) =>
        r.campaignId === campaignId &&
        r.lineItemId === 'li-1' &&
        r.publisher === 'PublisherMSP' &&
        r.day === '2026-03-02',
    );
    expect(resolved, csv).to.not.equal(undefined);
    expect(resolved?.periodStart).to.equal('2026-03-02T00:00:00Z');
    expect(resolved?.status).to.equal('RESOLVED');
    expect(lines.at(-1)).to.match(/^TOTAL,/);
    expect(lines).to.have.length(1 + 4 + 1);

    step('exporting XLSX');
    await publisher.evaluate("document.querySelector('#export-xlsx').click()");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await waitForFile(downloads, '.xlsx'));
    const sheet = workbook.getWorksheet('Reconciliation');
    expect(sheet?.rowCount).to.equal(1 + 4 + 1);
    const header = (sheet?.getRow(1).values as unknown[]).slice(1);
    const row = sheet?.getRow(3);
    expect(row?.getCell(header.indexOf('status') + 1).value).to.equal('RESOLVED');
    expect(row?.getCell(header.indexOf('billableImpressions') + 1).value).to.equal(90_000);
    expect(row?.getCell(header.indexOf('periodStart') + 1).value).to.be.instanceOf(Date);
  });
});
