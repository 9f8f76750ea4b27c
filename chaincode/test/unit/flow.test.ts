import { expect } from 'chai';
import { ADV, AGY, CAMPAIGN, PUB, PUB2, Scenario, day, expectError, reportInput } from './support/scenario.js';

describe('the reconciliation flow end to end', () => {
  it('runs a campaign from proposal to full payment', async () => {
    const s = new Scenario();
    await s.registerRoles();
    const proposed = await s.propose();
    expect(proposed.result).to.include({ status: 'PROPOSED', version: 1 });
    await s.as(AGY, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
    await s.as(PUB2, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
    const active = await s.as<{ status: string }>(PUB, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
    expect(active.result.status).to.equal('ACTIVE');
    expect(active.events.map((e) => e.name)).to.deep.equal(['CampaignActivated']);

    await s.submit(PUB, reportInput(day(1), 100_000, 1_000));
    await s.submit(AGY, reportInput(day(1), 98_000, 500));
    await s.submit(PUB, reportInput(day(2), 100_000, 0));
    const tp2 = await s.submit(AGY, reportInput(day(2), 80_000, 0));
    expect(tp2.events[0]?.payload).to.include({ source: 'THIRD_PARTY' });
    expect(tp2.events[0]?.payload).to.not.have.property('status');

    const list = await s.as<{ records: Record<string, unknown>[] }>(AGY, (ctx) =>
      s.reconciliation.List(ctx, JSON.stringify({ campaignId: CAMPAIGN, lineItemId: 'li-1' })),
    );
    expect(list.result.records.map((r) => [r.status, r.discrepancyBps, r.billableImpressions])).to.deep.equal([
      ['WITHIN_TOLERANCE', 151, 97_500],
      ['DISPUTED', 2000, 0],
    ]);

    s.net.setTime('2026-04-08T00:00:00Z');
    await expectError(s.issue('inv-0'), 'INVALID_STATE', 'blocking: 2026-03-02 (DISPUTED)');
    await s.as(PUB, (ctx) => s.reconciliation.ProposeResolution(ctx, CAMPAIGN, 'li-1', day(2).periodStart, '90000'));
    const resolved = await s.as<Record<string, unknown>>(AGY, (ctx) =>
      s.reconciliation.AcceptResolution(ctx, CAMPAIGN, 'li-1', day(2).periodStart, '90000', '1'),
    );
    expect(resolved.result).to.include({ status: 'RESOLVED', billableImpressions: 90_000, agreedImpressions: 90_000 });

    const invoice = await s.issue('inv-1');
    expect(invoice.result).to.include({
      billableImpressions: 187_500,
      amountMicros: 468_750_000,
      status: 'ISSUED',
      dueDate: '2026-05-08',
    });
    const partial = await s.pay(ADV, 'pay-1', 'inv-1', 200_000_000);
    expect(partial.result.invoice.status).to.equal('PARTIALLY_PAID');
    await expectError(s.pay(AGY, 'pay-2', 'inv-1', 268_750_001), 'OVERPAYMENT');
    const full = await s.pay(AGY, 'pay-2', 'inv-1', 268_750_000);
    expect(full.result.invoice).to.include({ status: 'PAID', paidMicros: 468_750_000 });
  });
});
