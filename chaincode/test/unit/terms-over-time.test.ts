import { expect } from 'chai';
import {
  ADV,
  AGY,
  CAMPAIGN,
  PUB,
  PUB2,
  Scenario,
  campaignInput,
  day,
  expectError,
  reportInput,
} from './support/scenario.js';

interface CampaignRecord {
  version: number;
  status: string;
  effectiveFrom?: string;
  previousVersion?: number;
  cancelledOn?: string;
  parties: string[];
  acceptances: { mspId: string }[];
  lineItems: { lineItemId: string; cpmMicros: number; flightEnd: string }[];
}

interface Invoice {
  amountMicros: number;
  billableImpressions: number;
  periods: { periodStart: string; billableImpressions: number; cpmMicros: number }[];
}

const [LI1, LI2] = campaignInput().lineItems as Record<string, unknown>[];

function terms(overrides: Record<string, unknown>): string {
  const input = campaignInput(overrides);
  delete input.campaignId;
  delete input.advertiser;
  delete input.agency;
  return JSON.stringify(input);
}

function amend(s: Scenario, overrides: Record<string, unknown>, by = ADV) {
  return s.as<CampaignRecord>(by, (ctx) => s.campaigns.Amend(ctx, CAMPAIGN, terms(overrides)));
}

function accept(s: Scenario, mspId: string, version: number) {
  return s.as<CampaignRecord>(mspId, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, String(version)));
}

function current(s: Scenario) {
  return s.as<CampaignRecord>(ADV, (ctx) => s.campaigns.Get(ctx, CAMPAIGN));
}

/** Issue 7 item 3: terms over time. The scenario's clock is 15 March 2026 unless a test moves it. */
describe('terms over time', () => {
  it('keeps an ACTIVE campaign ACTIVE under its terms while an amendment awaits every party, then applies it', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    const proposed = await amend(s, {
      effectiveFrom: '2026-03-20',
      lineItems: [{ ...LI1, cpmMicros: 3_000_000 }, LI2],
    });
    expect(proposed.result).to.include({ version: 2, status: 'PROPOSED', effectiveFrom: '2026-03-20' });
    expect(proposed.events[0]).to.deep.include({ name: 'CampaignAmended' });
    expect((await current(s)).result).to.include({ version: 1, status: 'ACTIVE' });
    // Reports go on under the terms in force.
    expect((await s.submit(PUB, reportInput(day(14), 10))).result).to.include({ created: true });
    await expectError(accept(s, PUB, 1), 'CONFLICT', 'awaits acceptance of version 2');
    await accept(s, AGY, 2);
    const second = await accept(s, PUB, 2);
    expect(second.events.map((e) => e.name)).to.deep.equal(['CampaignAccepted']);
    expect((await current(s)).result).to.include({ version: 1, status: 'ACTIVE' });
    const pending = await s.as<CampaignRecord>(ADV, (ctx) => s.campaigns.GetVersion(ctx, CAMPAIGN, '2'));
    expect(pending.result.acceptances.map((a) => a.mspId)).to.deep.equal([ADV, AGY, PUB]);
    const last = await accept(s, PUB2, 2);
    expect(last.events.map((e) => e.name)).to.deep.equal(['CampaignAmendmentApplied']);
    expect((await current(s)).result).to.include({
      version: 2,
      status: 'ACTIVE',
      effectiveFrom: '2026-03-20',
      previousVersion: 1,
    });
    const v1 = await s.as<CampaignRecord>(ADV, (ctx) => s.campaigns.GetVersion(ctx, CAMPAIGN, '1'));
    expect(v1.result.lineItems[0]?.cpmMicros).to.equal(2_500_000);
  });

  it('bills every day at the terms in force on that day: price and booking, before and after an amendment', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(10, 1000, 1000);
    // The buyer side reprices to 0 and shrinks the booking to 1500 from 20 March; every party accepts.
    await amend(s, {
      effectiveFrom: '2026-03-20',
      lineItems: [{ ...LI1, cpmMicros: 0, bookedImpressions: 1500 }, LI2],
    });
    for (const party of [AGY, PUB, PUB2]) await accept(s, party, 2);
    await s.bothSides(21, 1000, 1000);
    expect((await s.row(ADV, 10)).result).to.include({ cpmMicros: 2_500_000, amountMicros: 2_500_000 });
    expect((await s.row(ADV, 21)).result).to.include({ cpmMicros: 0, billableImpressions: 500, amountMicros: 0 });
    s.net.setTime('2026-04-10T00:00:00Z');
    const invoice = (await s.issue('inv-1')).result as unknown as Invoice;
    expect(invoice.periods).to.deep.equal([
      { periodStart: day(10).periodStart, billableImpressions: 1000, cpmMicros: 2_500_000 },
      { periodStart: day(21).periodStart, billableImpressions: 500, cpmMicros: 0 },
    ]);
    expect(invoice).to.include({ billableImpressions: 1500, amountMicros: 2_500_000 });
  });

  it('never reaches back: an effective date before the amendment is refused, and one that passed before acceptance cannot apply', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await expectError(
      amend(s, { effectiveFrom: '2026-03-14', lineItems: [{ ...LI1, cpmMicros: 0 }, LI2] }),
      'VALIDATION_FAILED',
      'terms.effectiveFrom: must not be before the date of the amendment (2026-03-15)',
    );
    const defaulted = await amend(s, { lineItems: [{ ...LI1, cpmMicros: 0 }, LI2] });
    expect(defaulted.result.effectiveFrom).to.equal('2026-03-15');
    await accept(s, AGY, 2);
    await accept(s, PUB, 2);
    s.net.setTime('2026-03-16T00:00:00Z');
    await expectError(accept(s, PUB2, 2), 'INVALID_STATE', 'which has passed');
    expect((await current(s)).result).to.include({ version: 1 });
  });

  it('refuses a stale acceptance of a replaced amendment, which stays readable', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await amend(s, { effectiveFrom: '2026-03-20', name: 'first' });
    await accept(s, PUB, 2);
    const replaced = await amend(s, { effectiveFrom: '2026-03-21', name: 'second' }, AGY);
    expect(replaced.result).to.include({ version: 3 });
    expect(replaced.result.acceptances.map((a) => a.mspId)).to.deep.equal([AGY]);
    await expectError(accept(s, ADV, 2), 'CONFLICT', 'version 3');
    const v2 = await s.as<{ name: string }>(ADV, (ctx) => s.campaigns.GetVersion(ctx, CAMPAIGN, '2'));
    expect(v2.result.name).to.equal('first');
    for (const party of [ADV, PUB, PUB2]) await accept(s, party, 3);
    expect((await current(s)).result).to.include({ version: 3, previousVersion: 1, effectiveFrom: '2026-03-21' });
  });

  it("removing a line item needs its publisher's acceptance and ends its flight the day before: earlier days stay billable", async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(10, 1000, 1000);
    // Reported ahead of the day (nothing refuses a period that has not started yet), then ended by the amendment.
    await s.bothSides(25, 300, 300);
    const proposed = await amend(s, { effectiveFrom: '2026-03-20', lineItems: [LI2] });
    expect(proposed.result.parties).to.include(PUB);
    // The amendment's all-parties record ends li-1 by reference; its terms, read by a buyer, end the day before.
    expect(proposed.result.lineItems.find((i) => i.lineItemId === 'li-1')).to.include({ endsBefore: '2026-03-20' });
    const amendment = await s.as<{ lineItems: { lineItemId: string; flightEnd: string }[] }>(ADV, (ctx) =>
      s.campaigns.GetVersion(ctx, CAMPAIGN, '2'),
    );
    expect(amendment.result.lineItems.find((i) => i.lineItemId === 'li-1')?.flightEnd).to.equal('2026-03-19');
    await accept(s, AGY, 2);
    await accept(s, PUB2, 2);
    expect((await current(s)).result.version, 'nothing changes without the publisher').to.equal(1);
    await accept(s, PUB, 2);
    expect((await current(s)).result.version).to.equal(2);
    await s.bothSides(19, 400, 400);
    await expectError(s.submit(PUB, reportInput(day(20), 1)), 'INVALID_STATE', 'outside the flight');
    expect((await s.row(ADV, 25)).result).to.include({
      status: 'WITHIN_TOLERANCE',
      billingBasis: 'NONE',
      billableImpressions: 0,
    });
    s.net.setTime('2026-04-10T00:00:00Z');
    const invoice = (await s.issue('inv-1')).result as unknown as Invoice;
    expect(invoice).to.include({ billableImpressions: 1400, amountMicros: 3_500_000 });
  });

  it('cancellation ends the flight at its date: earlier days stay reportable, reconcilable and invoiceable', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(10, 1000, 1000);
    await amend(s, { effectiveFrom: '2026-03-20', lineItems: [{ ...LI1, cpmMicros: 0 }, LI2] });
    const cancelled = await s.as<CampaignRecord>(ADV, (ctx) => s.campaigns.Cancel(ctx, CAMPAIGN, 'budget cut'));
    expect(cancelled.result).to.include({ status: 'CANCELLED', cancelledOn: '2026-03-15' });
    await expectError(accept(s, PUB, 2), 'INVALID_STATE');
    await s.bothSides(12, 200, 200);
    await s.bothSides(15, 100, 100);
    await expectError(s.submit(PUB, reportInput(day(16), 1)), 'INVALID_STATE', 'after the cancellation');
    // Before the reporting window of 15 March has passed, its silent days still block.
    s.net.setTime('2026-03-20T00:00:00Z');
    await expectError(s.issue('inv-1', '2026-03-01', '2026-03-15'), 'INVALID_STATE', '2026-03-14 (no report)');
    s.net.setTime('2026-03-23T00:00:00Z');
    const invoice = (await s.issue('inv-1', '2026-03-01', '2026-03-15')).result as unknown as Invoice;
    expect(invoice).to.include({ billableImpressions: 1300, amountMicros: 3_250_000 });
  });

  it('a campaign cancelled before it was ever ACTIVE has no days to report or invoice', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await s.propose();
    const cancelled = await s.as<CampaignRecord>(ADV, (ctx) => s.campaigns.Cancel(ctx, CAMPAIGN, 'no'));
    expect(cancelled.result.cancelledOn).to.equal(undefined);
    await expectError(s.submit(PUB, reportInput(day(1), 1)), 'INVALID_STATE', 'before it became ACTIVE');
    s.net.setTime('2026-04-10T00:00:00Z');
    await expectError(s.issue('inv-1'), 'INVALID_STATE', 'before it became ACTIVE');
  });
});
