import { expect } from 'chai';
import { ADV, ADV2, AGY, CAMPAIGN, PUB, PUB2, Scenario, day, expectError, reportInput } from './support/scenario.js';
import { decodePolicy } from './support/policy.js';

interface Row {
  periodStart: string;
  status: string;
  firstPartyImpressions: number | null;
  thirdPartyImpressions: number | null;
  discrepancyBps: number | null;
  billingBasis: string;
  billableImpressions: number;
  amountMicros: number;
  agreedImpressions: number | null;
  invoiceId: string | null;
  resolution: { status: string; agreedImpressions: number; proposedBy: string } | null;
}

describe('reconciliation contract', () => {
  it('derives PENDING, WITHIN_TOLERANCE and DISPUTED rows, billing the third-party count by default', async () => {
    const s = new Scenario();
    // 8 March: the 7-day reporting window of 1 March is still open (it closes at the start of 9 March).
    s.net.setTime('2026-03-08T23:59:59Z');
    await s.activeCampaign();
    await s.submit(PUB, reportInput(day(1), 1000));
    await s.bothSides(2, 1000, 900);
    await s.bothSides(3, 1000, 899);
    await s.bothSides(4, 0, 0);
    const { result } = await s.as<{ records: Row[] }>(ADV, (ctx) =>
      s.reconciliation.List(ctx, JSON.stringify({ campaignId: CAMPAIGN })),
    );
    expect(
      result.records.map((r) => [r.status, r.billingBasis, r.discrepancyBps, r.billableImpressions, r.amountMicros]),
    ).to.deep.equal([
      ['PENDING', 'NONE', null, 0, 0],
      ['WITHIN_TOLERANCE', 'THIRD_PARTY', 1000, 900, 2_250_000],
      ['DISPUTED', 'NONE', 1010, 0, 0],
      ['WITHIN_TOLERANCE', 'THIRD_PARTY', 0, 0, 0],
    ]);
    expect(result.records[0]).to.include({ firstPartyImpressions: 1000, thirdPartyImpressions: null });
  });

  it('bills the only side that reported once the reporting window has passed, and says so on the row', async () => {
    const s = new Scenario();
    s.net.setTime('2026-03-02T12:00:00Z');
    await s.activeCampaign({ reportingWindowDays: 3 });
    await s.submit(PUB, reportInput(day(1), 1000, 10));
    await s.bothSides(2, 1000, 500);
    s.net.setTime('2026-03-04T23:59:59Z');
    expect((await s.row(ADV, 1)).result).to.include({
      status: 'PENDING',
      billingBasis: 'NONE',
      billableImpressions: 0,
    });
    s.net.setTime('2026-03-05T00:00:00Z');
    expect((await s.row(ADV, 1)).result).to.include({
      status: 'PENDING',
      billingBasis: 'FIRST_PARTY_ONLY',
      firstPartyImpressions: 990,
      thirdPartyImpressions: null,
      billableImpressions: 990,
      amountMicros: 2_475_000,
    });
    // A disputed day is not a silent side: it stays unbillable after the window.
    expect((await s.row(ADV, 2)).result).to.include({
      status: 'DISPUTED',
      billingBasis: 'NONE',
      billableImpressions: 0,
    });
    // The third-party side alone, after the window, bills the third-party count whatever the billing source.
    const f = new Scenario();
    f.net.setTime('2026-03-02T12:00:00Z');
    await f.activeCampaign({ billingSource: 'FIRST_PARTY' });
    await f.submit(AGY, reportInput(day(1), 800));
    f.net.setTime('2026-03-09T00:00:00Z');
    expect((await f.row(PUB, 1)).result).to.include({ billingBasis: 'THIRD_PARTY_ONLY', billableImpressions: 800 });
  });

  it('bills the first-party count when the campaign says so', async () => {
    const s = new Scenario();
    await s.activeCampaign({ billingSource: 'FIRST_PARTY', discrepancyToleranceBps: 0 });
    await s.bothSides(2, 1000, 1000);
    await s.bothSides(3, 1000, 999);
    const two = await s.row(AGY, 2);
    expect(two.result).to.include({ status: 'WITHIN_TOLERANCE', billableImpressions: 1000 });
    const three = await s.row(AGY, 3);
    expect(three.result).to.include({ status: 'DISPUTED', discrepancyBps: 10 });
  });

  it('caps the cumulative billable at bookedImpressions in chronological order', async () => {
    const s = new Scenario();
    const lineItems = [
      {
        lineItemId: 'li-1',
        publisher: PUB,
        cpmMicros: 1_000_000,
        bookedImpressions: 2500,
        flightStart: '2026-03-01',
        flightEnd: '2026-03-31',
      },
    ];
    await s.registerRoles();
    await s.propose({ lineItems });
    await s.as(AGY, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
    await s.as(PUB, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
    await s.bothSides(3, 1000, 1000);
    await s.bothSides(1, 1000, 1000);
    await s.bothSides(2, 1000, 1000);
    await s.bothSides(4, 1000, 1000);
    const { result } = await s.as<{ records: Row[] }>(PUB, (ctx) =>
      s.reconciliation.List(ctx, JSON.stringify({ campaignId: CAMPAIGN, lineItemId: 'li-1', from: '2026-03-02' })),
    );
    expect(result.records.map((r) => r.billableImpressions)).to.deep.equal([1000, 500, 0]);
  });

  it('resolves a dispute: one side proposes, the other accepts', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(2, 1000, 800);
    const proposed = await s.as<Row>(AGY, (ctx) =>
      s.reconciliation.ProposeResolution(ctx, CAMPAIGN, 'li-1', day(2).periodStart, '850'),
    );
    expect(proposed.result.status).to.equal('DISPUTED');
    expect(proposed.result.resolution).to.include({ status: 'PROPOSED', agreedImpressions: 850, proposedBy: AGY });
    expect(proposed.events).to.deep.equal([
      {
        name: 'ResolutionProposed',
        payload: {
          campaignId: CAMPAIGN,
          lineItemId: 'li-1',
          periodStart: day(2).periodStart,
          version: 1,
          proposedBy: AGY,
          status: 'DISPUTED',
          parties: [ADV, AGY, PUB].sort(),
        },
      },
    ]);
    await expectError(
      s.as(ADV, (ctx) => s.reconciliation.AcceptResolution(ctx, CAMPAIGN, 'li-1', day(2).periodStart, '850', '1')),
      'FORBIDDEN',
      'other side',
    );
    await s.as(PUB, (ctx) => s.reconciliation.ProposeResolution(ctx, CAMPAIGN, 'li-1', day(2).periodStart, '900'));
    const accepted = await s.as<Row>(ADV, (ctx) =>
      s.reconciliation.AcceptResolution(ctx, CAMPAIGN, 'li-1', day(2).periodStart, '900', '2'),
    );
    expect(accepted.result).to.include({ status: 'RESOLVED', agreedImpressions: 900, billableImpressions: 900 });
    expect(accepted.events.map((e) => e.name)).to.deep.equal(['DisputeResolved']);
    const key = s.net
      .context(ADV)
      .ctx.stub.createCompositeKey('adrecon.resolution', [CAMPAIGN, 'li-1', day(2).periodStart]);
    expect(decodePolicy(s.net.policies.get(key)!).orgs).to.deep.equal([ADV, AGY, PUB].sort());
    await expectError(s.submit(PUB, reportInput(day(2), 5)), 'INVALID_STATE', 'resolved');
    await expectError(
      s.as(PUB, (ctx) => s.reconciliation.ProposeResolution(ctx, CAMPAIGN, 'li-1', day(2).periodStart, '1')),
      'INVALID_STATE',
    );
  });

  it('treats a repeat of the pending proposal by the same side as a no-op: no new version, no event', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(2, 1000, 800);
    const propose = (org: string, count: string) =>
      s.as<Row>(org, (ctx) => s.reconciliation.ProposeResolution(ctx, CAMPAIGN, 'li-1', day(2).periodStart, count));
    const first = await propose(AGY, '850');
    const repeat = await propose(AGY, '850');
    expect(repeat.events).to.deep.equal([]);
    expect(repeat.result.resolution).to.deep.equal(first.result.resolution);
    expect(repeat.result.resolution).to.include({ version: 1 });
    const other = await propose(PUB, '850');
    expect(other.result.resolution).to.include({ version: 2, proposedBy: PUB });
    const changed = await propose(PUB, '900');
    expect(changed.result.resolution).to.include({ version: 3, agreedImpressions: 900 });
  });

  it('binds an acceptance to the proposal it names: a replaced proposal cannot be accepted (CONFLICT)', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(2, 1000, 600);
    const accept = (count: string, version: string) =>
      s.as<Row>(ADV, (ctx) =>
        s.reconciliation.AcceptResolution(ctx, CAMPAIGN, 'li-1', day(2).periodStart, count, version),
      );
    await s.as(PUB, (ctx) => s.reconciliation.ProposeResolution(ctx, CAMPAIGN, 'li-1', day(2).periodStart, '700'));
    // The buyer reviews 700 (version 1) while the publisher replaces it with 1000 (version 2).
    await s.as(PUB, (ctx) => s.reconciliation.ProposeResolution(ctx, CAMPAIGN, 'li-1', day(2).periodStart, '1000'));
    await expectError(accept('700', '1'), 'CONFLICT', 'version 2');
    await expectError(accept('700', '2'), 'CONFLICT');
    await expectError(accept('1000', '1'), 'CONFLICT');
    await expectError(accept('1000', 'x'), 'VALIDATION_FAILED');
    expect((await s.row(ADV, 2)).result.status).to.equal('DISPUTED');
    const { result } = await accept('1000', '2');
    expect(result).to.include({ status: 'RESOLVED', agreedImpressions: 1000 });
  });

  it('refuses resolutions of undisputed, unknown or foreign periods and bad counts', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(2, 1000, 1000);
    await s.bothSides(3, 1000, 500);
    const propose = (mspId: string, d: number, count: string, lineItemId = 'li-1') =>
      s.as(mspId, (ctx) => s.reconciliation.ProposeResolution(ctx, CAMPAIGN, lineItemId, day(d).periodStart, count));
    await expectError(propose(PUB, 2, '1000'), 'INVALID_STATE', 'not DISPUTED');
    await expectError(propose(PUB, 9, '1000'), 'RECONCILIATION_NOT_FOUND');
    await expectError(propose(PUB2, 3, '700'), 'CAMPAIGN_NOT_FOUND', 'has no line item');
    await expectError(propose(ADV2, 3, '700'), 'CAMPAIGN_NOT_FOUND');
    await expectError(propose(PUB, 3, '1001'), 'VALIDATION_FAILED', 'exceeds');
    await expectError(propose(PUB, 3, '-1'), 'VALIDATION_FAILED');
    await expectError(propose(PUB, 3, '1e3'), 'VALIDATION_FAILED');
    await expectError(propose(PUB, 3, '700', 'li-x'), 'CAMPAIGN_NOT_FOUND');
    await expectError(
      s.as(PUB, (ctx) => s.reconciliation.ProposeResolution(ctx, CAMPAIGN, 'li-1', '2026-03-03T01:07:00Z', '1')),
      'VALIDATION_FAILED',
      "start of a day in the campaign's time zone",
    );
    // On a quarter hour it could start a day of some zone, but not of this campaign's (UTC).
    await expectError(
      s.as(PUB, (ctx) => s.reconciliation.ProposeResolution(ctx, CAMPAIGN, 'li-1', '2026-03-03T01:00:00Z', '1')),
      'RECONCILIATION_NOT_FOUND',
    );
    await expectError(
      s.as(ADV, (ctx) => s.reconciliation.AcceptResolution(ctx, CAMPAIGN, 'li-1', day(3).periodStart, '1', '1')),
      'INVALID_STATE',
      'no proposed resolution',
    );
  });

  it('gets one row and refuses unknown periods and non-parties', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(2, 10, 10);
    expect((await s.row(PUB, 2)).result).to.include({ status: 'WITHIN_TOLERANCE', billableImpressions: 10 });
    await expectError(s.row(PUB, 3), 'RECONCILIATION_NOT_FOUND');
    await expectError(s.row(PUB2, 2), 'CAMPAIGN_NOT_FOUND', 'has no line item');
    await expectError(s.row(ADV2, 2), 'CAMPAIGN_NOT_FOUND');
    await expectError(
      s.as(ADV, (ctx) =>
        s.reconciliation.List(ctx, JSON.stringify({ campaignId: CAMPAIGN, from: '2026-03-05', to: '2026-03-01' })),
      ),
      'VALIDATION_FAILED',
    );
    const pub2 = await s.as<{ records: Row[] }>(PUB2, (ctx) =>
      s.reconciliation.List(ctx, JSON.stringify({ campaignId: CAMPAIGN })),
    );
    expect(pub2.result.records).to.deep.equal([]);
  });

  describe('Report', () => {
    it('reports rows with invoiced, paid, outstanding and overdue money, and totals', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await s.bothSides(1, 1000, 1000);
      await s.bothSides(2, 2000, 2000);
      await s.bothSides(3, 3000, 1000);
      await s.as(AGY, (ctx) =>
        s.delivery.Submit(ctx, JSON.stringify(reportInput(day(1), 400, 0, { lineItemId: 'li-2' }))),
      );
      s.net.setTime('2026-04-01T10:00:00Z');
      await s.issue('inv-1', '2026-03-01', '2026-03-02');
      await s.pay(ADV, 'p-1', 'inv-1', 3_000_000);
      s.net.setTime('2026-06-01T00:00:00Z');
      const { result } = await s.as<{
        rows: (Row & {
          lineItemId: string;
          invoicedMicros: number;
          paidMicros: number;
          outstandingMicros: number;
          overdue: boolean;
        })[];
        totals: Record<string, number>;
        asOf: string;
      }>(ADV, (ctx) => s.reconciliation.Report(ctx, '{}'));
      expect(result.asOf).to.equal('2026-06-01T00:00:00.000Z');
      expect(
        result.rows.map((r) => [
          r.lineItemId,
          r.status,
          r.billableImpressions,
          r.invoicedMicros,
          r.paidMicros,
          r.outstandingMicros,
          r.overdue,
        ]),
      ).to.deep.equal([
        ['li-1', 'WITHIN_TOLERANCE', 1000, 2_500_000, 2_500_000, 0, false],
        ['li-1', 'WITHIN_TOLERANCE', 2000, 5_000_000, 500_000, 4_500_000, true],
        ['li-1', 'DISPUTED', 0, 0, 0, 0, false],
        // li-2's publisher never reported 1 March: past the reporting window, the agency's count is billable.
        ['li-2', 'PENDING', 400, 0, 0, 0, false],
      ]);
      expect(result.totals).to.deep.equal({
        firstPartyImpressions: 6000,
        thirdPartyImpressions: 4400,
        billableImpressions: 3400,
        amountMicros: 7_900_000,
        invoicedMicros: 7_500_000,
        creditedMicros: 0,
        paidMicros: 3_000_000,
        outstandingMicros: 4_500_000,
        overdueMicros: 4_500_000,
      });
      const pub = await s.as<{ rows: Row[] }>(PUB, (ctx) =>
        s.reconciliation.Report(ctx, JSON.stringify({ campaignId: CAMPAIGN, from: '2026-03-02', to: '2026-03-02' })),
      );
      expect(pub.result.rows.map((r) => r.periodStart)).to.deep.equal([day(2).periodStart]);
      const byPublisher = await s.as<{ rows: Row[] }>(AGY, (ctx) =>
        s.reconciliation.Report(ctx, JSON.stringify({ publisher: PUB2 })),
      );
      expect(byPublisher.result.rows).to.have.length(1);
      // One line item from a day on: only its rows, and the same rows as the whole campaign's report gives.
      const lineItem = await s.as<{ rows: Row[]; totals: Record<string, number> }>(ADV, (ctx) =>
        s.reconciliation.Report(ctx, JSON.stringify({ campaignId: CAMPAIGN, lineItemId: 'li-1', from: '2026-03-02' })),
      );
      expect(lineItem.result.rows).to.deep.equal(result.rows.slice(1, 3));
      expect(lineItem.result.totals.billableImpressions).to.equal(2000);
      const outsider = await s.as<{ rows: Row[] }>(ADV2, (ctx) => s.reconciliation.Report(ctx, '{}'));
      expect(outsider.result.rows).to.deep.equal([]);
      await expectError(
        s.as(ADV2, (ctx) => s.reconciliation.Report(ctx, JSON.stringify({ campaignId: CAMPAIGN }))),
        'CAMPAIGN_NOT_FOUND',
      );
      await expectError(
        s.as(ADV, (ctx) => s.reconciliation.Report(ctx, JSON.stringify({ x: 1 }))),
        'VALIDATION_FAILED',
      );
    });
  });
});
