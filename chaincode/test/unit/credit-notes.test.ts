import { expect } from 'chai';
import fc from 'fast-check';
import type { Invoice } from '@adrecon/contract';
import { creditNoteAmount } from '../../src/domain/credit-note-amount.js';
import { ADV, AGY, CAMPAIGN, PUB, Scenario, campaignInput, day, expectError } from './support/scenario.js';

interface CreditResult {
  creditNote: { amountMicros: number; status: string };
  invoice: { creditedMicros?: number; paidMicros: number; status: string };
}

/** An invoice of li-1 over March days 1 and 2 (1001 and 1000 impressions at a CPM of 1500 micros: 3002 micros). */
async function invoiced(): Promise<Scenario> {
  const s = new Scenario();
  const lineItems = (campaignInput().lineItems as Record<string, unknown>[]).map((i) => ({ ...i, cpmMicros: 1500 }));
  await s.activeCampaign({ lineItems });
  await s.bothSides(1, 1001, 1001);
  await s.bothSides(2, 1000, 1000);
  s.net.setTime('2026-04-08T23:59:59Z');
  await s.issue('inv-1');
  return s;
}

function issueNote(
  s: Scenario,
  mspId: string,
  creditNoteId: string,
  periods: { periodStart: string; impressions: number }[],
) {
  return s.as<CreditResult>(mspId, (ctx) =>
    s.billing.IssueCreditNote(
      ctx,
      JSON.stringify({ creditNoteId, invoiceId: 'inv-1', reason: 'INVALID_TRAFFIC', periods }),
    ),
  );
}

function acceptNote(s: Scenario, mspId: string, creditNoteId: string) {
  return s.as<CreditResult>(mspId, (ctx) => s.billing.AcceptCreditNote(ctx, 'inv-1', creditNoteId));
}

describe('credit notes', () => {
  it('the publisher issues, the buyer accepts: the invoice keeps its amount, what is owed shrinks, the report shows it', async () => {
    const s = await invoiced();
    // 400 impressions of day 1 at 1500 micros per thousand = 600 micros.
    const { result: issued, events } = await issueNote(s, PUB, 'cn-1', [
      { periodStart: day(1).periodStart, impressions: 400 },
    ]);
    expect(issued.creditNote).to.include({ amountMicros: 600, status: 'ISSUED' });
    expect(events.map((e) => e.name)).to.deep.equal(['CreditNoteIssued']);
    expect(events[0]?.payload).to.not.have.property('amountMicros');
    const { result: accepted } = await acceptNote(s, AGY, 'cn-1');
    expect(accepted.creditNote.status).to.equal('ACCEPTED');
    expect(accepted.invoice).to.include({ amountMicros: 3002, creditedMicros: 600, paidMicros: 0, status: 'ISSUED' });
    await expectError(s.pay(ADV, 'p-over', 'inv-1', 2403), 'OVERPAYMENT');
    const { result: paid } = await s.pay(ADV, 'p-1', 'inv-1', 2402);
    expect(paid.invoice).to.include({ status: 'PAID', paidMicros: 2402, creditedMicros: 600 });
    const { result: report } = await s.as<{ rows: Record<string, number>[]; totals: Record<string, number> }>(
      ADV,
      (ctx) => s.reconciliation.Report(ctx, JSON.stringify({ campaignId: CAMPAIGN })),
    );
    expect(report.totals).to.include({
      invoicedMicros: 3002,
      creditedMicros: 600,
      paidMicros: 2402,
      outstandingMicros: 0,
    });
  });

  it('refuses notes by anyone but the publisher, acceptance by the publisher, and credits past the invoiced days', async () => {
    const s = await invoiced();
    const one = [{ periodStart: day(1).periodStart, impressions: 1 }];
    await expectError(issueNote(s, ADV, 'cn-a', one), 'FORBIDDEN');
    await expectError(
      issueNote(s, PUB, 'cn-b', [{ periodStart: day(3).periodStart, impressions: 1 }]),
      'INVALID_STATE',
      'not a day',
    );
    await expectError(
      issueNote(s, PUB, 'cn-c', [{ periodStart: day(1).periodStart, impressions: 1002 }]),
      'INVALID_STATE',
      '1001 billed units left',
    );
    await issueNote(s, PUB, 'cn-1', [{ periodStart: day(1).periodStart, impressions: 1000 }]);
    await expectError(issueNote(s, PUB, 'cn-1', one), 'CONFLICT');
    await expectError(
      issueNote(s, PUB, 'cn-2', [{ periodStart: day(1).periodStart, impressions: 2 }]),
      'INVALID_STATE',
      '1 billed units left',
    );
    await expectError(acceptNote(s, PUB, 'cn-1'), 'FORBIDDEN');
    await acceptNote(s, ADV, 'cn-1');
    await expectError(acceptNote(s, ADV, 'cn-1'), 'INVALID_STATE', 'already accepted');
    await expectError(acceptNote(s, ADV, 'cn-none'), 'INVOICE_NOT_FOUND');
  });

  it('never lets the credits of an invoice exceed its amount, nor what is unpaid', async () => {
    const s = await invoiced();
    await s.pay(ADV, 'p-1', 'inv-1', 3000);
    // 2 micros unpaid: a credit of 3 impressions (4.5 → 5 micros) is refused, one of 1 impression (1.5 → 2) is not.
    await expectError(
      issueNote(s, PUB, 'cn-1', [{ periodStart: day(2).periodStart, impressions: 3 }]),
      'INVALID_STATE',
      'neither paid',
    );
    const { result } = await issueNote(s, PUB, 'cn-2', [{ periodStart: day(2).periodStart, impressions: 1 }]);
    expect(result.creditNote.amountMicros).to.equal(2);
    expect((await acceptNote(s, AGY, 'cn-2')).result.invoice).to.include({ status: 'PAID', creditedMicros: 2 });
  });

  it('creditNoteAmount: any sequence of notes never credits more than the invoice, nor more units than a day billed (property)', () => {
    const invoiceOf = fc
      .array(
        fc.record({
          billableImpressions: fc.integer({ min: 0, max: 1e9 }),
          cpmMicros: fc.integer({ min: 0, max: 5e7 }),
        }),
        {
          minLength: 1,
          maxLength: 5,
        },
      )
      .map((days) => {
        const periods = days.map((d, i) => ({ periodStart: `2026-03-0${i + 1}T00:00:00Z`, ...d }));
        const exact = periods.reduce((sum, p) => sum + BigInt(p.billableImpressions) * BigInt(p.cpmMicros), 0n);
        return {
          invoiceId: 'inv',
          cpmMicros: periods[0]!.cpmMicros,
          periods,
          amountMicros: Number((exact + 500n) / 1000n),
        } satisfies Pick<Invoice, 'invoiceId' | 'cpmMicros' | 'periods' | 'amountMicros'>;
      });
    const attempts = fc.array(
      fc.array(fc.record({ day: fc.integer({ min: 0, max: 4 }), impressions: fc.integer({ min: 1, max: 1e9 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(invoiceOf, attempts, (invoice, tries) => {
        const notes: { periods: { periodStart: string; impressions: number }[]; amountMicros: number }[] = [];
        for (const attempt of tries) {
          const periods = [
            ...new Map(
              attempt
                .filter((a) => a.day < invoice.periods.length)
                .map((a) => [
                  invoice.periods[a.day]!.periodStart,
                  { periodStart: invoice.periods[a.day]!.periodStart, impressions: a.impressions },
                ]),
            ).values(),
          ];
          if (periods.length === 0) continue;
          try {
            notes.push({ periods, amountMicros: creditNoteAmount(invoice, notes, periods) });
          } catch (err) {
            expect(String(err)).to.match(/INVALID_STATE/);
          }
        }
        const credited = notes.reduce((sum, n) => sum + n.amountMicros, 0);
        expect(credited).to.be.at.most(invoice.amountMicros);
        for (const day of invoice.periods) {
          const units = notes.flatMap((n) => n.periods).filter((p) => p.periodStart === day.periodStart);
          expect(units.reduce((sum, p) => sum + p.impressions, 0)).to.be.at.most(day.billableImpressions);
        }
      }),
      { numRuns: 300 },
    );
  });
});
