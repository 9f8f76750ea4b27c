import { expect } from 'chai';
import request from 'supertest';
import { AppError } from '../../../src/errors';
import { bearer, bodyOf, campaign, KEYS, newTestApp, report } from '../fakes';

interface RouteCase {
  readonly name: string;
  readonly method: 'get' | 'post';
  readonly url: string;
  readonly key: string;
  readonly body?: unknown;
  readonly transaction: string;
  readonly args: readonly string[];
  readonly status: number;
  /** The chaincode's canned result, when the route reads it (default `{canned: true}`). */
  readonly answer?: unknown;
  /**
   * The read of the caller's view that follows a write every party endorses (whose own result is the all-parties
   * record, without line-item terms): the route answers with it.
   */
  readonly view?: { readonly transaction: string; readonly args: readonly string[] };
  /** A read the route makes before its transaction, with its canned answer (an amendment reads the campaign). */
  readonly prior?: { readonly transaction: string; readonly args: readonly string[]; readonly answer: unknown };
}

const VIEW = { view: true };

function parseArg(arg: string): unknown {
  return arg.startsWith('{') || arg.startsWith('[') ? JSON.parse(arg) : arg;
}

const terms = { ...campaign } as Partial<typeof campaign>;
delete terms.campaignId;
delete terms.advertiser;
delete terms.agency;

/** The defaults the contract's schemas fill in before the gateway forwards a body or query. */
const termDefaults = {
  billingSource: 'THIRD_PARTY',
  discrepancyToleranceBps: 1000,
  paymentTermsDays: 30,
  reportingWindowDays: 7,
};
const pageDefaults = { pageSize: 50, bookmark: '' };

const cases: RouteCase[] = [
  {
    name: 'propose campaign',
    method: 'post',
    url: '/campaigns',
    key: KEYS.advertiserOps,
    body: campaign,
    transaction: 'campaigns:Propose',
    args: [JSON.stringify({ ...termDefaults, timeZone: 'UTC', ...campaign })],
    status: 201,
    answer: { version: 1 },
    view: { transaction: 'campaigns:GetVersion', args: ['c-1', '1'] },
  },
  {
    name: 'amend campaign',
    method: 'post',
    url: '/campaigns/c-1/amendments',
    key: KEYS.advertiserOps,
    body: terms,
    transaction: 'campaigns:Amend',
    args: ['c-1', JSON.stringify({ ...termDefaults, ...terms })],
    status: 200,
    answer: { version: 2 },
    view: { transaction: 'campaigns:GetVersion', args: ['c-1', '2'] },
    // Its parties, and whether it has several publishers (then the new terms are written apart first).
    prior: { transaction: 'campaigns:Get', args: ['c-1'], answer: campaign },
  },
  {
    name: 'accept campaign',
    method: 'post',
    url: '/campaigns/c-1/acceptances',
    key: KEYS.publisherOps,
    body: { version: 2 },
    transaction: 'campaigns:Accept',
    args: ['c-1', '2'],
    status: 200,
    answer: { version: 2 },
    view: { transaction: 'campaigns:GetVersion', args: ['c-1', '2'] },
  },
  {
    name: 'cancel campaign',
    method: 'post',
    url: '/campaigns/c-1/cancellation',
    key: KEYS.advertiserOps,
    body: { reason: 'budget cut' },
    transaction: 'campaigns:Cancel',
    args: ['c-1', 'budget cut'],
    status: 200,
    view: { transaction: 'campaigns:Get', args: ['c-1'] },
  },
  {
    name: 'cancel campaign without reason',
    method: 'post',
    url: '/campaigns/c-1/cancellation',
    key: KEYS.advertiserOps,
    body: {},
    transaction: 'campaigns:Cancel',
    args: ['c-1', ''],
    status: 200,
    view: { transaction: 'campaigns:Get', args: ['c-1'] },
  },
  {
    name: 'complete campaign',
    method: 'post',
    url: '/campaigns/c-1/completion',
    key: KEYS.advertiserOps,
    transaction: 'campaigns:Complete',
    args: ['c-1'],
    status: 200,
    view: { transaction: 'campaigns:Get', args: ['c-1'] },
  },
  {
    name: 'get campaign',
    method: 'get',
    url: '/campaigns/c-1',
    key: KEYS.advertiserFinance,
    transaction: 'campaigns:Get',
    args: ['c-1'],
    status: 200,
  },
  {
    name: 'get campaign version',
    method: 'get',
    url: '/campaigns/c-1/versions/3',
    key: KEYS.advertiserOps,
    transaction: 'campaigns:GetVersion',
    args: ['c-1', '3'],
    status: 200,
  },
  {
    name: 'list campaigns',
    method: 'get',
    url: '/campaigns?status=ACTIVE&pageSize=10&bookmark=abc',
    key: KEYS.advertiserOps,
    transaction: 'campaigns:List',
    args: [JSON.stringify({ status: 'ACTIVE', pageSize: 10, bookmark: 'abc' })],
    status: 200,
  },
  {
    name: 'campaign history',
    method: 'get',
    url: '/campaigns/c-1/history',
    key: KEYS.advertiserOps,
    transaction: 'campaigns:History',
    args: ['c-1'],
    status: 200,
  },
  {
    name: 'submit report',
    method: 'post',
    url: '/delivery-reports',
    key: KEYS.publisherOps,
    body: report,
    transaction: 'delivery:Submit',
    args: [JSON.stringify(report)],
    status: 200,
  },
  {
    name: 'submit batch',
    method: 'post',
    url: '/delivery-reports/batch',
    key: KEYS.publisherOps,
    body: { reports: [report] },
    transaction: 'delivery:SubmitBatch',
    args: [JSON.stringify([report])],
    status: 201,
  },
  {
    name: 'get report',
    method: 'get',
    url: '/delivery-reports/PublisherMSP/r-1',
    key: KEYS.advertiserOps,
    transaction: 'delivery:Get',
    args: ['PublisherMSP', 'r-1'],
    status: 200,
  },
  {
    name: 'report history',
    method: 'get',
    url: '/delivery-reports/PublisherMSP/r-1/history',
    key: KEYS.advertiserOps,
    transaction: 'delivery:History',
    args: ['PublisherMSP', 'r-1'],
    status: 200,
  },
  {
    name: 'list reports',
    method: 'get',
    url: '/delivery-reports?campaignId=c-1&source=FIRST_PARTY',
    key: KEYS.advertiserOps,
    transaction: 'delivery:List',
    args: [JSON.stringify({ campaignId: 'c-1', source: 'FIRST_PARTY', ...pageDefaults })],
    status: 200,
  },
  {
    name: 'list reconciliations',
    method: 'get',
    url: '/reconciliations?campaignId=c-1&from=2026-03-01&to=2026-03-31',
    key: KEYS.advertiserFinance,
    transaction: 'reconciliation:List',
    args: [JSON.stringify({ campaignId: 'c-1', from: '2026-03-01', to: '2026-03-31' })],
    status: 200,
  },
  {
    name: 'get reconciliation',
    method: 'get',
    url: '/reconciliations/c-1/li-1/2026-03-01T00:00:00Z',
    key: KEYS.advertiserOps,
    transaction: 'reconciliation:Get',
    args: ['c-1', 'li-1', '2026-03-01T00:00:00Z'],
    status: 200,
  },
  {
    name: 'propose resolution',
    method: 'post',
    url: '/reconciliations/c-1/li-1/2026-03-01T00:00:00Z/resolution-proposals',
    key: KEYS.publisherOps,
    body: { agreedImpressions: 950 },
    transaction: 'reconciliation:ProposeResolution',
    args: ['c-1', 'li-1', '2026-03-01T00:00:00Z', '950'],
    status: 200,
  },
  {
    name: 'accept resolution',
    method: 'post',
    url: '/reconciliations/c-1/li-1/2026-03-01T00:00:00Z/resolution-acceptances',
    key: KEYS.advertiserFinance,
    body: { agreedImpressions: 950, version: 2 },
    transaction: 'reconciliation:AcceptResolution',
    args: ['c-1', 'li-1', '2026-03-01T00:00:00Z', '950', '2'],
    status: 200,
  },
  {
    name: 'issue invoice',
    method: 'post',
    url: '/invoices',
    key: KEYS.publisherFinance,
    body: {
      invoiceId: 'i-1',
      campaignId: 'c-1',
      lineItemId: 'li-1',
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
    },
    transaction: 'billing:IssueInvoice',
    args: [
      JSON.stringify({
        invoiceId: 'i-1',
        campaignId: 'c-1',
        lineItemId: 'li-1',
        periodStart: '2026-03-01',
        periodEnd: '2026-03-31',
      }),
    ],
    status: 201,
  },
  {
    name: 'get invoice',
    method: 'get',
    url: '/invoices/i-1',
    key: KEYS.advertiserFinance,
    transaction: 'billing:GetInvoice',
    args: ['i-1'],
    status: 200,
  },
  {
    name: 'invoice history',
    method: 'get',
    url: '/invoices/i-1/history',
    key: KEYS.publisherFinance,
    transaction: 'billing:InvoiceHistory',
    args: ['i-1'],
    status: 200,
  },
  {
    name: 'list invoices',
    method: 'get',
    url: '/invoices?campaignId=c-1&status=ISSUED',
    key: KEYS.advertiserFinance,
    transaction: 'billing:ListInvoices',
    args: [JSON.stringify({ campaignId: 'c-1', status: 'ISSUED', ...pageDefaults })],
    status: 200,
  },
  {
    name: 'record payment',
    method: 'post',
    url: '/payments',
    key: KEYS.advertiserFinance,
    body: { paymentId: 'p-1', invoiceId: 'i-1', amountMicros: 5000, reference: 'SEPA 42' },
    transaction: 'billing:RecordPayment',
    args: [JSON.stringify({ paymentId: 'p-1', invoiceId: 'i-1', amountMicros: 5000, reference: 'SEPA 42' })],
    // Written by this request's transaction (the fake ledger's first is tx1): created, so 201.
    answer: { payment: { txId: 'tx1' } },
    status: 201,
  },
  {
    name: 'list payments',
    method: 'get',
    url: '/payments?invoiceId=i-1',
    key: KEYS.advertiserFinance,
    transaction: 'billing:ListPayments',
    args: [JSON.stringify({ invoiceId: 'i-1' })],
    status: 200,
  },
  {
    name: 'list roles',
    method: 'get',
    url: '/roles',
    key: KEYS.advertiserOps,
    transaction: 'roles:ListRoles',
    args: [],
    status: 200,
  },
  {
    name: 'time zone rules',
    method: 'get',
    url: '/time-zone-rules',
    key: KEYS.publisherOps,
    transaction: 'campaigns:TimeZoneRules',
    args: [],
    status: 200,
  },
];

describe('routes', () => {
  for (const c of cases) {
    describe(c.name, () => {
      it(`calls ${c.transaction} as the caller's organization and answers ${c.status}`, async () => {
        const { app, ledger } = newTestApp();
        ledger.answer(c.transaction, c.answer ?? { canned: true });
        if (c.view !== undefined) ledger.answer(c.view.transaction, VIEW);
        if (c.prior !== undefined) ledger.answer(c.prior.transaction, c.prior.answer);
        const req = request(app)[c.method](c.url).set('Authorization', bearer(c.key));
        const res = c.body === undefined ? await req : await req.send(c.body as object);
        expect(res.status, JSON.stringify(res.body)).to.equal(c.status);
        const prior = c.prior === undefined ? [] : ledger.calls.splice(0, 1);
        if (c.prior !== undefined) {
          expect(prior[0]).to.deep.include({ kind: 'evaluate', transaction: c.prior.transaction });
          expect(prior[0]?.args).to.deep.equal(c.prior.args);
        }
        expect(ledger.calls).to.have.length(c.view === undefined ? 1 : 2);
        if (c.view !== undefined) {
          expect(ledger.calls[1]).to.deep.include({ kind: 'evaluate', transaction: c.view.transaction });
          expect(ledger.calls[1]?.args).to.deep.equal(c.view.args);
        }
        const call = ledger.calls[0]!;
        expect(call.transaction).to.equal(c.transaction);
        expect(call.args.map(parseArg)).to.deep.equal(c.args.map(parseArg));
        expect(call.kind).to.equal(
          c.method === 'post' && c.transaction !== 'delivery:VerifyProof' ? 'submit' : 'evaluate',
        );
        expect(call.org).to.equal(c.key.startsWith('key-publisher') ? 'PublisherMSP' : 'AdvertiserMSP');
        expect(bodyOf(res).data).to.deep.equal(c.view === undefined ? (c.answer ?? { canned: true }) : VIEW);
        if (call.kind === 'submit') {
          expect(bodyOf(res).transactionId).to.equal('tx1');
          expect(bodyOf(res).block, 'the consistency token').to.equal('101');
          expect(res.headers['x-committed-block']).to.equal('101');
        } else {
          expect(res.body).to.not.have.property('transactionId');
          expect(res.body).to.not.have.property('block');
        }
      });

      it('maps a chaincode error to its status', async () => {
        const { app, ledger } = newTestApp();
        if (c.prior !== undefined) ledger.answer(c.prior.transaction, c.prior.answer);
        ledger.fail(c.transaction, new AppError('CAMPAIGN_NOT_FOUND', 'campaign c-1 does not exist'));
        const req = request(app)[c.method](c.url).set('Authorization', bearer(c.key));
        const res = c.body === undefined ? await req : await req.send(c.body as object);
        expect(res.status).to.equal(404);
        expect(res.body).to.deep.equal({
          error: { code: 'CAMPAIGN_NOT_FOUND', message: 'campaign c-1 does not exist' },
        });
      });
    });
  }

  describe('history of reports and invoices', () => {
    const history = [
      {
        txId: 'tx-paid',
        timestamp: '2026-04-20T10:00:00.000Z',
        isDelete: false,
        value: { invoiceId: 'i-1', status: 'PAID' },
      },
      {
        txId: 'tx-issued',
        timestamp: '2026-04-01T10:00:00.000Z',
        isDelete: false,
        value: { invoiceId: 'i-1', status: 'ISSUED' },
      },
    ];
    const historyCases = [
      {
        url: '/delivery-reports/PublisherMSP/r-1/history',
        transaction: 'delivery:History',
        code: 'REPORT_NOT_FOUND',
        message: 'report r-1 of PublisherMSP does not exist',
      },
      {
        url: '/invoices/i-1/history',
        transaction: 'billing:InvoiceHistory',
        code: 'INVOICE_NOT_FOUND',
        message: 'invoice i-1 does not exist',
      },
    ];
    for (const h of historyCases) {
      it(`GET ${h.url} returns the chaincode's entries unchanged, in its order`, async () => {
        const { app, ledger } = newTestApp();
        ledger.answer(h.transaction, history);
        const res = await request(app).get(h.url).set('X-API-Key', KEYS.advertiserOps);
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ data: history });
      });

      it(`GET ${h.url} maps ${h.code} to 404 and FORBIDDEN to 403`, async () => {
        const { app, ledger } = newTestApp();
        ledger.fail(h.transaction, new AppError(h.code, h.message));
        const missing = await request(app).get(h.url).set('X-API-Key', KEYS.advertiserOps);
        expect(missing.status).to.equal(404);
        expect(missing.body).to.deep.equal({ error: { code: h.code, message: h.message } });
        ledger.fail(h.transaction, new AppError('FORBIDDEN', 'not a party'));
        const forbidden = await request(app).get(h.url).set('X-API-Key', KEYS.advertiserOps);
        expect(forbidden.status).to.equal(403);
        expect(bodyOf(forbidden).error?.code).to.equal('FORBIDDEN');
      });
    }

    it('validates the path parameters before calling the ledger', async () => {
      const { app, ledger } = newTestApp();
      const res = await request(app)
        .get('/delivery-reports/bad%20msp!/r-1/history')
        .set('X-API-Key', KEYS.advertiserOps);
      expect(res.status).to.equal(400);
      expect(ledger.calls).to.have.length(0);
    });
  });

  it('answers 201 for a new delivery report and 200 for a repeat', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('delivery:Submit', { report: {}, created: true });
    const res = await request(app).post('/delivery-reports').set('X-API-Key', KEYS.publisherOps).send(report);
    expect(res.status).to.equal(201);
  });

  it('verifies a Merkle proof by evaluating delivery:VerifyProof', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('delivery:VerifyProof', { valid: true });
    const proof = { leafIndex: 0, treeSize: 2, auditPath: ['a'.repeat(64)] };
    const res = await request(app)
      .post('/merkle/verifications')
      .set('X-API-Key', KEYS.advertiserOps)
      .send({ reporter: 'PublisherMSP', reportId: 'r-1', proof, leafHash: 'b'.repeat(64) });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ data: { valid: true } });
    expect(ledger.calls[0]).to.deep.include({
      kind: 'evaluate',
      transaction: 'delivery:VerifyProof',
      args: ['PublisherMSP', 'r-1', JSON.stringify({ ...proof, leafHash: 'b'.repeat(64) })],
    });
  });

  it('passes a version-2 Merkle proof to delivery:VerifyProof and refuses an unknown version', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('delivery:VerifyProof', { valid: true });
    const proof = { leafIndex: 0, treeSize: 2, auditPath: ['a'.repeat(64)], version: 2 };
    const send = (body: object) =>
      request(app).post('/merkle/verifications').set('X-API-Key', KEYS.advertiserOps).send(body);
    const res = await send({ reporter: 'PublisherMSP', reportId: 'r-1', proof, leafHash: 'b'.repeat(64) });
    expect(res.status).to.equal(200);
    expect(ledger.calls[0]?.args).to.deep.equal([
      'PublisherMSP',
      'r-1',
      JSON.stringify({ ...proof, leafHash: 'b'.repeat(64) }),
    ]);
    const refused = await send({
      reporter: 'PublisherMSP',
      reportId: 'r-1',
      proof: { ...proof, version: 3 },
      leafHash: 'b'.repeat(64),
    });
    expect(refused.status).to.equal(400);
  });

  it('refuses a Merkle verification with both record and leafHash', async () => {
    const { app } = newTestApp();
    const res = await request(app)
      .post('/merkle/verifications')
      .set('X-API-Key', KEYS.advertiserOps)
      .send({
        reporter: 'PublisherMSP',
        reportId: 'r-1',
        proof: { leafIndex: 0, treeSize: 1, auditPath: [] },
        leafHash: 'b'.repeat(64),
        record: { impressionId: 'i', timestamp: '2026-03-01T00:00:00.000Z', campaignId: 'c-1', lineItemId: 'li-1' },
      });
    expect(res.status).to.equal(400);
  });

  it('answers 404 with an error body for an unknown route', async () => {
    const { app } = newTestApp();
    const res = await request(app).get('/nope').set('X-API-Key', KEYS.advertiserOps);
    expect(res.status).to.equal(404);
    expect(bodyOf(res).error?.code).to.equal('NOT_FOUND');
  });
});
