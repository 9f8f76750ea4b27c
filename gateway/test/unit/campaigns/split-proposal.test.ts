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

/** A POST as the advertiser's operations user. */
function postAsAdvertiser(app: Parameters<typeof request>[0], url: string, body: object) {
  return request(app).post(url).set('Authorization', bearer(KEYS.advertiserOps)).send(body);
}

describe('a proposal with several publishers (issue 8)', () => {
  it('writes each line item’s terms in a transaction of its own, then proposes by reference', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('campaigns:GetVersion', { view: true });
    const res = await postAsAdvertiser(app, '/campaigns', twoPublishers);
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
    const res = await postAsAdvertiser(app, '/campaigns', campaign);
    expect(res.status, res.text).to.equal(201);
    expect(ledger.calls.map((c) => c.transaction)).to.deep.equal(['campaigns:Propose', 'campaigns:GetVersion']);
  });

  /** A peer that refuses the first `times` proposals for lack of the second line item's terms (it is behind). */
  function lagging(ledger: ReturnType<typeof newTestApp>['ledger'], times: number, code = 'INVALID_STATE') {
    const submit = ledger.submit.bind(ledger);
    let refused = 0;
    ledger.submit = (org, transaction, args) => {
      if (transaction === 'campaigns:Propose' && refused < times) {
        refused++;
        ledger.calls.push({ kind: 'submit', org, transaction, args });
        const proposal = JSON.parse(args[0] ?? '{}') as { lineItems: { termsId: string }[] };
        const termsId = proposal.lineItems[1]?.termsId ?? '';
        return Promise.reject(new AppError(code, `line item li-2 has no terms ${termsId} of AdvertiserMSP, ...`));
      }
      return submit(org, transaction, args);
    };
  }

  it('sends the proposal again while another party’s peer has not yet committed the terms just written', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('campaigns:GetVersion', { view: true });
    lagging(ledger, 2);
    const res = await postAsAdvertiser(app, '/campaigns', twoPublishers);
    expect(res.status, res.text).to.equal(201);
    expect(ledger.calls.map((c) => c.transaction)).to.deep.equal([
      'campaigns:SetLineItemTerms',
      'campaigns:SetLineItemTerms',
      'campaigns:Propose',
      'campaigns:Propose',
      'campaigns:Propose',
      'campaigns:GetVersion',
    ]);
    // The same proposal each time: the terms are not written again.
    expect(
      new Set(ledger.calls.filter((c) => c.transaction === 'campaigns:Propose').map((c) => c.args[0])),
    ).to.have.length(1);
  });

  it('answers 503 LEDGER_BEHIND with Retry-After when the peer still lacks the terms after the waits', async function () {
    this.timeout(20_000);
    const { app, ledger } = newTestApp();
    lagging(ledger, 100);
    const res = await postAsAdvertiser(app, '/campaigns', twoPublishers);
    expect(res.status, res.text).to.equal(503);
    expect(bodyOf(res).error).to.deep.include({ code: 'LEDGER_BEHIND' });
    expect(res.headers['retry-after']).to.equal('1');
    expect(ledger.calls.filter((c) => c.transaction === 'campaigns:Propose')).to.have.length(10);
  });

  it('does not send again a refusal that names no terms written just now', async () => {
    const { app, ledger } = newTestApp();
    ledger.fail(
      'campaigns:Propose',
      new AppError('INVALID_STATE', 'line item li-2 has no terms 00ff of AdvertiserMSP'),
    );
    const res = await postAsAdvertiser(app, '/campaigns', twoPublishers);
    expect(res.status, res.text).to.equal(422);
    expect(ledger.calls.filter((c) => c.transaction === 'campaigns:Propose')).to.have.length(1);
  });

  it('proposes nothing when a line item’s terms are refused', async () => {
    const { app, ledger } = newTestApp();
    ledger.fail('campaigns:SetLineItemTerms', new AppError('FORBIDDEN', 'not the advertiser'));
    const res = await postAsAdvertiser(app, '/campaigns', twoPublishers);
    expect(res.status, res.text).to.equal(403);
    expect(ledger.calls.map((c) => c.transaction)).to.deep.equal(['campaigns:SetLineItemTerms']);
  });
});

/** The amendment body: the terms without campaignId, advertiser and agency. */
function termsOf(c: typeof twoPublishers): Omit<typeof twoPublishers, 'campaignId' | 'advertiser' | 'agency'> {
  const { name, currency, lineItems } = c;
  return { name, currency, lineItems };
}

describe('an amendment of a campaign with several publishers (issue 8)', () => {
  it('reads the campaign, writes each line item’s new terms apart, then amends by reference', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('campaigns:Get', twoPublishers).answer('campaigns:Amend', { version: 2 });
    ledger.answer('campaigns:GetVersion', { view: true });
    const lineItems = twoPublishers.lineItems.map((i) => ({ ...i, cpmMicros: i.cpmMicros + 11 }));
    const res = await postAsAdvertiser(app, '/campaigns/c-1/amendments', { ...termsOf(twoPublishers), lineItems });
    expect(res.status, res.text).to.equal(200);
    expect(ledger.calls.map((c) => c.transaction)).to.deep.equal([
      'campaigns:Get',
      'campaigns:SetLineItemTerms',
      'campaigns:SetLineItemTerms',
      'campaigns:Amend',
      'campaigns:GetVersion',
    ]);
    const [first, second] = ledger.calls
      .slice(1, 3)
      .map((c) => JSON.parse(c.args[0] ?? '{}') as Record<string, unknown>);
    // The buyers come from the campaign as read: the amendment body does not name them.
    expect(first).to.deep.include({ campaignId: 'c-1', advertiser: 'AdvertiserMSP', agency: 'AgencyMSP' });
    expect(first?.lineItem).to.deep.equal(lineItems[0]);
    expect(second?.lineItem).to.deep.equal(lineItems[1]);
    const amend = ledger.calls[3]!;
    expect(amend.args[0]).to.equal('c-1');
    // The amendment every party endorses carries references only: no price, no volume, no flight.
    expect((JSON.parse(amend.args[1] ?? '{}') as { lineItems: unknown }).lineItems).to.deep.equal([
      { lineItemId: 'li-1', publisher: 'PublisherMSP', termsId: first?.termsId },
      { lineItemId: 'li-2', publisher: 'Publisher2MSP', termsId: second?.termsId },
    ]);
    expect(amend.args[1]).to.not.match(/cpmMicros|bookedImpressions|flightStart|7310012/);
    expect(bodyOf(res).data).to.deep.equal({ view: true });
  });

  it('splits too when the new terms drop all but one publisher (the dropped one still endorses)', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('campaigns:Get', twoPublishers).answer('campaigns:Amend', { version: 2 });
    const res = await postAsAdvertiser(app, '/campaigns/c-1/amendments', termsOf(campaign));
    expect(res.status, res.text).to.equal(200);
    expect(ledger.calls.map((c) => c.transaction).slice(0, 3)).to.deep.equal([
      'campaigns:Get',
      'campaigns:SetLineItemTerms',
      'campaigns:Amend',
    ]);
    expect(ledger.calls[2]?.args[1]).to.not.match(/cpmMicros/);
  });

  it('amends a one-publisher campaign in full, in one transaction after the read', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('campaigns:Get', campaign).answer('campaigns:Amend', { version: 2 });
    const res = await postAsAdvertiser(app, '/campaigns/c-1/amendments', termsOf(campaign));
    expect(res.status, res.text).to.equal(200);
    expect(ledger.calls.map((c) => c.transaction)).to.deep.equal([
      'campaigns:Get',
      'campaigns:Amend',
      'campaigns:GetVersion',
    ]);
    expect(ledger.calls[1]?.args[1]).to.match(/"cpmMicros":2500000/);
  });

  it('amends nothing when the campaign cannot be read or a line item’s terms are refused', async () => {
    for (const [failing, error, status] of [
      ['campaigns:Get', new AppError('CAMPAIGN_NOT_FOUND', 'campaign c-1 does not exist'), 404],
      ['campaigns:SetLineItemTerms', new AppError('FORBIDDEN', 'not the advertiser'), 403],
    ] as const) {
      const { app, ledger } = newTestApp();
      ledger.answer('campaigns:Get', twoPublishers).fail(failing, error);
      const res = await postAsAdvertiser(app, '/campaigns/c-1/amendments', termsOf(twoPublishers));
      expect(res.status, res.text).to.equal(status);
      expect(ledger.calls.map((c) => c.transaction)).to.not.include('campaigns:Amend');
    }
  });
});
