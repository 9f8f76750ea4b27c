import { expect } from 'chai';
import fc from 'fast-check';
import { countAgainst, shortfallBeyond } from '../../src/domain/make-good-rules.js';
import { ADV, AGY, CAMPAIGN, PUB, Scenario, day, expectError, reportInput } from './support/scenario.js';

interface MakeGood {
  status: string;
  shortfallImpressions: number;
  acceptances: { mspId: string }[];
}

/** li-1 (booked 1,000,000, March) delivered 2,000 billed impressions; the flight has ended. */
async function underDelivered(): Promise<Scenario> {
  const s = new Scenario();
  await s.activeCampaign();
  await s.bothSides(1, 1000, 1000);
  await s.bothSides(2, 1000, 1000);
  s.net.setTime('2026-04-02T12:00:00Z');
  return s;
}

function propose(s: Scenario, overrides: Record<string, unknown> = {}, mspId = PUB) {
  const input = {
    makeGoodId: 'mg-1',
    campaignId: CAMPAIGN,
    lineItemId: 'li-1',
    impressions: 5000,
    flightStart: '2026-04-01',
    flightEnd: '2026-04-30',
    ...overrides,
  };
  return s.as<MakeGood>(mspId, (ctx) => s.campaigns.ProposeMakeGood(ctx, JSON.stringify(input)));
}

function accept(s: Scenario, mspId: string) {
  return s.as<MakeGood>(mspId, (ctx) => s.campaigns.AcceptMakeGood(ctx, CAMPAIGN, 'li-1', 'mg-1'));
}

/** A report of an April 2026 day. */
function april(d: number): { periodStart: string; periodEnd: string } {
  const instant = (x: number) => new Date(Date.UTC(2026, 3, x)).toISOString().replace('.000', '');
  return { periodStart: instant(d), periodEnd: instant(d + 1) };
}

describe('make-goods', () => {
  it('shortfallBeyond: due only past the threshold, exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e12 }),
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 10_000 }),
        (booked, d, bps) => {
          const delivered = Math.min(d, booked);
          const due = BigInt(booked - delivered) * 10_000n > BigInt(booked) * BigInt(bps);
          if (due) expect(shortfallBeyond(booked, delivered, bps)).to.equal(booked - delivered);
          else expect(() => shortfallBeyond(booked, delivered, bps)).to.throw(/INVALID_STATE/);
        },
      ),
    );
    expect(() => shortfallBeyond(1000, 950, 500)).to.throw(/INVALID_STATE/);
    expect(shortfallBeyond(1000, 949, 500)).to.equal(51);
  });

  it('countAgainst never counts more than the make-good, oldest days first (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 1e8 }), { maxLength: 40 }),
        (impressions, counts) => {
          const counted = countAgainst(impressions, counts);
          expect(counted.reduce((a, b) => a + b, 0)).to.equal(
            Math.min(
              impressions,
              counts.reduce((a, b) => a + b, 0),
            ),
          );
          counted.forEach((c, i) => expect(c).to.be.at.most(counts[i]!));
        },
      ),
    );
  });

  it('the publisher proposes, advertiser and agency accept; make-good days are reconciled, counted, never billed', async () => {
    const s = await underDelivered();
    const { result: proposed, events } = await propose(s);
    expect(proposed).to.include({ status: 'PROPOSED', shortfallImpressions: 998_000 });
    expect(events.map((e) => e.name)).to.deep.equal(['MakeGoodProposed']);
    // Before acceptance the extended flight is not open for reports.
    await expectError(s.submit(PUB, reportInput(april(3), 3000)), 'INVALID_STATE', 'outside the flight');
    expect((await accept(s, AGY)).result.status).to.equal('PROPOSED');
    await expectError(accept(s, AGY), 'INVALID_STATE', 'already accepted');
    expect((await accept(s, ADV)).result.status).to.equal('ACCEPTED');
    s.net.setTime('2026-04-06T12:00:00Z');
    await s.submit(PUB, reportInput(april(3), 3000));
    await s.submit(AGY, reportInput(april(3), 2900));
    await s.submit(PUB, reportInput(april(4), 3000));
    await s.submit(AGY, reportInput(april(4), 3000));
    const rows = await s.as<{ rows: Record<string, unknown>[] }>(ADV, (ctx) =>
      s.reconciliation.Report(ctx, JSON.stringify({ campaignId: CAMPAIGN })),
    );
    const li1 = rows.result.rows.filter((r) => r.lineItemId === 'li-1');
    expect(
      li1.map((r) => [r.periodStart, r.status, r.billableImpressions, r.amountMicros, r.makeGoodImpressions]),
    ).to.deep.equal([
      [day(1).periodStart, 'WITHIN_TOLERANCE', 1000, 2_500_000, undefined],
      [day(2).periodStart, 'WITHIN_TOLERANCE', 1000, 2_500_000, undefined],
      // 2900 third-party, then 3000 of which only 2100 are left of the 5000 offered.
      [april(3).periodStart, 'WITHIN_TOLERANCE', 0, 0, 2900],
      [april(4).periodStart, 'WITHIN_TOLERANCE', 0, 0, 2100],
    ]);
    const listed = await s.as<{ records: { deliveredImpressions: number }[] }>(ADV, (ctx) =>
      s.campaigns.ListMakeGoods(ctx, JSON.stringify({ campaignId: CAMPAIGN, lineItemId: 'li-1' })),
    );
    expect(listed.result.records[0]?.deliveredImpressions).to.equal(5000);
    await expectError(s.issue('inv-apr', '2026-04-01', '2026-04-05'), 'INVALID_STATE', 'no day of the flight');
  });

  it('refuses a make-good before the flight ends, within the threshold, past the shortfall, from others, twice', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(1, 1000, 1000);
    s.net.setTime('2026-03-20T00:00:00Z');
    await expectError(propose(s), 'INVALID_STATE', 'has not ended');
    s.net.setTime('2026-04-02T00:00:00Z');
    await expectError(propose(s, {}, ADV), 'FORBIDDEN');
    await expectError(propose(s, { impressions: 999_001 }), 'INVALID_STATE', 'exceeds the shortfall');
    await expectError(propose(s, { flightStart: '2026-03-31' }), 'INVALID_STATE', 'starts after');
    await propose(s);
    await expectError(propose(s, { makeGoodId: 'mg-2' }), 'CONFLICT');
    await expectError(accept(s, PUB), 'FORBIDDEN');

    const full = new Scenario();
    await full.activeCampaign({ makeGoodThresholdBps: 10_000 });
    full.net.setTime('2026-04-02T00:00:00Z');
    await expectError(propose(full), 'INVALID_STATE', 'not under-delivered');
  });
});
