import { expect } from 'chai';
import request from 'supertest';
import { bodyOf, campaign, KEYS, newTestApp, report } from '../fakes';

describe('validation', () => {
  it('400 for malformed JSON', async () => {
    const { app, ledger } = newTestApp();
    const res = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Content-Type', 'application/json')
      .send('{"campaignId": ');
    expect(res.status).to.equal(400);
    expect(bodyOf(res).error?.code).to.equal('VALIDATION_FAILED');
    expect(ledger.calls).to.be.empty;
  });

  it('400 for a wrong type', async () => {
    const { app } = newTestApp();
    const res = await request(app)
      .post('/delivery-reports')
      .set('X-API-Key', KEYS.publisherOps)
      .send({ ...report, impressions: '1000' });
    expect(res.status).to.equal(400);
    expect(bodyOf(res).error?.message).to.contain('body.impressions');
  });

  it('400 for a negative count', async () => {
    const { app } = newTestApp();
    const res = await request(app)
      .post('/delivery-reports')
      .set('X-API-Key', KEYS.publisherOps)
      .send({ ...report, impressions: -1 });
    expect(res.status).to.equal(400);
  });

  it('400 for a fractional count', async () => {
    const { app } = newTestApp();
    const res = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .send({ ...campaign, lineItems: [{ ...campaign.lineItems[0], cpmMicros: 1.5 }] });
    expect(res.status).to.equal(400);
  });

  it('400 for an unknown field, nested too', async () => {
    const { app } = newTestApp();
    const top = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .send({ ...campaign, amountMicros: 5 });
    expect(top.status).to.equal(400);
    const nested = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .send({ ...campaign, lineItems: [{ ...campaign.lineItems[0], extra: true }] });
    expect(nested.status).to.equal(400);
  });

  it('400 for an unknown query parameter and a bad path parameter', async () => {
    const { app } = newTestApp();
    expect((await request(app).get('/campaigns?colour=red').set('X-API-Key', KEYS.advertiserOps)).status).to.equal(400);
    expect((await request(app).get('/campaigns/bad%20id').set('X-API-Key', KEYS.advertiserOps)).status).to.equal(400);
    expect((await request(app).get('/campaigns?pageSize=0').set('X-API-Key', KEYS.advertiserOps)).status).to.equal(400);
    expect(
      (await request(app).get('/campaigns?pageSize=1&pageSize=2').set('X-API-Key', KEYS.advertiserOps)).status,
    ).to.equal(400);
  });

  it('400 when recordCount comes without merkleRoot', async () => {
    const { app } = newTestApp();
    const res = await request(app)
      .post('/delivery-reports')
      .set('X-API-Key', KEYS.publisherOps)
      .send({ ...report, recordCount: 10 });
    expect(res.status).to.equal(400);
  });

  it('413 for a body over the limit', async () => {
    const { app, ledger } = newTestApp({ bodyLimitBytes: 1024 });
    const res = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .send({ ...campaign, name: 'x'.repeat(2000) });
    expect(res.status).to.equal(413);
    expect(bodyOf(res).error?.code).to.equal('PAYLOAD_TOO_LARGE');
    expect(ledger.calls).to.be.empty;
  });

  it('400 for a batch over 500 reports, 400 for an empty batch', async () => {
    const { app, ledger } = newTestApp();
    const reports = Array.from({ length: 501 }, (_, i) => ({ ...report, reportId: `r-${i}` }));
    const big = await request(app)
      .post('/delivery-reports/batch')
      .set('X-API-Key', KEYS.publisherOps)
      .send({ reports });
    expect(big.status).to.equal(400);
    const empty = await request(app)
      .post('/delivery-reports/batch')
      .set('X-API-Key', KEYS.publisherOps)
      .send({ reports: [] });
    expect(empty.status).to.equal(400);
    expect(ledger.calls).to.be.empty;
  });

  it('accepts a batch of exactly 500 reports', async () => {
    const { app } = newTestApp();
    const reports = Array.from({ length: 500 }, (_, i) => ({ ...report, reportId: `r-${i}` }));
    const res = await request(app)
      .post('/delivery-reports/batch')
      .set('X-API-Key', KEYS.publisherOps)
      .send({ reports });
    expect(res.status).to.equal(201);
  });

  it('415 for a body that is not JSON', async () => {
    const { app } = newTestApp();
    const res = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(res.status).to.equal(415);
  });

  it('400 for a bad Idempotency-Key', async () => {
    const { app } = newTestApp();
    const res = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'x'.repeat(300))
      .send(campaign);
    expect(res.status).to.equal(400);
  });
});
