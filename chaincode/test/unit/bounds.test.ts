import { LIMITS } from '@adrecon/contract';
import { expect } from 'chai';
import { ADV, AGY, PUB, PUB2, Scenario, campaignInput, day, expectError, reportInput } from './support/scenario.js';

function withLineItem(overrides: Record<string, unknown>): Record<string, unknown> {
  const [first] = campaignInput().lineItems as Record<string, unknown>[];
  return { lineItems: [{ ...first, publisher: PUB, ...overrides }] };
}

/** Issue 7 item 6: the work and the numbers of a campaign are bounded when it is proposed. */
describe('bounds of a campaign', () => {
  it('refuses at proposal a line item whose whole booking would not have a safe-integer amount, and writes nothing', async () => {
    const s = new Scenario();
    await s.registerRoles();
    // 9007199254740991 × 1000 / 1000 fits exactly; at 1001 micros the amount passes 2^53 − 1.
    const message = await expectError(
      s.propose(withLineItem({ bookedImpressions: Number.MAX_SAFE_INTEGER, cpmMicros: 1001 })),
      'VALIDATION_FAILED',
      'campaign.lineItems.0.bookedImpressions: ',
    );
    expect(message).to.contain('safe integer');
    expect(s.net.state.size).to.equal(6); // the six role keys only
    const fits = await s.propose(withLineItem({ bookedImpressions: Number.MAX_SAFE_INTEGER, cpmMicros: 1000 }));
    expect(fits.result).to.include({ status: 'PROPOSED' });
  });

  it('refuses an amendment whose amount would overflow', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await s.propose();
    const terms = campaignInput(withLineItem({ bookedImpressions: 9_000_000_000_000, cpmMicros: 2_000_000 }));
    delete terms.campaignId;
    delete terms.advertiser;
    delete terms.agency;
    await expectError(
      s.as('AdvertiserMSP', (ctx) => s.campaigns.Amend(ctx, 'cmp-1', JSON.stringify(terms))),
      'VALIDATION_FAILED',
      'terms.lineItems.0.bookedImpressions: ',
    );
  });

  it(`bounds a flight at ${LIMITS.flightDays} days and the reporting window at ${LIMITS.reportingWindowDays} days`, async () => {
    const s = new Scenario();
    await s.registerRoles();
    await expectError(
      s.propose(withLineItem({ flightStart: '2026-01-01', flightEnd: '2029-01-01' })),
      'VALIDATION_FAILED',
      'campaign.lineItems.0.flightEnd: must be at most 1096 days after flightStart',
    );
    await expectError(
      s.propose({ reportingWindowDays: LIMITS.reportingWindowDays + 1 }),
      'VALIDATION_FAILED',
      'campaign.reportingWindowDays',
    );
    const longest = await s.propose({
      reportingWindowDays: LIMITS.reportingWindowDays,
      ...withLineItem({ flightStart: '2026-01-01', flightEnd: '2028-12-31' }),
    });
    expect(longest.result).to.include({ reportingWindowDays: LIMITS.reportingWindowDays });
  });

  it('defaults the reporting window to 7 days, also for a campaign stored before the window existed', async () => {
    const s = new Scenario();
    await s.registerRoles();
    expect((await s.propose()).result).to.include({ reportingWindowDays: 7 });
    // A campaign written by the previous chaincode (an upgraded ledger) has no reportingWindowDays.
    const key = s.net.context(ADV).ctx.stub.createCompositeKey('adrecon.campaign', ['cmp-1']);
    const stored = JSON.parse(s.net.state.get(key)!.toString('utf8')) as Record<string, unknown>;
    delete stored.reportingWindowDays;
    s.net.state.set(key, Buffer.from(JSON.stringify(stored)));
    const read = await s.as(ADV, (ctx) => s.campaigns.Get(ctx, 'cmp-1'));
    expect(read.result).to.include({ reportingWindowDays: 7 });
    const listed = await s.as<{ records: unknown[] }>(PUB, (ctx) => s.campaigns.List(ctx, '{}'));
    expect(listed.result.records).to.have.length(1);
  });

  it('reconciles and invoices from one count per side and period: a flood of reports of one day reads as one key', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.as(PUB, (ctx) =>
      s.delivery.SubmitBatch(ctx, JSON.stringify(Array.from({ length: 300 }, () => reportInput(day(3), 0)))),
    );
    await s.submit(PUB, reportInput(day(3), 500));
    await s.submit(AGY, reportInput(day(3), 500));
    s.net.setTime('2026-04-10T00:00:00Z');
    const invoice = await s.issue('inv-1');
    expect(invoice.result).to.include({ billableImpressions: 500 });
    const stub = s.net.lastStub!;
    const ranged = stub.getStateByPartialCompositeKey.getCalls().map((c) => c.args[0]);
    expect(ranged, 'no range over the reports themselves').to.not.include('adrecon.report');
    const countKeys = [...s.net.state.keys()].filter((k) => k.startsWith('\u0000adrecon.count\u0000'));
    expect(countKeys).to.have.length(2);
  });

  it("pages the finance report over the caller's own campaigns, with a bookmark no other caller can use", async () => {
    const s = new Scenario();
    await s.registerRoles();
    for (const id of ['c-a', 'c-b', 'c-c']) await s.propose({ campaignId: id });
    const first = await s.as<{ rows: unknown[]; bookmark: string; fetchedCount: number }>(ADV, (ctx) =>
      s.reconciliation.Report(ctx, JSON.stringify({ pageSize: 2 })),
    );
    expect(first.result.fetchedCount).to.equal(2);
    const stub = s.net.lastStub!;
    const paged = stub.getStateByPartialCompositeKeyWithPagination.getCalls().map((c) => [c.args[0], c.args[1]]);
    expect(paged).to.deep.equal([['adrecon.campaignByParty', [ADV]]]);
    expect(stub.getStateByPartialCompositeKey.getCalls().map((c) => c.args[0])).to.not.include(
      'adrecon.campaignByParty',
    );
    const second = await s.as<{ bookmark: string; fetchedCount: number }>(ADV, (ctx) =>
      s.reconciliation.Report(ctx, JSON.stringify({ pageSize: 2, bookmark: first.result.bookmark })),
    );
    expect(second.result).to.include({ fetchedCount: 1, bookmark: '' });
    await expectError(
      s.as(AGY, (ctx) => s.reconciliation.Report(ctx, JSON.stringify({ bookmark: first.result.bookmark }))),
      'VALIDATION_FAILED',
      'bookmark',
    );
  });

  it("lists invoices without a campaignId over the caller's campaigns only, never the channel's invoices", async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(1, 1000, 1000);
    for (const party of [PUB2]) {
      await s.submit(party, reportInput(day(1), 10, 0, { lineItemId: 'li-2' }));
    }
    await s.submit(AGY, reportInput(day(1), 10, 0, { lineItemId: 'li-2' }));
    s.net.setTime('2026-04-10T00:00:00Z');
    await s.issue('inv-1');
    await s.as(PUB2, (ctx) =>
      s.billing.IssueInvoice(
        ctx,
        JSON.stringify({
          invoiceId: 'inv-2',
          campaignId: 'cmp-1',
          lineItemId: 'li-2',
          periodStart: '2026-03-01',
          periodEnd: '2026-03-31',
        }),
      ),
    );
    const mine = await s.as<{ records: { invoiceId: string }[]; bookmark: string }>(PUB, (ctx) =>
      s.billing.ListInvoices(ctx, '{}'),
    );
    expect(mine.result.records.map((i) => i.invoiceId)).to.deep.equal(['inv-1']);
    const stub = s.net.lastStub!;
    const paged = stub.getStateByPartialCompositeKeyWithPagination.getCalls().map((c) => [c.args[0], c.args[1]]);
    expect(paged).to.deep.equal([['adrecon.campaignByParty', [PUB]]]);
    const ranged = stub.getStateByPartialCompositeKey.getCalls().map((c) => c.args[0]);
    expect(ranged).to.not.include('adrecon.invoice');
    const buyer = await s.as<{ records: { invoiceId: string }[] }>(ADV, (ctx) => s.billing.ListInvoices(ctx, '{}'));
    expect(buyer.result.records.map((i) => i.invoiceId)).to.deep.equal(['inv-1', 'inv-2']);
  });
});
