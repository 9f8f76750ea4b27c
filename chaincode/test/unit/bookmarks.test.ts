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

describe('bookmarks and counts name only what the caller may see (issue 8 item 6)', () => {
  it("a publisher paging a two-publisher campaign's reports gets bookmarks of its own line item only", async () => {
    const s = new Scenario();
    await s.activeCampaign();
    for (const d of [1, 2, 3]) {
      await s.submit(PUB, reportInput(day(d), 100));
      await s.submit(PUB2, reportInput(day(d), 100, 0, { lineItemId: 'li-2' }));
    }
    for (const [party, own, other] of [
      [PUB, 'li-1', 'li-2'],
      [PUB2, 'li-2', 'li-1'],
    ] as const) {
      const lineItems: string[] = [];
      let bookmark = '';
      do {
        const { result } = await s.as<{
          records: { lineItemId: string }[];
          bookmark: string;
          fetchedCount: number;
        }>(party, (ctx) => s.delivery.List(ctx, JSON.stringify({ campaignId: 'cmp-1', pageSize: 1, bookmark })));
        expect(result.fetchedCount).to.equal(result.records.length);
        lineItems.push(...result.records.map((r) => r.lineItemId));
        bookmark = result.bookmark;
        const key = Buffer.from(bookmark, 'base64url').toString('utf8');
        expect(key.includes(other), `${party}'s bookmark names ${JSON.stringify(key)}`).to.equal(false);
      } while (bookmark !== '');
      expect(lineItems).to.deep.equal([own, own, own]);
    }
  });

  it('refuses a forged bookmark into the other publisher’s range like any foreign bookmark', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.submit(PUB2, reportInput(day(1), 100, 0, { lineItemId: 'li-2' }));
    const forged = Buffer.from(keys.createCompositeKey('adrecon.report', ['cmp-1', 'li-2']), 'utf8').toString(
      'base64url',
    );
    await expectError(
      s.as(PUB, (ctx) => s.delivery.List(ctx, JSON.stringify({ campaignId: 'cmp-1', bookmark: forged }))),
      'VALIDATION_FAILED',
      'bookmark does not belong to this query',
    );
    const { result } = await s.as<{ records: unknown[] }>(ADV, (ctx) =>
      s.delivery.List(ctx, JSON.stringify({ campaignId: 'cmp-1', bookmark: forged })),
    );
    expect(result.records).to.have.length(1);
  });
});
