import { expect } from 'chai';
import {
  ADV,
  ADV2,
  AGY,
  CAMPAIGN,
  PUB,
  PUB2,
  Scenario,
  campaignInput,
  day,
  expectError,
  hour,
  reportInput,
} from './support/scenario.js';
import { decodePolicy } from './support/policy.js';

interface Invoice {
  invoiceId: string;
  status: string;
  amountMicros: number;
  paidMicros: number;
  billableImpressions: number;
  dueDate: string;
  issuedAt: string;
  periods: { periodStart: string; billableImpressions: number }[];
}

describe('billing contract', () => {
  describe('IssueInvoice', () => {
    it('computes billable, amount (rounded half up), due date; freezes the periods; sets policies and one event', async () => {
      const s = new Scenario();
      const lineItems = (campaignInput().lineItems as Record<string, unknown>[]).map((i) => ({
        ...i,
        cpmMicros: 1500,
      }));
      await s.activeCampaign({ paymentTermsDays: 45, lineItems });
      await s.bothSides(1, 1001, 1001);
      await s.bothSides(2, 1000, 1000);
      // The billing period (March) has ended and the reporting window of its last day has passed.
      s.net.setTime('2026-04-08T23:59:59Z');
      const { result, events, txId } = await s.issue('inv-1');
      const invoice = result as unknown as Invoice;
      // 2001 × 1500 / 1000 = 3001.5 micros → 3002
      expect(invoice).to.deep.include({
        invoiceId: 'inv-1',
        billableImpressions: 2001,
        amountMicros: 3002,
        paidMicros: 0,
        status: 'ISSUED',
        issuedAt: '2026-04-08T23:59:59.000Z',
        dueDate: '2026-05-23',
        publisher: PUB,
        advertiser: ADV,
        agency: AGY,
        currency: 'EUR',
        txId,
      });
      expect(invoice.periods).to.deep.equal([
        { periodStart: day(1).periodStart, billableImpressions: 1001, cpmMicros: 1500 },
        { periodStart: day(2).periodStart, billableImpressions: 1000, cpmMicros: 1500 },
      ]);
      expect(events).to.deep.equal([
        {
          name: 'InvoiceIssued',
          payload: {
            campaignId: CAMPAIGN,
            lineItemId: 'li-1',
            invoiceId: 'inv-1',
            periodStart: '2026-03-01',
            periodEnd: '2026-03-31',
            status: 'ISSUED',
            parties: [ADV, AGY, PUB].sort(),
          },
        },
      ]);
      const key = s.net.context(ADV).ctx.stub.createCompositeKey('adrecon.invoice', ['inv-1']);
      expect(decodePolicy(s.net.policies.get(key)!).orgs).to.deep.equal([ADV, AGY, PUB].sort());
      const row = await s.row(ADV, 1);
      expect(row.result).to.include({ invoiceId: 'inv-1' });
    });

    it('refuses reports into invoiced days, overlapping invoices and duplicate ids', async () => {
      const s = new Scenario();
      s.net.setTime('2026-04-20T00:00:00Z');
      await s.activeCampaign();
      await s.bothSides(5, 100, 100);
      await s.issue('inv-1', '2026-03-01', '2026-03-10');
      await expectError(s.submit(AGY, reportInput(day(5), 1)), 'INVALID_STATE', 'invoiced');
      await expectError(s.submit(PUB, reportInput(hour(9, 2), 1)), 'INVALID_STATE', 'invoiced');
      await expectError(s.issue('inv-1', '2026-03-20', '2026-03-21'), 'CONFLICT', 'already exists');
      await expectError(s.issue('inv-2', '2026-03-10', '2026-03-20'), 'CONFLICT', 'already covers');
      await s.bothSides(11, 100, 100);
      const second = await s.issue('inv-2', '2026-03-11', '2026-03-11');
      expect(second.result).to.include({ billableImpressions: 100 });
    });

    it('refuses unreconciled ranges, empty ranges, non-publishers and inactive campaigns', async () => {
      const s = new Scenario();
      s.net.setTime('2026-03-05T00:00:00Z');
      await s.activeCampaign();
      await s.submit(PUB, reportInput(day(1), 100));
      await expectError(
        s.issue('inv-1', '2026-03-01', '2026-03-01'),
        'INVALID_STATE',
        'blocking: 2026-03-01 (PENDING)',
      );
      await expectError(s.issue('inv-1', '2026-03-01', '2026-03-05'), 'INVALID_STATE', 'has not ended');
      await expectError(
        s.issue('inv-1', '2026-03-01', '2026-03-03'),
        'INVALID_STATE',
        'blocking: 2026-03-01 (PENDING), 2026-03-02 (no report), 2026-03-03 (no report)',
      );
      await expectError(s.issue('inv-1', '2026-02-01', '2026-02-27'), 'INVALID_STATE', 'holds no day of the flight');
      s.net.setTime('2026-04-20T00:00:00Z');
      await expectError(s.issue('inv-1', '2026-03-20', '2026-03-25'), 'INVALID_STATE', 'no reported day');
      await s.submit(AGY, reportInput(day(1), 100));
      await expectError(s.issue('inv-1', '2026-03-01', '2026-03-31', AGY), 'FORBIDDEN');
      await expectError(s.issue('inv-1', '2026-03-01', '2026-03-31', PUB2), 'CAMPAIGN_NOT_FOUND', 'has no line item');
      await expectError(s.issue('inv-1', '2026-03-31', '2026-03-01'), 'VALIDATION_FAILED');
      await expectError(
        s.as(PUB, (ctx) => s.billing.IssueInvoice(ctx, JSON.stringify({ invoiceId: 'i', campaignId: CAMPAIGN }))),
        'VALIDATION_FAILED',
      );
      await expectError(
        s.as(PUB, (ctx) =>
          s.billing.IssueInvoice(
            ctx,
            JSON.stringify({
              invoiceId: 'i',
              campaignId: CAMPAIGN,
              lineItemId: 'li-1',
              periodStart: '2026-03-01',
              periodEnd: '2026-03-02',
              amountMicros: 5,
            }),
          ),
        ),
        'VALIDATION_FAILED',
        'amountMicros: is not a known field',
      );
      // Cancelled after the flight: every delivered day stays invoiceable (the cancellation ends only later days).
      await s.as(ADV, (ctx) => s.campaigns.Cancel(ctx, CAMPAIGN, 'stop'));
      expect((await s.issue('inv-1')).result).to.include({ billableImpressions: 100 });
    });

    it('keeps invoiced periods frozen when an earlier day is reconciled later, and never passes the cap', async () => {
      const s = new Scenario();
      await s.registerRoles();
      await s.propose({
        lineItems: [
          {
            lineItemId: 'li-1',
            publisher: PUB,
            cpmMicros: 1000,
            bookedImpressions: 1500,
            flightStart: '2026-03-01',
            flightEnd: '2026-03-31',
          },
        ],
      });
      await s.as(AGY, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
      await s.as(PUB, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
      await s.bothSides(1, 1000, 500);
      await s.bothSides(2, 1000, 1000);
      const invoice = await s.issue('inv-2', '2026-03-02', '2026-03-02');
      expect(invoice.result).to.include({ billableImpressions: 1000, amountMicros: 1000 });
      await s.as(PUB, (ctx) => s.reconciliation.ProposeResolution(ctx, CAMPAIGN, 'li-1', day(1).periodStart, '800'));
      await s.as(ADV, (ctx) =>
        s.reconciliation.AcceptResolution(ctx, CAMPAIGN, 'li-1', day(1).periodStart, '800', '1'),
      );
      expect((await s.row(ADV, 2)).result).to.include({ billableImpressions: 1000, invoiceId: 'inv-2' });
      expect((await s.row(ADV, 1)).result).to.include({ status: 'RESOLVED', billableImpressions: 500 });
      const first = await s.issue('inv-1', '2026-03-01', '2026-03-01');
      expect(first.result).to.include({ billableImpressions: 500 });
      await s.bothSides(3, 1000, 1000);
      expect((await s.row(ADV, 3)).result).to.include({ billableImpressions: 0 });
    });
  });

  describe('RecordPayment', () => {
    async function invoiced(): Promise<Scenario> {
      const s = new Scenario();
      await s.activeCampaign();
      await s.bothSides(1, 1000, 1000);
      s.net.setTime('2026-04-08T10:00:00Z');
      await s.issue('inv-1');
      return s;
    }

    it('records payments until PAID, with one event each and policies on payment and invoice', async () => {
      const s = await invoiced();
      const first = await s.pay(ADV, 'p-1', 'inv-1', 1_000_000);
      expect(first.result.invoice).to.include({ status: 'PARTIALLY_PAID', paidMicros: 1_000_000 });
      expect(first.result.payment).to.include({ paidBy: ADV, amountMicros: 1_000_000, reference: 'wire p-1' });
      expect(first.events).to.deep.equal([
        {
          name: 'PaymentRecorded',
          payload: {
            campaignId: CAMPAIGN,
            lineItemId: 'li-1',
            invoiceId: 'inv-1',
            paymentId: 'p-1',
            status: 'PARTIALLY_PAID',
            parties: [ADV, AGY, PUB].sort(),
          },
        },
      ]);
      const key = s.net.context(ADV).ctx.stub.createCompositeKey('adrecon.payment', ['inv-1', 'p-1']);
      expect(decodePolicy(s.net.policies.get(key)!).orgs).to.deep.equal([ADV, AGY, PUB].sort());
      const last = await s.pay(AGY, 'p-2', 'inv-1', 1_500_000);
      expect(last.result.invoice).to.include({ status: 'PAID', paidMicros: 2_500_000 });
      await expectError(s.pay(AGY, 'p-3', 'inv-1', 1), 'OVERPAYMENT');
      const repeat = await s.pay(AGY, 'p-2', 'inv-1', 1_500_000);
      expect(repeat.events).to.deep.equal([]);
      await expectError(s.pay(AGY, 'p-2', 'inv-1', 1_400_000), 'CONFLICT');
      const listed = await s.as<{ records: { paymentId: string }[] }>(PUB, (ctx) =>
        s.billing.ListPayments(ctx, JSON.stringify({ invoiceId: 'inv-1' })),
      );
      expect(listed.result.records.map((p) => p.paymentId)).to.deep.equal(['p-1', 'p-2']);
    });

    it('refuses overpayment, publishers, non-parties, unknown invoices and bad amounts', async () => {
      const s = await invoiced();
      await expectError(s.pay(ADV, 'p-1', 'inv-1', 2_500_001), 'OVERPAYMENT', 'outstanding');
      await expectError(s.pay(PUB, 'p-1', 'inv-1', 1), 'FORBIDDEN');
      await expectError(s.pay(ADV2, 'p-1', 'inv-1', 1), 'INVOICE_NOT_FOUND');
      await expectError(s.pay(ADV, 'p-1', 'missing', 1), 'INVOICE_NOT_FOUND');
      await expectError(s.pay(ADV, 'p-1', 'inv-1', 0), 'VALIDATION_FAILED');
      await expectError(s.pay(ADV, 'p-1', 'inv-1', 1.5), 'VALIDATION_FAILED');
      await expectError(
        s.as(ADV, (ctx) =>
          s.billing.RecordPayment(
            ctx,
            JSON.stringify({ paymentId: 'p', invoiceId: 'inv-1', amountMicros: 1, reference: '' }),
          ),
        ),
        'VALIDATION_FAILED',
        'reference',
      );
    });
  });

  describe('InvoiceHistory', () => {
    interface HistoryEntry {
      txId: string;
      timestamp: string;
      isDelete: boolean;
      value: Invoice & { txId: string };
    }

    it('returns every write of the invoice key with its transaction, newest first', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await s.bothSides(1, 1000, 1000);
      s.net.setTime('2026-04-08T10:00:00Z');
      const issued = await s.issue('inv-1');
      s.net.setTime('2026-04-10T10:00:00Z');
      const partial = await s.pay(ADV, 'p-1', 'inv-1', 1_000_000);
      s.net.setTime('2026-04-20T10:00:00Z');
      const paid = await s.pay(AGY, 'p-2', 'inv-1', 1_500_000);
      await s.pay(AGY, 'p-2', 'inv-1', 1_500_000); // identical repeat: no write, no history entry
      const { result } = await s.as<HistoryEntry[]>(PUB, (ctx) => s.billing.InvoiceHistory(ctx, 'inv-1'));
      expect(result.map((h) => [h.txId, h.timestamp, h.isDelete, h.value.status, h.value.paidMicros])).to.deep.equal([
        [paid.txId, '2026-04-20T10:00:00.000Z', false, 'PAID', 2_500_000],
        [partial.txId, '2026-04-10T10:00:00.000Z', false, 'PARTIALLY_PAID', 1_000_000],
        [issued.txId, '2026-04-08T10:00:00.000Z', false, 'ISSUED', 0],
      ]);
      // the record itself keeps the issuing transaction's id
      expect(result.every((h) => h.value.txId === issued.txId)).to.equal(true);
      const forBuyer = await s.as<HistoryEntry[]>(ADV, (ctx) => s.billing.InvoiceHistory(ctx, 'inv-1'));
      expect(forBuyer.result).to.deep.equal(result);
    });

    it('refuses unknown invoices, non-parties and publishers of other line items like GetInvoice', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await s.bothSides(1, 1000, 1000);
      s.net.setTime('2026-04-08T10:00:00Z');
      await s.issue('inv-1');
      await expectError(
        s.as(ADV, (ctx) => s.billing.InvoiceHistory(ctx, 'missing')),
        'INVOICE_NOT_FOUND',
      );
      await expectError(
        s.as(ADV2, (ctx) => s.billing.InvoiceHistory(ctx, 'inv-1')),
        'INVOICE_NOT_FOUND',
      );
      await expectError(
        s.as(PUB2, (ctx) => s.billing.InvoiceHistory(ctx, 'inv-1')),
        'INVOICE_NOT_FOUND',
      );
      await expectError(
        s.as(ADV, (ctx) => s.billing.InvoiceHistory(ctx, 'bad id!')),
        'VALIDATION_FAILED',
      );
    });
  });

  describe('reads', () => {
    it('gets and lists invoices for the parties that may see them', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await s.bothSides(1, 1000, 1000);
      await s.as(AGY, (ctx) =>
        s.delivery.Submit(ctx, JSON.stringify(reportInput(day(1), 10, 0, { lineItemId: 'li-2' }))),
      );
      await s.as(PUB2, (ctx) =>
        s.delivery.Submit(ctx, JSON.stringify(reportInput(day(1), 10, 0, { lineItemId: 'li-2' }))),
      );
      s.net.setTime('2026-04-08T10:00:00Z');
      await s.issue('inv-1');
      await s.as(PUB2, (ctx) =>
        s.billing.IssueInvoice(
          ctx,
          JSON.stringify({
            invoiceId: 'inv-2',
            campaignId: CAMPAIGN,
            lineItemId: 'li-2',
            periodStart: '2026-03-01',
            periodEnd: '2026-03-01',
          }),
        ),
      );
      await s.pay(ADV, 'p-1', 'inv-2', 10_000);
      expect((await s.as<Invoice>(AGY, (ctx) => s.billing.GetInvoice(ctx, 'inv-1'))).result.invoiceId).to.equal(
        'inv-1',
      );
      await expectError(
        s.as(PUB2, (ctx) => s.billing.GetInvoice(ctx, 'inv-1')),
        'INVOICE_NOT_FOUND',
      );
      await expectError(
        s.as(ADV, (ctx) => s.billing.GetInvoice(ctx, 'nope')),
        'INVOICE_NOT_FOUND',
      );
      await expectError(
        s.as(PUB2, (ctx) => s.billing.ListPayments(ctx, JSON.stringify({ invoiceId: 'inv-1' }))),
        'INVOICE_NOT_FOUND',
      );
      const list = (mspId: string, query: Record<string, unknown>) =>
        s.as<{ records: Invoice[]; bookmark: string; fetchedCount: number }>(mspId, (ctx) =>
          s.billing.ListInvoices(ctx, JSON.stringify(query)),
        );
      expect((await list(ADV, { campaignId: CAMPAIGN })).result.records.map((i) => i.invoiceId)).to.deep.equal([
        'inv-1',
        'inv-2',
      ]);
      expect((await list(PUB2, { campaignId: CAMPAIGN })).result.records.map((i) => i.invoiceId)).to.deep.equal([
        'inv-2',
      ]);
      expect((await list(PUB, {})).result.records.map((i) => i.invoiceId)).to.deep.equal(['inv-1']);
      expect((await list(ADV, { status: 'PAID' })).result.records.map((i) => i.invoiceId)).to.deep.equal(['inv-2']);
      const page = await list(AGY, { campaignId: CAMPAIGN, pageSize: 1 });
      expect(page.result.records).to.have.length(1);
      expect(page.result.bookmark).to.not.equal('');
      // Issue 8 item 6: a publisher's page names only its own line item's invoices, never the other's key.
      for (const [party, own, other] of [
        [PUB, 'inv-1', 'inv-2'],
        [PUB2, 'inv-2', 'inv-1'],
      ] as const) {
        const first = await list(party, { campaignId: CAMPAIGN, pageSize: 1 });
        expect(first.result.records.map((i) => i.invoiceId)).to.deep.equal([own]);
        expect(first.result.fetchedCount).to.equal(1);
        expect(first.result.bookmark, `${party} has nothing more to page`).to.equal('');
        expect(Buffer.from(page.result.bookmark, 'base64url').toString('utf8')).to.include('inv-2');
        expect(JSON.stringify(first.result)).to.not.include(other);
      }
      expect((await list(ADV2, {})).result.records).to.deep.equal([]);
      await expectError(list(ADV, { status: 'VOID' }), 'VALIDATION_FAILED');
    });
  });
});
