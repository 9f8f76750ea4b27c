import { LIMITS } from '@adrecon/contract';
import { expect } from 'chai';
import { ADV, AGY, CAMPAIGN, PUB, Scenario, day, expectError, reportInput } from './support/scenario.js';

function lineItems(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => ({
    lineItemId: `li-${index + 1}`,
    publisher: PUB,
    cpmMicros: 1_000_000,
    bookedImpressions: 1000,
    flightStart: '2026-03-01',
    flightEnd: '2026-03-31',
  }));
}

/** The limits the chaincode and the REST API once disagreed on, each now the contract's one rule. */
describe('contract drifts, chaincode side', () => {
  it('holds at most 100 line items per campaign (the gateway once allowed 200)', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await expectError(s.propose({ lineItems: lineItems(101) }), 'VALIDATION_FAILED', 'campaign.lineItems: ');
    const proposed = await s.propose({ lineItems: lineItems(LIMITS.lineItems) });
    expect((proposed.result as { lineItems: unknown[] }).lineItems).to.have.length(100);
  });

  it('accepts paymentTermsDays up to 3650 and refuses 3651 (the gateway once stopped at 365)', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await expectError(s.propose({ paymentTermsDays: 3651 }), 'VALIDATION_FAILED', 'campaign.paymentTermsDays');
    const proposed = await s.propose({ paymentTermsDays: 3650 });
    expect(proposed.result).to.include({ paymentTermsDays: 3650 });
  });

  it('refuses the identifiers . and .., in arguments and in bodies, and writes nothing', async () => {
    const s = new Scenario();
    await s.registerRoles();
    for (const id of ['.', '..']) {
      await expectError(s.propose({ campaignId: id }), 'VALIDATION_FAILED', 'campaign.campaignId: ');
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.Get(ctx, id)),
        'VALIDATION_FAILED',
        'campaignId: ',
      );
      await expectError(
        s.as(ADV, (ctx) => s.billing.GetInvoice(ctx, id)),
        'VALIDATION_FAILED',
        'invoiceId: ',
      );
    }
    await expectError(
      s.as(ADV, (ctx) => s.campaigns.Get(ctx, '...')),
      'CAMPAIGN_NOT_FOUND',
    );
  });

  it('refuses a report whose viewable impressions exceed its impressions', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    const report = reportInput(day(2), 10, 0, { viewableImpressions: 11 });
    await expectError(s.submit(PUB, report), 'VALIDATION_FAILED', 'report.viewableImpressions: ');
  });

  it('takes reconciliation ranges as dates only (the gateway once accepted instants)', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.submit(PUB, reportInput(day(2), 10));
    const list = (query: Record<string, unknown>) =>
      s.as<{ records: unknown[] }>(AGY, (ctx) => s.reconciliation.List(ctx, JSON.stringify(query)));
    await expectError(
      list({ campaignId: CAMPAIGN, from: '2026-03-01T00:00:00Z' }),
      'VALIDATION_FAILED',
      'query.from: ',
    );
    expect((await list({ campaignId: CAMPAIGN, from: '2026-03-02', to: '2026-03-02' })).result.records).to.have.length(
      1,
    );
  });

  it('takes bookmarks of up to 1024 characters (the gateway once allowed 4096)', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    const list = (bookmark: string) => s.as(ADV, (ctx) => s.campaigns.List(ctx, JSON.stringify({ bookmark })));
    await expectError(list('b'.repeat(LIMITS.bookmarkLength + 1)), 'VALIDATION_FAILED', 'query.bookmark: ');
    // 1024 characters pass the length rule and reach the ledger's own check that the bookmark belongs to the query.
    const message = await expectError(list('b'.repeat(LIMITS.bookmarkLength)), 'VALIDATION_FAILED');
    expect(message).to.contain('does not belong to this query').and.not.contain('query.bookmark');
  });
});
