import { expect } from 'chai';
import { changedRecordOf, mergeScopes } from '../../../src/reporting/event-campaign';

const encoder = new TextEncoder();
const event = (payload: unknown) => ({
  chaincodeName: 'adrecon',
  eventName: 'Any',
  payload: encoder.encode(typeof payload === 'string' ? payload : JSON.stringify(payload)),
});
const parties = ['AgencyMSP'];

describe('changedRecordOf: what of a campaign an event changed', () => {
  it('a delivery batch: its line items from the earliest day it names, no invoices', () => {
    const changed = changedRecordOf(
      event({ campaignId: 'c1', lineItemIds: ['li-1', 'li-2'], periodStart: '2026-03-04T00:00:00Z', parties }),
      'AgencyMSP',
    );
    expect(changed.campaignId).to.equal('c1');
    expect(changed.visible).to.be.true;
    expect([...(changed.scope.lineItems ?? [])]).to.deep.equal([
      ['li-1', '2026-03-04'],
      ['li-2', '2026-03-04'],
    ]);
    expect(changed.scope.invoices).to.be.false;
  });

  it('a payment: its whole line item (no period named) and the invoices', () => {
    const changed = changedRecordOf(
      event({ campaignId: 'c1', lineItemId: 'li-3', invoiceId: 'inv-1', parties }),
      'PublisherMSP',
    );
    expect(changed.visible).to.be.false;
    expect([...(changed.scope.lineItems ?? [])]).to.deep.equal([['li-3', undefined]]);
    expect(changed.scope.invoices).to.be.true;
  });

  it('a campaign event, or line items that are not text: the whole campaign', () => {
    for (const payload of [
      { campaignId: 'c1', version: 2, parties },
      { campaignId: 'c1', lineItemIds: ['li-1', 7], parties },
      { campaignId: 'c1', lineItemIds: [], parties },
    ]) {
      const { scope } = changedRecordOf(event(payload), 'AgencyMSP');
      expect(scope.lineItems, JSON.stringify(payload)).to.be.undefined;
      expect(scope.invoices).to.be.true;
    }
    expect(changedRecordOf(event('not json'), 'AgencyMSP').campaignId).to.be.undefined;
  });
});

describe('mergeScopes', () => {
  const scope = (entries: [string, string | undefined][], invoices = false) => ({
    lineItems: new Map(entries),
    invoices,
  });

  it('keeps each line item from its earliest day; a whole line item stays whole; invoices once any', () => {
    const merged = mergeScopes(
      scope([
        ['li-1', '2026-03-05'],
        ['li-2', undefined],
      ]),
      scope(
        [
          ['li-1', '2026-03-02'],
          ['li-2', '2026-03-09'],
          ['li-3', '2026-03-07'],
        ],
        true,
      ),
    );
    expect([...(merged.lineItems ?? [])]).to.deep.equal([
      ['li-1', '2026-03-02'],
      ['li-2', undefined],
      ['li-3', '2026-03-07'],
    ]);
    expect(merged.invoices).to.be.true;
    expect(
      mergeScopes(scope([['li-1', '2026-03-02']]), scope([['li-1', '2026-03-08']])).lineItems?.get('li-1'),
    ).to.equal('2026-03-02');
  });

  it('the whole campaign wins', () => {
    const whole = { lineItems: undefined, invoices: true };
    expect(mergeScopes(scope([['li-1', undefined]]), whole).lineItems).to.be.undefined;
    expect(mergeScopes(whole, scope([['li-1', undefined]])).lineItems).to.be.undefined;
  });
});
