import { expect } from 'chai';
import request from 'supertest';
import { AppError } from '../../../src/errors';
import { KEYS, newTestApp } from '../fakes';

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string }[] }>>;
}

describe('operations endpoints', () => {
  it('/healthz answers without a key', async () => {
    const { app } = newTestApp();
    const res = await request(app).get('/healthz');
    expect(res.status).to.equal(200);
    expect(res.headers['x-request-id']).to.be.a('string');
  });

  it('/readyz evaluates roles:ListRoles for every organization', async () => {
    const { app, ledger } = newTestApp();
    const res = await request(app).get('/readyz');
    expect(res.status).to.equal(200);
    expect(ledger.calls.map((c) => [c.org, c.transaction])).to.deep.equal([
      ['AdvertiserMSP', 'roles:ListRoles'],
      ['PublisherMSP', 'roles:ListRoles'],
    ]);
  });

  it('/readyz reuses its answer for a moment: probes do not become peer load', async () => {
    const { app, ledger } = newTestApp();
    const answers = await Promise.all([request(app).get('/readyz'), request(app).get('/readyz')]);
    await request(app).get('/readyz');
    expect(answers.map((r) => r.status)).to.deep.equal([200, 200]);
    expect(ledger.calls).to.have.length(2);
  });

  it('/readyz answers 503 with Retry-After when an organization cannot reach the chaincode', async () => {
    const { app, ledger } = newTestApp();
    ledger.fail('roles:ListRoles', new AppError('LEDGER_UNAVAILABLE', 'down'));
    const res = await request(app).get('/readyz');
    expect(res.status).to.equal(503);
    expect(res.headers['retry-after']).to.equal('7');
  });

  it('/metrics counts requests by route and Fabric calls', async () => {
    const { app } = newTestApp();
    await request(app).get('/campaigns/c-1').set('X-API-Key', KEYS.advertiserOps);
    const res = await request(app).get('/metrics');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(
      'adrecon_http_requests_total{method="GET",route="/campaigns/:campaignId",status="200"} 1',
    );
    expect(res.text).to.contain(
      'adrecon_fabric_duration_seconds_count{kind="evaluate",transaction="campaigns:Get",outcome="ok"} 1',
    );
  });

  it('/openapi.json documents every route from the request schemas', async () => {
    const { app } = newTestApp();
    const res = await request(app).get('/openapi.json');
    expect(res.status).to.equal(200);
    const doc = res.body as OpenApiDoc;
    expect(doc.openapi).to.match(/^3\./);
    expect(Object.keys(doc.paths)).to.include.members([
      '/campaigns',
      '/campaigns/{campaignId}',
      '/campaigns/{campaignId}/amendments',
      '/campaigns/{campaignId}/acceptances',
      '/campaigns/{campaignId}/cancellation',
      '/campaigns/{campaignId}/completion',
      '/campaigns/{campaignId}/versions/{version}',
      '/campaigns/{campaignId}/history',
      '/delivery-reports',
      '/delivery-reports/batch',
      '/delivery-reports/{reporter}/{reportId}',
      '/delivery-reports/{reporter}/{reportId}/history',
      '/reconciliations',
      '/reconciliations/{campaignId}/{lineItemId}/{periodStart}/resolution-proposals',
      '/reconciliations/{campaignId}/{lineItemId}/{periodStart}/resolution-acceptances',
      '/invoices',
      '/invoices/{invoiceId}',
      '/invoices/{invoiceId}/history',
      '/payments',
      '/reports/reconciliation',
      '/merkle/verifications',
      '/events',
      '/healthz',
      '/readyz',
      '/metrics',
    ]);
    expect(doc.paths['/campaigns']?.post?.requestBody).to.exist;
    expect(doc.paths['/campaigns']?.get?.parameters?.map((p) => p.name)).to.include.members([
      'status',
      'pageSize',
      'bookmark',
    ]);
  });

  it('/docs serves a self-contained page', async () => {
    const { app } = newTestApp();
    const res = await request(app).get('/docs');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    expect(res.text).to.contain('/openapi.json');
    expect(res.text).to.not.match(/https?:\/\//);
  });
});
