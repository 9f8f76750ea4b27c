import { expect } from 'chai';
import fc from 'fast-check';
import { creditNoteSchema, invoiceSchema, paymentSchema } from '@adrecon/contract';
import { iabSellerInvoice, iabSellerInvoiceSchema, microsToDecimal } from '../../../src/invoicing/iab-seller-invoice';

const invoice = invoiceSchema.parse({
  invoiceId: 'inv-1',
  campaignId: 'c-1',
  lineItemId: 'li-1',
  periodStart: '2026-03-01',
  periodEnd: '2026-03-31',
  publisher: 'PublisherMSP',
  advertiser: 'AdvertiserMSP',
  agency: 'AgencyMSP',
  currency: 'USD',
  billableUnit: 'VIEWABLE_IMPRESSIONS',
  cpmMicros: 4_000_000,
  billableImpressions: 7_925,
  periods: [
    { periodStart: '2026-03-07T05:00:00Z', billableImpressions: 3_900 },
    { periodStart: '2026-03-08T05:00:00Z', billableImpressions: 4_025 },
  ],
  amountMicros: 31_700_000,
  paidMicros: 30_000_000,
  creditedMicros: 1_700_000,
  status: 'PAID',
  issuedAt: '2026-04-01T02:30:00.000Z',
  dueDate: '2026-05-01',
  txId: 'a'.repeat(64),
});
const creditNote = creditNoteSchema.parse({
  creditNoteId: 'cn-1',
  invoiceId: 'inv-1',
  reason: 'INVALID_TRAFFIC',
  periods: [{ periodStart: '2026-03-08T05:00:00Z', impressions: 425 }],
  campaignId: 'c-1',
  lineItemId: 'li-1',
  publisher: 'PublisherMSP',
  advertiser: 'AdvertiserMSP',
  agency: 'AgencyMSP',
  currency: 'USD',
  amountMicros: 1_700_000,
  status: 'ACCEPTED',
  issuedAt: '2026-04-02T00:00:00.000Z',
  txId: 'b'.repeat(64),
  acceptedAt: '2026-04-03T00:00:00.000Z',
  acceptedByMsp: 'AgencyMSP',
  acceptedTxId: 'c'.repeat(64),
});
const payment = paymentSchema.parse({
  paymentId: 'p-1',
  invoiceId: 'inv-1',
  amountMicros: 30_000_000,
  reference: 'the remainder',
  paidBy: 'AdvertiserMSP',
  paidAt: '2026-04-04T00:00:00.000Z',
  txId: 'd'.repeat(64),
});

describe('the IAB seller-invoice document', () => {
  it('maps the invoice, its days in the campaign zone, credit memos, payments and every ledger transaction', () => {
    const doc = iabSellerInvoiceSchema.parse(iabSellerInvoice(invoice, 'America/New_York', [creditNote], [payment]));
    expect(doc.about.fieldNamesVerified).to.equal(false);
    expect(doc).to.include({
      invoiceType: 'Invoice',
      invoiceNumber: 'inv-1',
      // Issued at 02:30Z on 1 April: still 31 March in New York.
      invoiceDate: '2026-03-31',
      dueDate: '2026-05-01',
      currency: 'USD',
      timeZone: 'America/New_York',
      grossAmount: '31.700000',
      creditedAmount: '1.700000',
      paidAmount: '30.000000',
      balanceDue: '0.000000',
    });
    expect(doc.lines.map((l) => [l.lineType, l.serviceDate, l.unitType, l.quantity, l.rate, l.amount])).to.deep.equal([
      ['DELIVERY', '2026-03-07', 'VCPM', 3_900, '4.000000', '15.600000'],
      ['DELIVERY', '2026-03-08', 'VCPM', 4_025, '4.000000', '16.100000'],
    ]);
    expect(doc.creditMemos).to.deep.equal([
      {
        invoiceType: 'Credit Memo',
        creditMemoNumber: 'cn-1',
        originalInvoiceId: 'inv-1',
        reason: 'INVALID_TRAFFIC',
        amount: '1.700000',
        status: 'ACCEPTED',
        issueTransactionId: 'b'.repeat(64),
        acceptTransactionId: 'c'.repeat(64),
      },
    ]);
    expect(doc.ledger.transactionIds).to.deep.equal(['a', 'b', 'c', 'd'].map((c) => c.repeat(64)));
  });

  it('adds an adjustment line when the invoice rounded its total once and its days round up each', () => {
    // Two days of 1 impression at 1.0006 per mille: 1,000.6 micros each, 1,001 as lines; the invoice 2,001.2 → 2,001.
    const rounded = invoiceSchema.parse({
      ...invoice,
      billableUnit: 'IMPRESSIONS',
      cpmMicros: 1_000_600,
      billableImpressions: 2,
      periods: invoice.periods.map((p) => ({ ...p, billableImpressions: 1 })),
      amountMicros: 2_001,
      paidMicros: 0,
      creditedMicros: 0,
      status: 'ISSUED',
    });
    const doc = iabSellerInvoice(rounded, 'UTC', [], []);
    expect(doc.lines.map((l) => [l.lineType, l.unitType, l.amount])).to.deep.equal([
      ['DELIVERY', 'CPM', '0.001001'],
      ['DELIVERY', 'CPM', '0.001001'],
      ['ADJUSTMENT', 'CPM', '-0.000001'],
    ]);
    expect(doc).to.include({ grossAmount: '0.002001', balanceDue: '0.002001', invoiceDate: '2026-04-01' });
    expect(iabSellerInvoiceSchema.safeParse(doc).success).to.equal(true);
  });

  it('writes micros as exact decimals (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (micros) => {
        const text = microsToDecimal(micros);
        expect(text).to.match(/^\d+\.\d{6}$/);
        expect(BigInt(text.replace('.', ''))).to.equal(BigInt(micros));
      }),
    );
  });
});
