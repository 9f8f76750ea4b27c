import { expect } from 'chai';
import { campaignTerms, uniqueId } from './support/campaign-fixtures';
import { loadProfile } from './support/network-profile';
import { http, type RestGateway } from './support/rest-gateway';
import { restGatewayForSuite } from './support/suite-rest-gateway';
import { acceptAsAgencyAndPublisher } from './support/rest-campaigns';
import { csvRecords } from './support/csv';
import { timeZoneRules } from '@adrecon/contract';

interface Envelope<T> {
  data: T;
  transactionId?: string;
}
interface Row {
  timeZone?: string;
  day?: string;
  periodStart: string;
  periodEnd: string;
  makeGoodImpressions?: number;
  billableUnit: string;
  status: string;
  firstPartyImpressions: number | null;
  thirdPartyImpressions: number | null;
  discrepancyBps: number | null;
  billableImpressions: number;
  cpmMicros: number;
  amountMicros: number;
  invoicedMicros: number;
  creditedMicros: number;
  paidMicros: number;
  outstandingMicros: number;
}
interface Report {
  rows: Row[];
  totals: Record<string, number>;
}
interface Invoice {
  invoiceId: string;
  billableUnit?: string;
  billableImpressions: number;
  amountMicros: number;
  status: string;
  txId: string;
}

/** A March 2026 day as a delivery report period (UTC). */
function march(day: number): { periodStart: string; periodEnd: string } {
  const instant = (d: number) => new Date(Date.UTC(2026, 2, d)).toISOString().replace('.000', '');
  return { periodStart: instant(day), periodEnd: instant(day + 1) };
}

/** The CSV report of a campaign as records keyed by column. */
async function csvReport(gateway: RestGateway, campaignId: string): Promise<Record<string, string>[]> {
  const csv = await http(gateway, 'GET', `/reports/reconciliation?campaignId=${campaignId}`, {
    clientId: 'agency-finance',
    headers: { accept: 'text/csv' },
  });
  expect(csv.status, csv.text).to.equal(200);
  return csvRecords(csv.text);
}

/**
 * Issue 15 on the real network, through each organization's own REST gateway: the industry's terms (billable units:
 * vCPM and flat fee), credit notes and make-goods.
 */
describe("the industry's terms on the real network", function () {
  this.timeout(300_000);
  const profile = loadProfile();
  const gateway = restGatewayForSuite();

  async function activate(terms: { campaignId: string }): Promise<void> {
    const proposed = await http(gateway, 'POST', '/campaigns', { clientId: 'advertiser-operations', body: terms });
    expect(proposed.status, proposed.text).to.equal(201);
    await acceptAsAgencyAndPublisher(gateway, terms.campaignId);
  }

  async function report(
    clientId: string,
    campaignId: string,
    day: number,
    counts: Record<string, number>,
  ): Promise<{ status: number; text: string; body: unknown }> {
    return http(gateway, 'POST', '/delivery-reports', {
      clientId,
      body: {
        reportId: uniqueId('r'),
        campaignId,
        lineItemId: 'li-1',
        ...march(day),
        invalidImpressions: 0,
        ...counts,
      },
    });
  }

  /** The publisher's finance user invoices line item li-1 from March 1 to `periodEnd`; fails unless 201. */
  async function invoiceLineItem(campaignId: string, periodEnd: string): Promise<Invoice> {
    const invoice = await http<Envelope<Invoice>>(gateway, 'POST', '/invoices', {
      clientId: 'publisher-finance',
      body: { invoiceId: uniqueId('inv'), campaignId, lineItemId: 'li-1', periodStart: '2026-03-01', periodEnd },
    });
    expect(invoice.status, invoice.text).to.equal(201);
    return invoice.body.data;
  }

  /** The advertiser pays what is still owed on an invoice; the invoice is then PAID. @returns the payment's transaction. */
  async function payRemainder(invoiceId: string, amountMicros: number): Promise<string | undefined> {
    const paid = await http<Envelope<{ invoice: Invoice }>>(gateway, 'POST', '/payments', {
      clientId: 'advertiser-finance',
      body: { paymentId: uniqueId('pay'), invoiceId, amountMicros, reference: 'the remainder' },
    });
    expect(paid.status, paid.text).to.equal(201);
    expect(paid.body.data.invoice.status).to.equal('PAID');
    return paid.body.transactionId;
  }

  it('vCPM: viewable counts compared and billed; invoice, credit note for invalid traffic, payment of the remainder', async () => {
    const base = campaignTerms(profile);
    const terms = {
      ...base,
      lineItems: base.lineItems.map((i) => ({ ...i, billableUnit: 'VIEWABLE_IMPRESSIONS', cpmMicros: 4_000_000 })),
    };
    const { campaignId } = terms;
    await activate(terms);
    const refused = await report('publisher-operations', campaignId, 1, { impressions: 10_000 });
    expect(refused.status, refused.text).to.equal(400);
    expect((refused.body as { error: { code: string; message: string } }).error.code).to.equal('VALIDATION_FAILED');
    expect(refused.text).to.contain('viewableImpressions');
    for (const [clientId, counts] of [
      ['publisher-operations', { impressions: 10_000, invalidImpressions: 500, viewableImpressions: 7_000 }],
      ['agency-operations', { impressions: 9_800, invalidImpressions: 300, viewableImpressions: 6_650 }],
    ] as const) {
      const res = await report(clientId, campaignId, 1, counts);
      expect(res.status, res.text).to.equal(201);
    }
    const json = await http<Envelope<Report>>(gateway, 'GET', `/reports/reconciliation?campaignId=${campaignId}`, {
      clientId: 'advertiser-finance',
    });
    expect(json.status, json.text).to.equal(200);
    expect(json.body.data.rows).to.have.length(1);
    expect(json.body.data.rows[0]).to.include({
      billableUnit: 'VIEWABLE_IMPRESSIONS',
      firstPartyImpressions: 7_000,
      thirdPartyImpressions: 6_650,
      discrepancyBps: 500,
      status: 'WITHIN_TOLERANCE',
      billableImpressions: 6_650,
      amountMicros: 26_600_000,
    });
    const invoice = await invoiceLineItem(campaignId, '2026-03-31');
    expect(invoice).to.include({
      billableUnit: 'VIEWABLE_IMPRESSIONS',
      billableImpressions: 6_650,
      amountMicros: 26_600_000,
    });
    const invoiceId = invoice.invoiceId;
    // Invalid traffic found after invoicing: the publisher credits 650 viewable impressions of 1 March (2.60 EUR).
    const creditNoteId = uniqueId('cn');
    const issued = await http<Envelope<{ creditNote: { amountMicros: number; status: string; txId: string } }>>(
      gateway,
      'POST',
      '/credit-notes',
      {
        clientId: 'publisher-finance',
        body: {
          creditNoteId,
          invoiceId,
          reason: 'INVALID_TRAFFIC',
          periods: [{ periodStart: march(1).periodStart, impressions: 650 }],
        },
      },
    );
    expect(issued.status, issued.text).to.equal(201);
    expect(issued.body.data.creditNote).to.include({ amountMicros: 2_600_000, status: 'ISSUED' });
    expect(issued.body.data.creditNote.txId).to.equal(issued.body.transactionId);
    const byOperations = await http(gateway, 'POST', `/invoices/${invoiceId}/credit-notes/${creditNoteId}/acceptance`, {
      clientId: 'agency-operations',
    });
    expect(byOperations.status, byOperations.text).to.equal(403);
    const byPublisher = await http(gateway, 'POST', `/invoices/${invoiceId}/credit-notes/${creditNoteId}/acceptance`, {
      clientId: 'publisher-finance',
    });
    expect(byPublisher.status, byPublisher.text).to.equal(403);
    const accepted = await http<Envelope<{ invoice: Invoice & { creditedMicros: number } }>>(
      gateway,
      'POST',
      `/invoices/${invoiceId}/credit-notes/${creditNoteId}/acceptance`,
      { clientId: 'agency-finance' },
    );
    expect(accepted.status, accepted.text).to.equal(200);
    expect(accepted.body.data.invoice).to.include({ amountMicros: 26_600_000, creditedMicros: 2_600_000 });
    const overpaid = await http(gateway, 'POST', '/payments', {
      clientId: 'advertiser-finance',
      body: { paymentId: uniqueId('pay'), invoiceId, amountMicros: 26_600_000, reference: 'the invoice as issued' },
    });
    expect(overpaid.status, overpaid.text).to.equal(422);
    await payRemainder(invoiceId, 24_000_000);
    const notes = await http<Envelope<{ records: { creditNoteId: string; status: string }[] }>>(
      gateway,
      'GET',
      `/credit-notes?invoiceId=${invoiceId}`,
      { clientId: 'advertiser-operations' },
    );
    expect(notes.body.data.records).to.deep.equal([
      { ...notes.body.data.records[0], creditNoteId, status: 'ACCEPTED' },
    ]);
    const after = await http<Envelope<Report>>(gateway, 'GET', `/reports/reconciliation?campaignId=${campaignId}`, {
      clientId: 'advertiser-finance',
    });
    expect(after.body.data.totals).to.include({
      invoicedMicros: 26_600_000,
      creditedMicros: 2_600_000,
      paidMicros: 24_000_000,
      outstandingMicros: 0,
    });
    const [row, total] = await csvReport(gateway, campaignId);
    expect(row).to.include({
      firstPartyImpressions: '7000',
      thirdPartyImpressions: '6650',
      billableImpressions: '6650',
      cpmMicros: '4000000',
      amountMicros: '26600000',
      invoicedMicros: '26600000',
      creditedMicros: '2600000',
      paidMicros: '24000000',
      outstandingMicros: '0',
    });
    expect(total).to.include({
      campaignId: 'TOTAL',
      amountMicros: '26600000',
      creditedMicros: '2600000',
      outstandingMicros: '0',
    });
  });

  it('make-good: under-delivered vCPM line item, proposed by the publisher, accepted by both buyers, delivered unbilled', async () => {
    const base = campaignTerms(profile);
    const terms = {
      ...base,
      makeGoodThresholdBps: 500,
      lineItems: base.lineItems.map((i) => ({
        ...i,
        billableUnit: 'VIEWABLE_IMPRESSIONS',
        cpmMicros: 4_000_000,
        bookedImpressions: 10_000,
      })),
    };
    const { campaignId } = terms;
    await activate(terms);
    for (const clientId of ['publisher-operations', 'agency-operations']) {
      const res = await report(clientId, campaignId, 2, { impressions: 9_000, viewableImpressions: 8_000 });
      expect(res.status, res.text).to.equal(201);
    }
    const makeGoodId = uniqueId('mg');
    const body = {
      makeGoodId,
      campaignId,
      lineItemId: 'li-1',
      impressions: 2_000,
      flightStart: '2026-04-01',
      flightEnd: '2026-04-30',
    };
    const byBuyer = await http(gateway, 'POST', '/make-goods', { clientId: 'advertiser-operations', body });
    expect(byBuyer.status, byBuyer.text).to.equal(403);
    const proposed = await http<Envelope<{ status: string; shortfallImpressions: number }>>(
      gateway,
      'POST',
      '/make-goods',
      {
        clientId: 'publisher-operations',
        body,
      },
    );
    expect(proposed.status, proposed.text).to.equal(201);
    // 8,000 of 10,000 viewable impressions: 20 % short, past the 5 % threshold.
    expect(proposed.body.data).to.include({ status: 'PROPOSED', shortfallImpressions: 2_000 });
    for (const [clientId, status] of [
      ['agency-operations', 'PROPOSED'],
      ['advertiser-operations', 'ACCEPTED'],
    ] as const) {
      const accepted = await http<Envelope<{ status: string }>>(
        gateway,
        'POST',
        `/campaigns/${campaignId}/line-items/li-1/make-goods/${makeGoodId}/acceptances`,
        { clientId },
      );
      expect(accepted.status, accepted.text).to.equal(200);
      expect(accepted.body.data.status).to.equal(status);
    }
    const april = { periodStart: '2026-04-03T00:00:00Z', periodEnd: '2026-04-04T00:00:00Z' };
    for (const clientId of ['publisher-operations', 'agency-operations']) {
      const res = await http(gateway, 'POST', '/delivery-reports', {
        clientId,
        body: {
          reportId: uniqueId('r'),
          campaignId,
          lineItemId: 'li-1',
          ...april,
          impressions: 3_000,
          invalidImpressions: 0,
          viewableImpressions: 2_500,
        },
      });
      expect(res.status, res.text).to.equal(201);
    }
    const json = await http<Envelope<Report & { rows: (Row & { makeGoodImpressions?: number })[] }>>(
      gateway,
      'GET',
      `/reports/reconciliation?campaignId=${campaignId}`,
      { clientId: 'agency-finance' },
    );
    const makeGoodRow = json.body.data.rows.find((r) => r.periodStart === april.periodStart);
    expect(makeGoodRow).to.include({
      status: 'WITHIN_TOLERANCE',
      billableImpressions: 0,
      amountMicros: 0,
      makeGoodImpressions: 2_000,
    });
    const listed = await http<Envelope<{ records: { deliveredImpressions: number; makeGood: { status: string } }[] }>>(
      gateway,
      'GET',
      `/make-goods?campaignId=${campaignId}&lineItemId=li-1`,
      { clientId: 'publisher-operations' },
    );
    expect(listed.body.data.records.map((r) => [r.makeGood.status, r.deliveredImpressions])).to.deep.equal([
      ['ACCEPTED', 2_000],
    ]);
    const invoice = await invoiceLineItem(campaignId, '2026-04-30');
    // March's 8,000 viewable impressions at the vCPM; the make-good's April delivery bills nothing.
    expect(invoice).to.include({ billableImpressions: 8_000, amountMicros: 32_000_000 });
    const [, , total] = await csvReport(gateway, campaignId);
    expect(total).to.include({ campaignId: 'TOTAL', billableImpressions: '8000', amountMicros: '32000000' });
  });

  it('flat fee: every flight day bills its share of the fee, reported or not; the invoice bills the whole flight', async () => {
    const base = campaignTerms(profile);
    const terms = {
      ...base,
      lineItems: base.lineItems.map((i) => ({
        ...i,
        billableUnit: 'FLAT_FEE',
        cpmMicros: 0,
        flatFeeMicros: 31_000_001,
      })),
    };
    const { campaignId } = terms;
    await activate(terms);
    for (const clientId of ['publisher-operations', 'agency-operations']) {
      for (const day of [1, 31]) {
        const res = await report(clientId, campaignId, day, { impressions: 5_000 });
        expect(res.status, res.text).to.equal(201);
      }
    }
    const json = await http<Envelope<Report>>(gateway, 'GET', `/reports/reconciliation?campaignId=${campaignId}`, {
      clientId: 'publisher-finance',
    });
    expect(json.body.data.rows.map((r) => [r.billableUnit, r.cpmMicros, r.amountMicros])).to.deep.equal([
      ['FLAT_FEE', 0, 1_000_000],
      ['FLAT_FEE', 0, 1_000_001],
    ]);
    const invoice = await invoiceLineItem(campaignId, '2026-03-31');
    // The 29 unreported days are past their reporting window: the sponsorship is owed for them too.
    expect(invoice).to.include({ billableUnit: 'FLAT_FEE', amountMicros: 31_000_001 });
    const rows = await csvReport(gateway, campaignId);
    expect(rows.map((r) => r.invoicedMicros)).to.deep.equal(['1000000', '30000001', '31000001']);
  });
  it('one vCPM campaign in America/New_York across the spring DST change: reports, reconciliation, make-good, invoice, credit note, payment; JSON and CSV', async () => {
    const base = campaignTerms(profile);
    const terms = {
      ...base,
      timeZone: 'America/New_York',
      makeGoodThresholdBps: 500,
      lineItems: base.lineItems.map((i) => ({
        ...i,
        billableUnit: 'VIEWABLE_IMPRESSIONS',
        cpmMicros: 4_000_000,
        bookedImpressions: 10_000,
        flightStart: '2026-03-07',
        flightEnd: '2026-03-08',
      })),
    };
    const { campaignId } = terms;
    await activate(terms);
    const shown = await http<Envelope<{ timeZone: string }>>(gateway, 'GET', `/campaigns/${campaignId}`, {
      clientId: 'publisher-operations',
    });
    expect(shown.body.data.timeZone).to.equal('America/New_York');
    const post = (clientId: string, reports: Record<string, unknown>[]) =>
      http(gateway, 'POST', '/delivery-reports/batch', {
        clientId,
        body: {
          reports: reports.map((r) => ({
            reportId: uniqueId('r'),
            campaignId,
            lineItemId: 'li-1',
            invalidImpressions: 0,
            ...r,
          })),
        },
      });
    // A UTC day is not a New York day: refused, nothing written.
    const utcDay = await post('publisher-operations', [
      {
        periodStart: '2026-03-07T00:00:00Z',
        periodEnd: '2026-03-08T00:00:00Z',
        impressions: 1,
        viewableImpressions: 1,
      },
    ]);
    expect(utcDay.status, utcDay.text).to.equal(400);
    // 7 March (24 h, EST) as one daily report each; 8 March, the 23-hour spring-forward day, hour by hour.
    const hoursOf8March = Array.from({ length: 23 }, (_, h) => ({
      periodStart: new Date(Date.UTC(2026, 2, 8, 5 + h)).toISOString().replace('.000', ''),
      periodEnd: new Date(Date.UTC(2026, 2, 8, 6 + h)).toISOString().replace('.000', ''),
    }));
    const day7 = { periodStart: '2026-03-07T05:00:00Z', periodEnd: '2026-03-08T05:00:00Z' };
    for (const [clientId, viewable7, viewablePerHour] of [
      ['publisher-operations', 4_000, 180],
      ['agency-operations', 3_900, 175],
    ] as const) {
      const res = await post(clientId, [
        { ...day7, impressions: 5_000, viewableImpressions: viewable7 },
        ...hoursOf8March.map((p) => ({ ...p, impressions: 200, viewableImpressions: viewablePerHour })),
      ]);
      expect(res.status, res.text).to.equal(201);
    }
    const json = await http<Envelope<Report>>(gateway, 'GET', `/reports/reconciliation?campaignId=${campaignId}`, {
      clientId: 'advertiser-finance',
    });
    expect(json.status, json.text).to.equal(200);
    // 8 March: 23 × 180 = 4,140 vs 23 × 175 = 4,025 viewable; the third-party count bills.
    expect(
      json.body.data.rows.map((r) => [
        r.timeZone,
        r.day,
        r.periodStart,
        r.periodEnd,
        r.firstPartyImpressions,
        r.thirdPartyImpressions,
        r.status,
        r.billableImpressions,
      ]),
    ).to.deep.equal([
      [
        'America/New_York',
        '2026-03-07',
        '2026-03-07T05:00:00Z',
        '2026-03-08T05:00:00Z',
        4_000,
        3_900,
        'WITHIN_TOLERANCE',
        3_900,
      ],
      [
        'America/New_York',
        '2026-03-08',
        '2026-03-08T05:00:00Z',
        '2026-03-09T04:00:00Z',
        4_140,
        4_025,
        'WITHIN_TOLERANCE',
        4_025,
      ],
    ]);
    // Under-delivered: 7,925 of 10,000 viewable impressions, 20.75 % short, past the 5 % threshold.
    const makeGoodId = uniqueId('mg');
    const proposed = await http<Envelope<{ status: string; shortfallImpressions: number }>>(
      gateway,
      'POST',
      '/make-goods',
      {
        clientId: 'publisher-operations',
        body: {
          makeGoodId,
          campaignId,
          lineItemId: 'li-1',
          impressions: 2_075,
          flightStart: '2026-04-01',
          flightEnd: '2026-04-30',
        },
      },
    );
    expect(proposed.status, proposed.text).to.equal(201);
    expect(proposed.body.data).to.include({ status: 'PROPOSED', shortfallImpressions: 2_075 });
    for (const clientId of ['agency-operations', 'advertiser-operations']) {
      const accepted = await http(
        gateway,
        'POST',
        `/campaigns/${campaignId}/line-items/li-1/make-goods/${makeGoodId}/acceptances`,
        { clientId },
      );
      expect(accepted.status, accepted.text).to.equal(200);
    }
    // The make-good's day 3 April (EDT): both sides report 2,500 viewable; 2,075 count against the shortfall, unbilled.
    const april3 = { periodStart: '2026-04-03T04:00:00Z', periodEnd: '2026-04-04T04:00:00Z' };
    for (const clientId of ['publisher-operations', 'agency-operations']) {
      const res = await post(clientId, [{ ...april3, impressions: 3_000, viewableImpressions: 2_500 }]);
      expect(res.status, res.text).to.equal(201);
    }
    // The invoice of March and April (New York days): 7,925 viewable impressions at 4 EUR vCPM.
    const invoice = await invoiceLineItem(campaignId, '2026-04-30');
    expect(invoice).to.include({
      billableUnit: 'VIEWABLE_IMPRESSIONS',
      billableImpressions: 7_925,
      amountMicros: 31_700_000,
    });
    const { invoiceId } = invoice;
    // Invalid traffic found on 8 March after invoicing: a credit note of 425 viewable impressions (1.70 EUR).
    const creditNoteId = uniqueId('cn');
    const issued = await http<Envelope<{ creditNote: { amountMicros: number } }>>(gateway, 'POST', '/credit-notes', {
      clientId: 'publisher-finance',
      body: {
        creditNoteId,
        invoiceId,
        reason: 'INVALID_TRAFFIC',
        periods: [{ periodStart: '2026-03-08T05:00:00Z', impressions: 425 }],
      },
    });
    expect(issued.status, issued.text).to.equal(201);
    expect(issued.body.data.creditNote.amountMicros).to.equal(1_700_000);
    const accepted = await http(gateway, 'POST', `/invoices/${invoiceId}/credit-notes/${creditNoteId}/acceptance`, {
      clientId: 'agency-finance',
    });
    expect(accepted.status, accepted.text).to.equal(200);
    const paymentTransactionId = await payRemainder(invoiceId, 30_000_000);
    const after = await http<Envelope<Report>>(gateway, 'GET', `/reports/reconciliation?campaignId=${campaignId}`, {
      clientId: 'advertiser-finance',
    });
    expect(
      after.body.data.rows.map((r) => [
        r.day,
        r.billableImpressions,
        r.makeGoodImpressions ?? null,
        r.invoicedMicros,
        r.creditedMicros,
        r.paidMicros,
        r.outstandingMicros,
      ]),
    ).to.deep.equal([
      ['2026-03-07', 3_900, null, 15_600_000, 0, 15_600_000, 0],
      ['2026-03-08', 4_025, null, 16_100_000, 1_700_000, 14_400_000, 0],
      ['2026-04-03', 0, 2_075, 0, 0, 0, 0],
    ]);
    expect(after.body.data.totals).to.include({
      amountMicros: 31_700_000,
      invoicedMicros: 31_700_000,
      creditedMicros: 1_700_000,
      paidMicros: 30_000_000,
      outstandingMicros: 0,
    });
    const csv = await csvReport(gateway, campaignId);
    expect(
      csv.map((r) => [
        r.timeZone,
        r.day,
        r.periodStart,
        r.billableUnit,
        r.billableImpressions,
        r.makeGoodImpressions,
        r.creditedMicros,
        r.outstandingMicros,
      ]),
    ).to.deep.equal([
      ['America/New_York', '2026-03-07', '2026-03-07T05:00:00Z', 'VIEWABLE_IMPRESSIONS', '3900', '', '0', '0'],
      ['America/New_York', '2026-03-08', '2026-03-08T05:00:00Z', 'VIEWABLE_IMPRESSIONS', '4025', '', '1700000', '0'],
      ['America/New_York', '2026-04-03', '2026-04-03T04:00:00Z', 'VIEWABLE_IMPRESSIONS', '0', '2075', '0', '0'],
      ['', '', '', '', '7925', '', '1700000', '0'],
    ]);
    // The invoice as the IAB-style seller-invoice document, linked to the ledger by transaction IDs.
    const iab = await http<
      Envelope<{
        about: { fieldNamesVerified: boolean };
        invoiceNumber: string;
        timeZone: string;
        lines: { lineType: string; serviceDate: string; quantity: number; amount: string }[];
        creditMemos: { originalInvoiceId: string; amount: string; status: string }[];
        payments: { amount: string }[];
        grossAmount: string;
        balanceDue: string;
        ledger: { issueTransactionId: string; transactionIds: string[] };
      }>
    >(gateway, 'GET', `/invoices/${invoiceId}/iab`, { clientId: 'advertiser-finance' });
    expect(iab.status, iab.text).to.equal(200);
    const doc = iab.body.data;
    expect(doc).to.include({
      invoiceNumber: invoiceId,
      timeZone: 'America/New_York',
      grossAmount: '31.700000',
      balanceDue: '0.000000',
    });
    expect(doc.about.fieldNamesVerified).to.equal(false);
    expect(doc.lines.map((l) => [l.lineType, l.serviceDate, l.quantity, l.amount])).to.deep.equal([
      ['DELIVERY', '2026-03-07', 3_900, '15.600000'],
      ['DELIVERY', '2026-03-08', 4_025, '16.100000'],
    ]);
    expect(doc.creditMemos.map((m) => [m.originalInvoiceId, m.amount, m.status])).to.deep.equal([
      [invoiceId, '1.700000', 'ACCEPTED'],
    ]);
    expect(doc.payments.map((p) => p.amount)).to.deep.equal(['30.000000']);
    expect(doc.ledger.issueTransactionId).to.equal(invoice.txId);
    expect(doc.ledger.transactionIds).to.have.length(4);
    expect(doc.ledger.transactionIds).to.include(paymentTransactionId);
  });

  it("every organization's chaincode server computes days with the same pinned tz rules", async () => {
    const answers = [];
    // Each organization's gateway evaluates on its own peer, whose chaincode server is that organization's.
    for (const { mspId } of gateway.gateways) {
      const client = gateway.credentials.find((c) => c.mspId === mspId);
      if (client === undefined) throw new Error(`no demo credential of ${mspId}`);
      const res = await http<Envelope<unknown>>(gateway, 'GET', '/time-zone-rules', { clientId: client.clientId });
      expect(res.status, res.text).to.equal(200);
      answers.push(res.body.data);
    }
    expect(answers.length).to.be.at.least(3);
    for (const answer of answers) expect(answer).to.deep.equal(timeZoneRules());
  });
});
