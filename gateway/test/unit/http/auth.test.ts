import { expect } from 'chai';
import request from 'supertest';
import { ROLE_PERMISSIONS } from '../../../src/auth/permissions';
import { bodyOf, campaign, KEYS, newTestApp, report } from '../fakes';

describe('authentication and roles', () => {
  it('401 without a key', async () => {
    const { app, ledger } = newTestApp();
    const res = await request(app).get('/campaigns/c-1');
    expect(res.status).to.equal(401);
    expect(bodyOf(res).error?.code).to.equal('UNAUTHENTICATED');
    expect(ledger.calls).to.be.empty;
  });

  it('401 with an unknown key', async () => {
    const { app } = newTestApp();
    const res = await request(app).get('/campaigns/c-1').set('Authorization', 'Bearer not-a-key');
    expect(res.status).to.equal(401);
    expect(res.text).to.not.contain('not-a-key');
  });

  it('401 with a malformed Authorization header', async () => {
    const { app } = newTestApp();
    const res = await request(app).get('/campaigns/c-1').set('Authorization', `Basic ${KEYS.advertiserOps}`);
    expect(res.status).to.equal(401);
  });

  it('accepts X-API-Key', async () => {
    const { app } = newTestApp();
    const res = await request(app).get('/campaigns/c-1').set('X-API-Key', KEYS.advertiserOps);
    expect(res.status).to.equal(200);
  });

  it('403 when finance proposes a campaign', async () => {
    const { app, ledger } = newTestApp();
    const res = await request(app).post('/campaigns').set('X-API-Key', KEYS.advertiserFinance).send(campaign);
    expect(res.status).to.equal(403);
    expect(bodyOf(res).error?.code).to.equal('FORBIDDEN');
    expect(ledger.calls).to.be.empty;
  });

  it('403 when finance submits a delivery report', async () => {
    const { app } = newTestApp();
    const res = await request(app).post('/delivery-reports').set('X-API-Key', KEYS.publisherFinance).send(report);
    expect(res.status).to.equal(403);
  });

  it('403 when operations issues an invoice or records a payment', async () => {
    const { app } = newTestApp();
    const invoice = {
      invoiceId: 'i-1',
      campaignId: 'c-1',
      lineItemId: 'li-1',
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
    };
    const payment = { paymentId: 'p-1', invoiceId: 'i-1', amountMicros: 1, reference: 'x' };
    expect((await request(app).post('/invoices').set('X-API-Key', KEYS.publisherOps).send(invoice)).status).to.equal(
      403,
    );
    expect((await request(app).post('/payments').set('X-API-Key', KEYS.advertiserOps).send(payment)).status).to.equal(
      403,
    );
  });

  it('admin may do everything', async () => {
    const { app } = newTestApp();
    const res = await request(app).post('/campaigns').set('X-API-Key', KEYS.admin).send(campaign);
    expect(res.status).to.equal(201);
    expect([...ROLE_PERMISSIONS.admin]).to.include.members([
      ...ROLE_PERMISSIONS.operations,
      ...ROLE_PERMISSIONS.finance,
    ]);
  });

  it('every role may read', () => {
    for (const permissions of Object.values(ROLE_PERMISSIONS)) expect(permissions.has('read')).to.be.true;
  });
});
