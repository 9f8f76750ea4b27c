import { LIMITS } from '@adrecon/contract';
import { expect } from 'chai';
import request from 'supertest';
import { bearer, bodyOf, campaign, KEYS, newTestApp, report } from '../fakes';

function lineItems(count: number): Record<string, unknown>[] {
  const [template] = campaign.lineItems;
  return Array.from({ length: count }, (_, index) => ({ ...template, lineItemId: `li-${index + 1}` }));
}

/** The limits the REST API and the chaincode once disagreed on, each now the contract's one rule. */
describe('contract drifts, REST side', () => {
  async function post(path: string, body: object, key: string = KEYS.advertiserOps) {
    const { app, ledger } = newTestApp();
    const res = await request(app).post(path).set('Authorization', bearer(key)).send(body);
    return { res, ledger };
  }

  async function get(path: string, key: string = KEYS.advertiserOps) {
    const { app, ledger } = newTestApp();
    const res = await request(app).get(path).set('Authorization', bearer(key));
    return { res, ledger };
  }

  function expectRefused(outcome: Awaited<ReturnType<typeof get>>, path: string): void {
    expect(outcome.res.status, JSON.stringify(outcome.res.body)).to.equal(400);
    expect(bodyOf(outcome.res).error?.code).to.equal('VALIDATION_FAILED');
    expect(bodyOf(outcome.res).error?.message).to.contain(`${path}: `);
    expect(outcome.ledger.calls, 'nothing reaches the ledger').to.have.length(0);
  }

  it('refuses 101 line items before the ledger does (it once allowed 200)', async () => {
    expectRefused(await post('/campaigns', { ...campaign, lineItems: lineItems(101) }), 'body.lineItems');
    const ok = await post('/campaigns', { ...campaign, lineItems: lineItems(LIMITS.lineItems) });
    expect(ok.res.status).to.equal(201);
  });

  it('accepts paymentTermsDays up to 3650 like the ledger (it once stopped at 365)', async () => {
    expectRefused(await post('/campaigns', { ...campaign, paymentTermsDays: 3651 }), 'body.paymentTermsDays');
    const ok = await post('/campaigns', { ...campaign, paymentTermsDays: 3650 });
    expect(ok.res.status).to.equal(201);
    expect(JSON.parse(ok.ledger.calls[0]!.args[0]!)).to.include({ paymentTermsDays: 3650 });
  });

  it('refuses a line item whose whole booking has no safe-integer amount, as the ledger does at proposal', async () => {
    const [template] = campaign.lineItems;
    const overflowing = { ...template, bookedImpressions: Number.MAX_SAFE_INTEGER, cpmMicros: 1001 };
    expectRefused(
      await post('/campaigns', { ...campaign, lineItems: [overflowing] }),
      'body.lineItems.0.bookedImpressions',
    );
    const fits = { ...template, bookedImpressions: Number.MAX_SAFE_INTEGER, cpmMicros: 1000 };
    expect((await post('/campaigns', { ...campaign, lineItems: [fits] })).res.status).to.equal(201);
  });

  it('takes reconciliation ranges as dates, refusing instants (it once forwarded them to a refusal)', async () => {
    expectRefused(await get('/reconciliations?campaignId=c-1&from=2026-03-01T00:00:00Z'), 'query.from');
    expectRefused(await get('/reconciliations?campaignId=c-1&from=2026-03-02&to=2026-03-01'), 'query.to');
    expect((await get('/reconciliations?campaignId=c-1&from=2026-03-01')).res.status).to.equal(200);
  });

  it('refuses bookmarks over 1024 characters (it once allowed 4096)', async () => {
    const long = 'b'.repeat(LIMITS.bookmarkLength + 1);
    expectRefused(await get(`/campaigns?bookmark=${long}`), 'query.bookmark');
    expectRefused(await get(`/delivery-reports?campaignId=c-1&bookmark=${long}`), 'query.bookmark');
    expectRefused(await get(`/invoices?bookmark=${long}`), 'query.bookmark');
    expect((await get(`/campaigns?bookmark=${'b'.repeat(LIMITS.bookmarkLength)}`)).res.status).to.equal(200);
  });

  it('refuses viewable impressions above impressions (once checked only by the chaincode)', async () => {
    const body = { ...report, viewableImpressions: report.impressions + 1 };
    expectRefused(await post('/delivery-reports', body, KEYS.publisherOps), 'body.viewableImpressions');
  });

  it('refuses a batch spanning two campaigns and a reconciliation day that is no day start', async () => {
    const reports = [report, { ...report, reportId: 'r-2', campaignId: 'c-2' }];
    expectRefused(await post('/delivery-reports/batch', { reports }, KEYS.publisherOps), 'body.reports');
    // A day starts on a quarter hour of UTC in every zone (01:00Z may start one: the chaincode checks the campaign's).
    expectRefused(await get('/reconciliations/c-1/li-1/2026-03-01T01:07:00Z'), 'params.periodStart');
  });

  it('refuses the identifiers . and .. in paths and bodies', async () => {
    for (const id of ['.', '..']) {
      const encoded = id.replace(/\./g, '%2E');
      expectRefused(await get(`/campaigns/${encoded}`), 'params.campaignId');
      expectRefused(await get(`/invoices/${encoded}/history`), 'params.invoiceId');
      expectRefused(await post('/campaigns', { ...campaign, campaignId: id }), 'body.campaignId');
      expectRefused(await post('/delivery-reports', { ...report, reportId: id }, KEYS.publisherOps), 'body.reportId');
    }
    expect((await get('/campaigns/...')).res.status).to.equal(200);
  });

  it('documents the result schema of every JSON endpoint in OpenAPI (not data: unknown)', async () => {
    const { app } = newTestApp();
    const doc = (await request(app).get('/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>
      >;
    };
    let documented = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
        const schema = success?.[1].content?.['application/json']?.schema as
          { properties?: { data?: Record<string, unknown> } } | undefined;
        if (schema === undefined) continue;
        const data = schema.properties?.data;
        expect(data, `${method} ${path}`).to.be.an('object');
        expect(Object.keys(data ?? {}), `${method} ${path} describes data`).to.not.be.empty;
        documented++;
      }
    }
    expect(documented).to.be.greaterThan(20);
    const submit = doc.paths['/delivery-reports']?.post?.responses['201']?.content?.['application/json']?.schema;
    expect(JSON.stringify(submit)).to.contain('"created"').and.to.contain('"merkleRoot"');
  });
});
