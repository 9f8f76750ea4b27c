import { expect } from 'chai';
import { ChaincodeStub } from 'fabric-shim';
import { ADV, AGY, PUB, PUB2, Scenario, day, expectError, reportInput } from './support/scenario.js';

const keys = Object.create(ChaincodeStub.prototype) as ChaincodeStub;

/** Two ACTIVE campaigns (cmp-1, cmp-2) with one first-party report each, and an invoice of cmp-2. */
async function twoCampaigns(): Promise<Scenario> {
  const s = new Scenario();
  await s.activeCampaign();
  await s.propose({ campaignId: 'cmp-2' });
  for (const party of [AGY, PUB, PUB2]) {
    await s.as(party, (ctx) => s.campaigns.Accept(ctx, 'cmp-2', '1'));
  }
  await s.submit(PUB, reportInput(day(1), 100));
  await s.submit(PUB, reportInput(day(1), 200, 0, { campaignId: 'cmp-2' }));
  return s;
}

describe('bookmarks stay inside the range they were asked for', () => {
  it("refuses a delivery:List bookmark outside the campaign's range (it would list other campaigns' reports)", async () => {
    const s = await twoCampaigns();
    const escape = keys.createCompositeKey('adrecon.report', []);
    await expectError(
      s.as(ADV, (ctx) =>
        s.delivery.List(ctx, JSON.stringify({ campaignId: 'cmp-1', lineItemId: 'li-1', bookmark: escape })),
      ),
      'VALIDATION_FAILED',
      'bookmark',
    );
    await expectError(
      s.as(ADV, (ctx) => s.delivery.List(ctx, JSON.stringify({ campaignId: 'cmp-1', bookmark: escape }))),
      'VALIDATION_FAILED',
      'bookmark',
    );
  });

  it('refuses a billing:ListInvoices bookmark of another campaign', async () => {
    const s = await twoCampaigns();
    const escape = keys.createCompositeKey('adrecon.invoiceByLineItem', ['cmp-2']);
    await expectError(
      s.as(ADV, (ctx) => s.billing.ListInvoices(ctx, JSON.stringify({ campaignId: 'cmp-1', bookmark: escape }))),
      'VALIDATION_FAILED',
      'bookmark',
    );
  });

  it('still pages through a range with the bookmarks it returned', async () => {
    const s = await twoCampaigns();
    await s.submit(PUB, reportInput(day(2), 100));
    await s.submit(PUB, reportInput(day(3), 100));
    const seen: string[] = [];
    let bookmark = '';
    do {
      const { result } = await s.as<{ records: { reportId: string; campaignId: string }[]; bookmark: string }>(
        ADV,
        (ctx) => s.delivery.List(ctx, JSON.stringify({ campaignId: 'cmp-1', pageSize: 2, bookmark })),
      );
      seen.push(...result.records.map((r) => `${r.campaignId}/${r.reportId}`));
      bookmark = result.bookmark;
    } while (bookmark !== '');
    expect(seen).to.have.length(3);
    expect(seen.every((id) => id.startsWith('cmp-1/'))).to.equal(true);
  });
});
