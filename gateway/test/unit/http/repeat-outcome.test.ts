import { expect } from 'chai';
import request from 'supertest';
import { AppError } from '../../../src/errors';
import { containsRequest } from '../../../src/http/routes/repeat-outcome';
import { bodyOf, campaign, KEYS, newTestApp } from '../fakes';

/** The campaign as stored: the request, the defaults the contract's schemas fill in, and the chaincode's fields. */
const stored = {
  ...campaign,
  timeZone: 'UTC',
  billingSource: 'THIRD_PARTY',
  discrepancyToleranceBps: 1000,
  paymentTermsDays: 30,
  reportingWindowDays: 7,
  lineItems: campaign.lineItems.map((item) => ({ ...item, extra: 1 })),
  version: 1,
  status: 'ACTIVE',
  proposedBy: 'AdvertiserMSP',
};

describe('repeated creates (no Idempotency-Key)', () => {
  it('containsRequest: every field of the request, recursively, in the record', () => {
    expect(containsRequest(stored, campaign)).to.be.true;
    expect(containsRequest(stored, { ...campaign, name: 'other' })).to.be.false;
    expect(containsRequest({ a: [1, 2] }, { a: [1] })).to.be.false;
    expect(containsRequest({ a: null }, { a: undefined })).to.be.true;
    expect(containsRequest([], {})).to.be.false;
  });

  it('answers 200 with the existing campaign when the chaincode refuses an identical proposal as a duplicate', async () => {
    const { app, ledger } = newTestApp();
    ledger.fail('campaigns:Propose', new AppError('CONFLICT', 'campaign c-1 already exists'));
    ledger.answer('campaigns:GetVersion', stored);
    const res = await request(app).post('/campaigns').set('X-API-Key', KEYS.advertiserOps).send(campaign);
    expect(res.status).to.equal(200);
    expect(bodyOf(res).data).to.deep.equal(stored);
    const other = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .send({ ...campaign, name: 'Another' });
    expect([other.status, bodyOf(other).error?.code]).to.deep.equal([409, 'CONFLICT']);
  });

  it('keeps the 409 when the duplicate was proposed by another organization', async () => {
    const { app, ledger } = newTestApp();
    ledger.fail('campaigns:Propose', new AppError('CONFLICT', 'campaign c-1 already exists'));
    ledger.answer('campaigns:GetVersion', { ...stored, proposedBy: 'AgencyMSP' });
    const res = await request(app).post('/campaigns').set('X-API-Key', KEYS.advertiserOps).send(campaign);
    expect(res.status).to.equal(409);
  });

  it('answers 200 for a payment the chaincode found already recorded by an earlier transaction', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('billing:RecordPayment', { payment: { txId: 'an-earlier-tx' }, invoice: {} });
    const payment = { paymentId: 'p-1', invoiceId: 'i-1', amountMicros: 5, reference: 'r' };
    const res = await request(app).post('/payments').set('X-API-Key', KEYS.advertiserFinance).send(payment);
    expect(res.status).to.equal(200);
  });
});
