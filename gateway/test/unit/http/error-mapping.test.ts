import { expect } from 'chai';
import request from 'supertest';
import { AppError, ERROR_STATUS, httpStatusFor } from '../../../src/errors';
import { bodyOf, KEYS, newTestApp } from '../fakes';

describe('error mapping', () => {
  const table: [string, number][] = [
    ['VALIDATION_FAILED', 400],
    ['FORBIDDEN', 403],
    ['CAMPAIGN_NOT_FOUND', 404],
    ['REPORT_NOT_FOUND', 404],
    ['RECONCILIATION_NOT_FOUND', 404],
    ['INVOICE_NOT_FOUND', 404],
    ['ROLE_NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['MVCC_READ_CONFLICT', 409],
    ['INVALID_STATE', 422],
    ['OVERPAYMENT', 422],
    ['TRANSACTION_INVALID', 502],
    ['LEDGER_UNAVAILABLE', 503],
    ['COMMIT_STATUS_UNKNOWN', 504],
    ['SOMETHING_NEW', 500],
  ];
  for (const [code, status] of table) {
    it(`${code} -> ${status}`, async () => {
      const { app, ledger } = newTestApp();
      ledger.fail('campaigns:Get', new AppError(code, `${code} happened`));
      const res = await request(app).get('/campaigns/c-1').set('X-API-Key', KEYS.advertiserOps);
      expect(res.status).to.equal(status);
      expect(bodyOf(res).error?.code).to.equal(code);
      if (code in ERROR_STATUS) expect(httpStatusFor(code)).to.equal(status);
    });
  }

  it('503 carries Retry-After', async () => {
    const { app, ledger } = newTestApp();
    ledger.fail('campaigns:Get', new AppError('LEDGER_UNAVAILABLE', 'down', { retryAfterSeconds: 7 }));
    const res = await request(app).get('/campaigns/c-1').set('X-API-Key', KEYS.advertiserOps);
    expect(res.status).to.equal(503);
    expect(res.headers['retry-after']).to.equal('7');
  });

  it('504 carries the transaction ID', async () => {
    const { app, ledger } = newTestApp();
    ledger.fail('campaigns:Complete', new AppError('COMMIT_STATUS_UNKNOWN', 'unknown', { transactionId: 'tx-9' }));
    const res = await request(app).post('/campaigns/c-1/completion').set('X-API-Key', KEYS.advertiserOps);
    expect(res.status).to.equal(504);
    expect(res.body).to.deep.equal({
      error: { code: 'COMMIT_STATUS_UNKNOWN', message: 'unknown', transactionId: 'tx-9' },
    });
  });

  it('an unexpected error is a 500 without stack or cause', async () => {
    const { app, ledger } = newTestApp();
    ledger.fail('campaigns:Get', new Error('secret internal detail'));
    const res = await request(app).get('/campaigns/c-1').set('X-API-Key', KEYS.advertiserOps);
    expect(res.status).to.equal(500);
    expect(res.body).to.deep.equal({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(res.text).to.not.contain('secret');
    expect(res.text).to.not.contain('at ');
  });
});
