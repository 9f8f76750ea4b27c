import { expect } from 'chai';
import request from 'supertest';
import { AppError } from '../../../src/errors';
import { bearer, bodyOf, campaign, KEYS, newTestApp } from '../fakes';

const twoPublishers = {
  ...campaign,
  lineItems: [
    campaign.lineItems[0]!,
    { ...campaign.lineItems[0]!, lineItemId: 'li-2', publisher: 'Publisher2MSP', cpmMicros: 7_310_001 },
  ],
};

describe('a proposal with several publishers (issue 8)', () => {
  it('writes each line item’s terms in a transaction of its own, then proposes by reference', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('campaigns:GetVersion', { view: true });
    const res = await request(app)
      .post('/campaigns')
      .set('Authorization', bearer(KEYS.advertiserOps))
      .send(twoPublishers);
    expect(res.status, res.text).to.equal(201);
    expect(ledger.calls.map((c) => c.transaction)).to.deep.equal([
      'campaigns:SetLineItemTerms',
      'campaigns:SetLineItemTerms',
      'campaigns:Propose',
      'campaigns:GetVersion',
    ]);
    const [first, second, propose] = ledger.calls
      .slice(0, 3)
      .map((c) => JSON.parse(c.args[0] ?? '{}') as Record<string, unknown>);
    expect(first).to.deep.include({ campaignId: 'c-1', advertiser: 'AdvertiserMSP', agency: 'AgencyMSP' });
    expect(first?.lineItem).to.deep.equal(twoPublishers.lineItems[0]);
    expect(second?.lineItem).to.deep.equal(twoPublishers.lineItems[1]);
    expect(first?.termsId)
      .to.match(/^[0-9a-f]{32}$/)
      .and.not.equal(second?.termsId);
    // The proposal every party endorses carries references only: no price, no volume, no flight.
    expect(propose?.lineItems).to.deep.equal([
      { lineItemId: 'li-1', publisher: 'PublisherMSP', termsId: first?.termsId },
      { lineItemId: 'li-2', publisher: 'Publisher2MSP', termsId: second?.termsId },
    ]);
    expect(ledger.calls[2]?.args[0]).to.not.match(/cpmMicros|bookedImpressions|7310001/);
    expect(bodyOf(res).data).to.deep.equal({ view: true });
  });

  it('proposes a one-publisher campaign in full, in one transaction', async () => {
    const { app, ledger } = newTestApp();
    const res = await request(app).post('/campaigns').set('Authorization', bearer(KEYS.advertiserOps)).send(campaign);
    expect(res.status, res.text).to.equal(201);
    expect(ledger.calls.map((c) => c.transaction)).to.deep.equal(['campaigns:Propose', 'campaigns:GetVersion']);
  });

  it('proposes nothing when a line item’s terms are refused', async () => {
    const { app, ledger } = newTestApp();
    ledger.fail('campaigns:SetLineItemTerms', new AppError('FORBIDDEN', 'not the advertiser'));
    const res = await request(app)
      .post('/campaigns')
      .set('Authorization', bearer(KEYS.advertiserOps))
      .send(twoPublishers);
    expect(res.status, res.text).to.equal(403);
    expect(ledger.calls.map((c) => c.transaction)).to.deep.equal(['campaigns:SetLineItemTerms']);
  });
});
