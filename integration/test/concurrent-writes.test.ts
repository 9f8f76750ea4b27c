import { expect } from 'chai';
import { campaignTerms, marchDay, uniqueId } from './support/campaign-fixtures';
import { loadProfile } from './support/network-profile';
import { http, type HttpResult, type RestGateway, startRestGateway } from './support/rest-gateway';

interface Envelope<T> {
  data: T;
  transactionId?: string;
  block?: string;
}
interface HistoryEntry {
  txId: string;
}

/** How many identical requests race in each case. */
const RACERS = 10;

/**
 * Identical writes racing each other through the REST API on the real network, without Idempotency-Keys: as if the
 * requests had been serialized, the first creates (201), each identical repeat answers the existing record (200),
 * a different one is refused (409), and none answers a 5xx.
 */
describe('concurrent writes (clean outcomes without Idempotency-Keys)', function () {
  this.timeout(300_000);
  const profile = loadProfile();
  let gateway: RestGateway;
  const statuses: number[] = [];
  const campaign = campaignTerms(profile);
  const { campaignId } = campaign;
  const dayPath = `/reconciliations/${campaignId}/li-1/${encodeURIComponent(marchDay(2).periodStart)}`;
  const invoiceId = uniqueId('inv');

  before(async () => {
    gateway = await startRestGateway();
  });
  after(async () => {
    await gateway.stop();
  });

  /** Sends `count` copies of one request at once; every answer is tallied for the 5xx count. */
  async function race(
    count: number,
    method: string,
    path: string,
    options: { clientId: string; body?: unknown } | ((i: number) => { clientId: string; body?: unknown }),
  ): Promise<HttpResult<Envelope<unknown>>[]> {
    const answers = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        http<Envelope<unknown>>(gateway, method, path, typeof options === 'function' ? options(i) : options),
      ),
    );
    statuses.push(...answers.map((a) => a.status));
    const serverErrors = answers.filter((a) => a.status >= 500).map((a) => `${String(a.status)} ${a.text}`);
    expect(serverErrors, `${method} ${path}`).to.deep.equal([]);
    return answers;
  }

  /** One 201, the rest 200, all with the same record id. */
  function expectOneCreated(answers: readonly HttpResult<Envelope<unknown>>[], label: string): void {
    const counts = answers.map((a) => a.status).sort((a, b) => a - b);
    const errors = answers.filter((a) => a.status !== 200 && a.status !== 201).map((a) => a.text);
    expect(counts, `${label}: ${errors.join('\n')}`).to.deep.equal([
      ...Array<number>(answers.length - 1).fill(200),
      201,
    ]);
  }

  async function historyLength(path: string, clientId: string): Promise<number> {
    const res = await http<Envelope<HistoryEntry[]>>(gateway, 'GET', path, { clientId });
    expect(res.status, res.text).to.equal(200);
    return new Set(res.body.data.map((entry) => entry.txId)).size;
  }

  it('proposes one campaign out of identical concurrent proposals; another content with the same id is 409', async () => {
    const answers = await race(RACERS, 'POST', '/campaigns', { clientId: 'advertiser-operations', body: campaign });
    expectOneCreated(answers, 'POST /campaigns');
    expect(await historyLength(`/campaigns/${campaignId}/history`, 'advertiser-operations')).to.equal(1);
    const other = await http(gateway, 'POST', '/campaigns', {
      clientId: 'advertiser-operations',
      body: { ...campaign, name: 'Another name' },
    });
    statuses.push(other.status);
    expect(other.status, other.text).to.equal(409);
  });

  it('records both parties acceptances racing each other, each once', async () => {
    const clients = ['agency-operations', 'publisher-operations'];
    const answers = await race(RACERS, 'POST', `/campaigns/${campaignId}/acceptances`, (i) => ({
      clientId: clients[i % 2] ?? 'agency-operations',
      body: { version: 1 },
    }));
    expect(answers.map((a) => a.status)).to.deep.equal(Array<number>(RACERS).fill(200));
    const res = await http<Envelope<{ status: string; acceptances: unknown[] }>>(
      gateway,
      'GET',
      `/campaigns/${campaignId}`,
      { clientId: 'advertiser-operations' },
    );
    expect(res.body.data.status).to.equal('ACTIVE');
    expect(res.body.data.acceptances).to.have.length(3);
    // The proposal, then one write per party's acceptance: no-op repeats write nothing.
    expect(await historyLength(`/campaigns/${campaignId}/history`, 'advertiser-operations')).to.equal(3);
  });

  it('records one delivery report out of identical concurrent submissions', async () => {
    const report = {
      reportId: uniqueId('pub'),
      campaignId,
      lineItemId: 'li-1',
      ...marchDay(1),
      impressions: 50_000,
      invalidImpressions: 0,
    };
    const answers = await race(RACERS, 'POST', '/delivery-reports', { clientId: 'publisher-operations', body: report });
    expectOneCreated(answers, 'POST /delivery-reports');
    const path = `/delivery-reports/${publisherMsp()}/${report.reportId}/history`;
    expect(await historyLength(path, 'publisher-operations')).to.equal(1);
    const sides = [
      ['agency-operations', 1, 50_000],
      ['publisher-operations', 2, 100_000],
      ['agency-operations', 2, 80_000],
    ] as const;
    for (const [clientId, day, impressions] of sides) {
      const body = { ...report, reportId: uniqueId('r'), ...marchDay(day), impressions };
      const res = await http(gateway, 'POST', '/delivery-reports', { clientId, body });
      expect(res.status, res.text).to.equal(201);
    }
  });

  it('keeps one first resolution proposal out of identical concurrent ones', async () => {
    const answers = await race(RACERS, 'POST', `${dayPath}/resolution-proposals`, {
      clientId: 'publisher-operations',
      body: { agreedImpressions: 90_000 },
    });
    expect(answers.map((a) => a.status)).to.deep.equal(Array<number>(RACERS).fill(200));
    const row = await http<Envelope<{ resolution: { version: number; agreedImpressions: number } }>>(
      gateway,
      'GET',
      dayPath,
      { clientId: 'agency-operations' },
    );
    expect(row.body.data.resolution).to.include({ version: 1, agreedImpressions: 90_000 });
  });

  it('issues one invoice out of identical concurrent requests', async () => {
    const invoice = { invoiceId, campaignId, lineItemId: 'li-1', periodStart: '2026-03-01', periodEnd: '2026-03-01' };
    const answers = await race(RACERS, 'POST', '/invoices', { clientId: 'publisher-finance', body: invoice });
    expectOneCreated(answers, 'POST /invoices');
    expect(await historyLength(`/invoices/${invoiceId}/history`, 'publisher-finance')).to.equal(1);
  });

  it('records one payment out of identical concurrent ones; another content with the same id is 409', async () => {
    const payment = { paymentId: uniqueId('pay'), invoiceId, amountMicros: 1_000_000, reference: 'SEPA race' };
    const answers = await race(RACERS, 'POST', '/payments', { clientId: 'advertiser-finance', body: payment });
    expectOneCreated(answers, 'POST /payments');
    const res = await http<Envelope<{ paidMicros: number }>>(gateway, 'GET', `/invoices/${invoiceId}`, {
      clientId: 'advertiser-finance',
    });
    expect(res.body.data.paidMicros).to.equal(1_000_000);
    expect(await historyLength(`/invoices/${invoiceId}/history`, 'advertiser-finance')).to.equal(2);
    const other = await http(gateway, 'POST', '/payments', {
      clientId: 'advertiser-finance',
      body: { ...payment, reference: 'another reference' },
    });
    statuses.push(other.status);
    expect(other.status, other.text).to.equal(409);
  });

  it('answered no 5xx in the whole race', () => {
    const serverErrors = statuses.filter((s) => s >= 500).length;
    console.log(`      concurrent writes: ${String(statuses.length)} answers, ${String(serverErrors)} 5xx`);
    expect(serverErrors).to.equal(0);
  });

  function publisherMsp(): string {
    return campaign.lineItems[0]?.publisher ?? '';
  }
});
