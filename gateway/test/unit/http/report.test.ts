import { expect } from 'chai';
import request from 'supertest';
import { csvField, toCsv } from '../../../src/http/csv';
import { REPORT_COLUMNS } from '../../../src/reporting/report-columns';
import { bodyOf, KEYS, newTestApp } from '../fakes';

const row = {
  campaignId: 'c-1',
  lineItemId: 'li-1',
  publisher: 'PublisherMSP',
  periodStart: '2026-03-01T00:00:00Z',
  periodEnd: '2026-03-02T00:00:00Z',
  firstPartyImpressions: 1000,
  thirdPartyImpressions: 950,
  discrepancyBps: 500,
  status: 'WITHIN_TOLERANCE',
  agreedImpressions: null,
  resolution: { note: 'a "quoted", comma\nnewline' },
  billingBasis: 'THIRD_PARTY',
  billableImpressions: 950,
  cpmMicros: 2500000,
  amountMicros: 2375000,
  invoiceId: null,
  invoicedMicros: 0,
  paidMicros: 0,
  outstandingMicros: 0,
  overdue: false,
};
const result = {
  rows: [row],
  totals: {
    firstPartyImpressions: 1000,
    thirdPartyImpressions: 950,
    billableImpressions: 950,
    amountMicros: 2375000,
    invoicedMicros: 0,
    paidMicros: 0,
    outstandingMicros: 0,
    overdueMicros: 0,
  },
  asOf: '2026-04-01T00:00:00Z',
  bookmark: '',
  fetchedCount: 1,
};

describe('reconciliation report', () => {
  it('answers JSON with totals and passes the filter', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('reconciliation:Report', result);
    const res = await request(app)
      .get('/reports/reconciliation?campaignId=c-1&publisher=PublisherMSP&from=2026-03-01&to=2026-03-31')
      .set('X-API-Key', KEYS.advertiserFinance);
    expect(res.status).to.equal(200);
    expect(bodyOf(res).data).to.deep.equal(result);
    expect(JSON.parse(ledger.calls[0]!.args[0]!)).to.deep.equal({
      campaignId: 'c-1',
      publisher: 'PublisherMSP',
      from: '2026-03-01',
      to: '2026-03-31',
      pageSize: 50,
      bookmark: '',
    });
  });

  it("pages the caller's campaigns: pageSize and bookmark go to the ledger", async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('reconciliation:Report', { ...result, bookmark: 'next' });
    const res = await request(app)
      .get('/reports/reconciliation?pageSize=2&bookmark=abc')
      .set('X-API-Key', KEYS.advertiserFinance);
    expect(res.status).to.equal(200);
    expect(bodyOf(res).data).to.include({ bookmark: 'next' });
    expect(JSON.parse(ledger.calls[0]!.args[0]!)).to.deep.equal({ pageSize: 2, bookmark: 'abc' });
    const tooLarge = await request(app)
      .get('/reports/reconciliation?pageSize=201')
      .set('X-API-Key', KEYS.advertiserFinance);
    expect(tooLarge.status).to.equal(400);
  });

  for (const [how, set] of [
    ['Accept: text/csv', (r: request.Test) => r.set('Accept', 'text/csv')],
    ['?format=csv', (r: request.Test) => r.query({ format: 'csv' })],
  ] as const) {
    it(`answers CSV for ${how} with a header, escaped fields and a TOTAL row`, async () => {
      const { app, ledger } = newTestApp();
      ledger.answer('reconciliation:Report', { ...result, rows: [{ ...row, invoiceId: 'inv,"1"' }] });
      const res = await set(request(app).get('/reports/reconciliation').set('X-API-Key', KEYS.advertiserFinance));
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/csv/);
      const lines = res.text.split('\r\n');
      expect(lines[0]).to.equal(REPORT_COLUMNS.join(','));
      expect(lines[1]).to.contain('"inv,""1"""');
      expect(lines[1]).to.contain(',false');
      expect(lines[2]).to.match(/^TOTAL,/);
      expect(lines[2]).to.contain('2375000');
      expect(lines[3]).to.equal('');
      expect(ledger.calls[0]!.args[0]).to.equal('{"pageSize":50,"bookmark":""}');
    });
  }

  it('406 for an Accept it cannot produce', async () => {
    const { app } = newTestApp();
    const res = await request(app)
      .get('/reports/reconciliation')
      .set('X-API-Key', KEYS.advertiserFinance)
      .set('Accept', 'application/xml');
    expect(res.status).to.equal(406);
  });

  it('400 for a bad date filter', async () => {
    const { app } = newTestApp();
    const res = await request(app).get('/reports/reconciliation?from=March').set('X-API-Key', KEYS.advertiserFinance);
    expect(res.status).to.equal(400);
  });

  it('escapes CSV fields per RFC 4180', () => {
    expect(csvField('plain')).to.equal('plain');
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField('two\nlines')).to.equal('"two\nlines"');
    expect(csvField('cr\rhere')).to.equal('"cr\rhere"');
    expect(csvField(null)).to.equal('');
    expect(csvField(undefined)).to.equal('');
    expect(csvField(42)).to.equal('42');
    expect(toCsv(['a', 'b'], [{ a: 1, b: 'x,y' }])).to.equal('a,b\r\n1,"x,y"\r\n');
  });

  it('neutralizes text cells a spreadsheet would run as formulas, not negative numbers', () => {
    expect(csvField('=HYPERLINK("http://x")')).to.equal('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+1')).to.equal("'+1");
    expect(csvField('-2+3')).to.equal("'-2+3");
    expect(csvField('@SUM(A1)')).to.equal("'@SUM(A1)");
    expect(csvField('\t=1')).to.equal("'\t=1");
    expect(csvField('\r=1')).to.equal('"\'\r=1"');
    expect(csvField(-1200)).to.equal('-1200');
    expect(csvField('a=b')).to.equal('a=b');
  });
});
