import { expect } from 'chai';
import fc from 'fast-check';
import { lineItemSchema } from '@adrecon/contract';
import { amountMicros, flatFeeShareMicros } from '../../src/domain/arithmetic.js';
import { countInUnit } from '../../src/domain/billable-count.js';
import type { DeliveryReport } from '../../src/models/delivery-report.js';
import { ADV, AGY, PUB, Scenario, campaignInput, day, expectError, reportInput } from './support/scenario.js';

/** li-1 of the usual campaign with other pricing terms. */
function pricedLineItems(terms: Record<string, unknown>): Record<string, unknown>[] {
  return (campaignInput().lineItems as Record<string, unknown>[]).map((item) =>
    item.lineItemId === 'li-1' ? { ...item, ...terms } : item,
  );
}

function report(source: 'FIRST_PARTY' | 'THIRD_PARTY', counts: Partial<DeliveryReport>): DeliveryReport {
  return {
    reportId: 'r',
    campaignId: 'c',
    lineItemId: 'li',
    periodStart: '2026-03-01T00:00:00Z',
    periodEnd: '2026-03-02T00:00:00Z',
    impressions: 0,
    invalidImpressions: 0,
    source,
    reporter: 'M',
    reportedAt: '2026-03-02T00:00:00.000Z',
    txId: 't',
    ...counts,
  };
}

describe('billable units', () => {
  describe('the line item schema', () => {
    const base = pricedLineItems({})[0]!;

    it('accepts the three units, a flat fee only with FLAT_FEE and a CPM of 0', () => {
      expect(lineItemSchema.safeParse({ ...base, billableUnit: 'VIEWABLE_IMPRESSIONS' }).success).to.equal(true);
      expect(
        lineItemSchema.safeParse({ ...base, billableUnit: 'FLAT_FEE', cpmMicros: 0, flatFeeMicros: 5_000_000 }).success,
      ).to.equal(true);
      expect(lineItemSchema.safeParse({ ...base, billableUnit: 'FLAT_FEE', cpmMicros: 0 }).success).to.equal(false);
      expect(lineItemSchema.safeParse({ ...base, billableUnit: 'FLAT_FEE', flatFeeMicros: 1 }).success).to.equal(false);
      expect(lineItemSchema.safeParse({ ...base, flatFeeMicros: 1 }).success).to.equal(false);
      expect(lineItemSchema.safeParse({ ...base, billableUnit: 'CLICKS' }).success).to.equal(false);
    });
  });

  describe('countInUnit', () => {
    it('counts valid impressions, or viewable impressions capped at the valid ones, null without viewable counts', () => {
      const reports = [
        report('FIRST_PARTY', { impressions: 1000, invalidImpressions: 100, viewableImpressions: 700 }),
        report('FIRST_PARTY', { impressions: 500, invalidImpressions: 200, viewableImpressions: 450 }),
      ];
      expect(countInUnit(reports, 'IMPRESSIONS')).to.equal(1200);
      expect(countInUnit(reports, 'FLAT_FEE')).to.equal(1200);
      expect(countInUnit(reports, 'VIEWABLE_IMPRESSIONS')).to.equal(700 + 300);
      expect(countInUnit([...reports, report('FIRST_PARTY', { impressions: 5 })], 'VIEWABLE_IMPRESSIONS')).to.equal(
        null,
      );
      expect(countInUnit([], 'IMPRESSIONS')).to.equal(null);
    });

    it('never counts more viewable than valid impressions, nor more than the viewable ones (property)', () => {
      const one = fc
        .record({
          impressions: fc.integer({ min: 0, max: 1e12 }),
          a: fc.integer({ min: 0, max: 1000 }),
          b: fc.integer({ min: 0, max: 1000 }),
        })
        .map(({ impressions, a, b }) =>
          report('THIRD_PARTY', {
            impressions,
            invalidImpressions: Math.floor((impressions * a) / 1000),
            viewableImpressions: Math.floor((impressions * b) / 1000),
          }),
        );
      fc.assert(
        fc.property(fc.array(one, { minLength: 1, maxLength: 24 }), (reports) => {
          const viewable = countInUnit(reports, 'VIEWABLE_IMPRESSIONS')!;
          expect(viewable).to.be.at.most(countInUnit(reports, 'IMPRESSIONS')!);
          expect(viewable).to.be.at.most(reports.reduce((s, r) => s + (r.viewableImpressions ?? 0), 0));
        }),
      );
    });
  });

  describe('flatFeeShareMicros', () => {
    it('spreads a fee over the flight: the shares sum to the fee exactly and differ by at most one micro (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          fc.integer({ min: 1, max: 1096 }),
          (fee, n) => {
            const shares = Array.from({ length: n }, (_, i) => flatFeeShareMicros(fee, n, i));
            expect(shares.reduce((s, x) => s + BigInt(x), 0n)).to.equal(BigInt(fee));
            expect(Math.max(...shares) - Math.min(...shares)).to.be.at.most(1);
          },
        ),
        { numRuns: 200 },
      );
      expect([0, 1, 2].map((i) => flatFeeShareMicros(10, 3, i))).to.deep.equal([3, 3, 4]);
      expect(() => flatFeeShareMicros(10, 3, 3)).to.throw(/INVALID_STATE/);
    });
  });

  describe('on the ledger', () => {
    it('vCPM: compares both sides viewable counts, bills the billing source viewable count at the vCPM', async () => {
      const s = new Scenario();
      await s.activeCampaign({
        lineItems: pricedLineItems({ billableUnit: 'VIEWABLE_IMPRESSIONS', cpmMicros: 4_000_000 }),
      });
      await s.submit(PUB, reportInput(day(1), 10_000, 500, { viewableImpressions: 7_000 }));
      await s.submit(AGY, reportInput(day(1), 9_800, 300, { viewableImpressions: 6_650 }));
      const { result: row } = await s.row(ADV, 1);
      // 7000 vs 6650 viewable: 350 × 10000 / 7000 = 500 bps, within the 10 % tolerance; third-party bills.
      expect(row).to.include({
        billableUnit: 'VIEWABLE_IMPRESSIONS',
        firstPartyImpressions: 7_000,
        thirdPartyImpressions: 6_650,
        discrepancyBps: 500,
        status: 'WITHIN_TOLERANCE',
        billableImpressions: 6_650,
        amountMicros: amountMicros(6_650, 4_000_000),
      });
      s.net.setTime('2026-04-08T00:00:00Z');
      const { result: invoice } = await s.issue('inv-v');
      expect(invoice).to.include({
        billableUnit: 'VIEWABLE_IMPRESSIONS',
        billableImpressions: 6_650,
        amountMicros: 26_600_000,
      });
    });

    it('vCPM: refuses a report without viewable counts (VALIDATION_FAILED), and nothing is written', async () => {
      const s = new Scenario();
      await s.activeCampaign({ lineItems: pricedLineItems({ billableUnit: 'VIEWABLE_IMPRESSIONS' }) });
      await expectError(s.submit(PUB, reportInput(day(1), 10_000)), 'VALIDATION_FAILED', 'viewableImpressions');
      await expectError(s.row(ADV, 1), 'RECONCILIATION_NOT_FOUND');
    });

    it('flat fee: each flight day bills its share once billable, reported or not; the invoice bills the whole fee', async () => {
      const s = new Scenario();
      // 31 days of March for 31,000,001 micros: 1,000,000 a day, and the last day one more.
      await s.activeCampaign({
        lineItems: pricedLineItems({ billableUnit: 'FLAT_FEE', cpmMicros: 0, flatFeeMicros: 31_000_001 }),
      });
      await s.bothSides(1, 1000, 990);
      await s.bothSides(31, 1000, 1000);
      const { result: first } = await s.row(ADV, 1);
      expect(first).to.include({
        billableUnit: 'FLAT_FEE',
        billableImpressions: 990,
        cpmMicros: 0,
        amountMicros: 1_000_000,
      });
      expect((await s.row(ADV, 31)).result).to.include({ amountMicros: 1_000_001 });
      s.net.setTime('2026-04-08T00:00:00Z');
      const { result: invoice } = await s.issue('inv-f');
      expect(invoice).to.include({ billableUnit: 'FLAT_FEE', amountMicros: 31_000_001, billableImpressions: 1990 });
      expect((invoice as { periods: unknown[] }).periods).to.deep.equal([
        { periodStart: day(1).periodStart, billableImpressions: 990, cpmMicros: 0, amountMicros: 1_000_000 },
        { periodStart: day(31).periodStart, billableImpressions: 1000, cpmMicros: 0, amountMicros: 1_000_001 },
      ]);
      const { result: paid } = await s.pay(ADV, 'p-1', 'inv-f', 31_000_001);
      expect((paid as { invoice: Record<string, unknown> }).invoice).to.include({ status: 'PAID' });
    });

    it('a flat-fee day in dispute bills nothing until resolved, and blocks the invoice', async () => {
      const s = new Scenario();
      await s.activeCampaign({
        lineItems: pricedLineItems({ billableUnit: 'FLAT_FEE', cpmMicros: 0, flatFeeMicros: 3_100_000 }),
      });
      await s.bothSides(2, 1000, 500);
      expect((await s.row(ADV, 2)).result).to.include({ status: 'DISPUTED', amountMicros: 0 });
      s.net.setTime('2026-04-08T00:00:00Z');
      await expectError(s.issue('inv-d'), 'INVALID_STATE', '2026-03-02 (DISPUTED)');
    });

    it('an amendment may not change a line item billable unit (INVALID_STATE)', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      s.net.setTime('2026-03-10T00:00:00Z');
      const terms = campaignInput({ lineItems: pricedLineItems({ billableUnit: 'VIEWABLE_IMPRESSIONS' }) });
      delete terms.campaignId;
      delete terms.advertiser;
      delete terms.agency;
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.Amend(ctx, 'cmp-1', JSON.stringify(terms))),
        'INVALID_STATE',
        'bills IMPRESSIONS',
      );
    });
  });
});
