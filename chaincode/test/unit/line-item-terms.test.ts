import { randomBytes } from 'node:crypto';
import { partyCollectionName, TRANSIENT_KEYS } from '@adrecon/contract';
import { expect } from 'chai';
import type { Context } from 'fabric-contract-api';
import type * as sinon from 'sinon';
import { KEY_TYPES } from '../../src/ledger/keys.js';
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

const ALL = partyCollectionName([ADV, AGY, PUB, PUB2]);
const OF_PUB = partyCollectionName([ADV, AGY, PUB]);
const OF_PUB2 = partyCollectionName([ADV, AGY, PUB2]);

/** Distinctive terms per publisher, so that a scan can tell them apart. */
const LINE_ITEMS = [
  {
    lineItemId: 'li-1',
    publisher: PUB,
    cpmMicros: 7_310_001,
    bookedImpressions: 4_420_001,
    flightStart: '2026-03-01',
    flightEnd: '2026-03-31',
  },
  {
    lineItemId: 'li-2',
    publisher: PUB2,
    cpmMicros: 6_290_002,
    bookedImpressions: 3_530_002,
    flightStart: '2026-03-01',
    flightEnd: '2026-03-31',
  },
];
const [LI1, LI2] = LINE_ITEMS as [(typeof LINE_ITEMS)[0], (typeof LINE_ITEMS)[1]];

function withSalt(ctx: Context): Context {
  (ctx.stub.getTransient as sinon.SinonStub).returns(new Map([[TRANSIENT_KEYS.salt, randomBytes(32)]]));
  return ctx;
}

function setTerms(s: Scenario, lineItem: Record<string, unknown>, termsId: string, by = ADV, salted = true) {
  const input = { campaignId: CAMPAIGN, advertiser: ADV, agency: AGY, termsId, lineItem };
  return s.as<Record<string, unknown>>(by, (ctx) =>
    s.campaigns.SetLineItemTerms(salted ? withSalt(ctx) : ctx, JSON.stringify(input)),
  );
}

function refOf(lineItem: { lineItemId: string; publisher: string }, termsId: string) {
  return { lineItemId: lineItem.lineItemId, publisher: lineItem.publisher, termsId };
}

function collectionText(s: Scenario, collection: string): string {
  return [...(s.net.privateState.get(collection)?.values() ?? [])].map((b) => b.toString('utf8')).join('\n');
}

function snapshot(s: Scenario): string {
  return JSON.stringify([
    [...s.net.state.entries()].map(([k, v]) => [k, v.toString('base64')]),
    [...s.net.privateState.entries()].map(([c, m]) => [c, [...m.entries()].map(([k, v]) => [k, v.toString('base64')])]),
  ]);
}

/** Roles, both line items' terms written by the advertiser, and a proposal by reference. */
async function proposedByReference(s: Scenario): Promise<Record<string, unknown>> {
  await s.registerRoles();
  await setTerms(s, LI1, 'terms-a');
  await setTerms(s, LI2, 'terms-b');
  const proposed = await s.as<Record<string, unknown>>(ADV, (ctx) =>
    s.campaigns.Propose(
      ctx,
      JSON.stringify(campaignInput({ lineItems: [refOf(LI1, 'terms-a'), refOf(LI2, 'terms-b')] })),
    ),
  );
  return proposed.result;
}

describe('line-item terms apart from the campaign record (issue 8)', () => {
  it('keeps each line item’s terms in its own collection; the all-parties record holds commitments only', async () => {
    const s = new Scenario();
    await s.activeCampaign({ lineItems: LINE_ITEMS });
    const shared = collectionText(s, ALL);
    expect(shared).to.include('li-1').and.include('li-2');
    for (const value of ['7310001', '4420001', '6290002', '3530002', '2026-03-31']) {
      expect(shared, value).to.not.include(value);
    }
    expect(collectionText(s, OF_PUB)).to.include('7310001').and.include('4420001').and.not.include('6290002');
    expect(collectionText(s, OF_PUB2)).to.include('6290002').and.include('3530002').and.not.include('7310001');
  });

  it('shows each publisher its own terms and the buyers all of them', async () => {
    const s = new Scenario();
    await proposedByReference(s);
    const asPub = await s.as<{ lineItems: Record<string, unknown>[] }>(PUB, (ctx) => s.campaigns.Get(ctx, CAMPAIGN));
    expect(asPub.result.lineItems).to.deep.equal([LI1]);
    const asPub2 = await s.as<{ lineItems: Record<string, unknown>[] }>(PUB2, (ctx) => s.campaigns.Get(ctx, CAMPAIGN));
    expect(asPub2.result.lineItems).to.deep.equal([LI2]);
    const asAgency = await s.as<{ lineItems: Record<string, unknown>[] }>(AGY, (ctx) => s.campaigns.Get(ctx, CAMPAIGN));
    expect(asAgency.result.lineItems).to.deep.equal(LINE_ITEMS);
  });

  it('answers a proposal by reference with commitments (the terms records’ salted hashes), never terms', async () => {
    const s = new Scenario();
    const record = await proposedByReference(s);
    const lineItems = record.lineItems as Record<string, unknown>[];
    const marker = (termsId: string, lineItemId: string) =>
      JSON.parse(
        s.net.state
          .get(
            s.net.context(ADV).ctx.stub.createCompositeKey(KEY_TYPES.lineItemTerms, [CAMPAIGN, lineItemId, termsId]),
          )!
          .toString('utf8'),
      ) as { h: string; c: string };
    expect(lineItems).to.deep.equal([
      { ...refOf(LI1, 'terms-a'), commitment: marker('terms-a', 'li-1').h },
      { ...refOf(LI2, 'terms-b'), commitment: marker('terms-b', 'li-2').h },
    ]);
    expect(marker('terms-a', 'li-1').c).to.equal(OF_PUB);
    expect(JSON.stringify(record)).to.not.match(/7310001|6290002|4420001|3530002/);
  });

  it('activates, takes reports and invoices a line item proposed by reference', async () => {
    const s = new Scenario();
    await proposedByReference(s);
    for (const party of [AGY, PUB, PUB2]) {
      await s.as(party, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
    }
    await s.bothSides(1, 1000, 1000);
    s.net.setTime('2026-04-20T00:00:00Z');
    const invoice = await s.issue('inv-1', '2026-03-01', '2026-03-01');
    // 1000 impressions at 7.310001 per thousand: the terms read from li-1's collection.
    expect(invoice.result).to.include({ amountMicros: 7_310_001 });
  });

  it('amends an ACTIVE campaign by reference: each publisher’s new terms apply in its own collection only', async () => {
    const s = new Scenario();
    await proposedByReference(s);
    for (const party of [AGY, PUB, PUB2]) {
      await s.as(party, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
    }
    const new1 = { ...LI1, cpmMicros: 7_310_011 };
    const new2 = { ...LI2, cpmMicros: 6_290_022 };
    await setTerms(s, new1, 'terms-c');
    await setTerms(s, new2, 'terms-d');
    const terms = { name: 'Spring', currency: 'EUR', lineItems: [refOf(new1, 'terms-c'), refOf(new2, 'terms-d')] };
    const amended = await s.as<Record<string, unknown>>(ADV, (ctx) =>
      s.campaigns.Amend(ctx, CAMPAIGN, JSON.stringify(terms)),
    );
    // The amendment, endorsed by every party, answers and stores references with commitments, never terms.
    expect(JSON.stringify(amended.result)).to.not.match(/7310011|6290022|cpmMicros/);
    for (const party of [AGY, PUB, PUB2]) {
      await s.as(party, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '2'));
    }
    expect(collectionText(s, ALL)).to.not.match(/7310011|6290022/);
    expect(collectionText(s, OF_PUB)).to.include('7310011').and.not.include('6290022');
    expect(collectionText(s, OF_PUB2)).to.include('6290022').and.not.include('7310011');
    const asPub = await s.as<{ lineItems: Record<string, unknown>[] }>(PUB, (ctx) => s.campaigns.Get(ctx, CAMPAIGN));
    expect(asPub.result.lineItems).to.deep.equal([new1]);
    const asPub2 = await s.as<{ lineItems: Record<string, unknown>[] }>(PUB2, (ctx) => s.campaigns.Get(ctx, CAMPAIGN));
    expect(asPub2.result.lineItems).to.deep.equal([new2]);
  });

  it('refuses an amendment whose reference matches no terms of that line item’s parties, and changes nothing', async () => {
    const s = new Scenario();
    await proposedByReference(s);
    // li-2's terms under li-1's reference: written for other parties, so not li-1's.
    await setTerms(s, { ...LI2, cpmMicros: 6_290_033 }, 'terms-x');
    const before = snapshot(s);
    await expectError(
      s.as(ADV, (ctx) =>
        s.campaigns.Amend(
          ctx,
          CAMPAIGN,
          JSON.stringify({
            name: 'Spring',
            currency: 'EUR',
            lineItems: [refOf(LI1, 'terms-x'), refOf(LI2, 'terms-b')],
          }),
        ),
      ),
      'INVALID_STATE',
      'terms-x',
    );
    expect(snapshot(s)).to.equal(before);
  });

  it('refuses terms without a client salt, and writes nothing', async () => {
    const s = new Scenario();
    await s.registerRoles();
    const before = snapshot(s);
    await expectError(setTerms(s, LI1, 'terms-a', ADV, false), 'VALIDATION_FAILED', TRANSIENT_KEYS.salt);
    expect(snapshot(s)).to.equal(before);
  });

  it('refuses terms from a publisher or over existing terms, and writes nothing', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await setTerms(s, LI1, 'terms-a');
    const before = snapshot(s);
    await expectError(setTerms(s, LI1, 'terms-x', PUB), 'FORBIDDEN');
    await expectError(setTerms(s, { ...LI1, cpmMicros: 1 }, 'terms-a'), 'CONFLICT');
    expect(snapshot(s)).to.equal(before);
  });

  it('refuses a proposal whose reference matches no terms of that line item’s parties, and writes nothing', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await setTerms(s, LI1, 'terms-a');
    await setTerms(s, LI2, 'terms-b');
    const before = snapshot(s);
    const propose = (lineItems: unknown[]) =>
      s.as(ADV, (ctx) => s.campaigns.Propose(ctx, JSON.stringify(campaignInput({ lineItems }))));
    // No such terms.
    await expectError(propose([refOf(LI1, 'terms-z'), refOf(LI2, 'terms-b')]), 'INVALID_STATE', 'terms-z');
    // li-1's terms claimed for another publisher: they are in another party set's collection.
    await expectError(propose([{ ...refOf(LI1, 'terms-a'), publisher: PUB2 }, refOf(LI2, 'terms-b')]), 'INVALID_STATE');
    // li-2's terms under li-1's ID: another key.
    await expectError(propose([refOf(LI1, 'terms-b'), refOf(LI2, 'terms-b')]), 'INVALID_STATE');
    expect(snapshot(s)).to.equal(before);
  });

  it('refuses every line item transaction once its terms no longer match the commitment', async () => {
    const s = new Scenario();
    await proposedByReference(s);
    for (const party of [AGY, PUB, PUB2]) {
      await s.as(party, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
    }
    // Colluders rewrite li-1's private terms (and their marker) after the campaign committed to them.
    const key = s.net.context(ADV).ctx.stub.createCompositeKey(KEY_TYPES.lineItemTerms, [CAMPAIGN, 'li-1', 'terms-a']);
    const bytes = Buffer.from(s.net.privateState.get(OF_PUB)!.get(key)!.toString('utf8').replace('7310001', '9999999'));
    s.net.privateState.get(OF_PUB)!.set(key, bytes);
    const marker = JSON.parse(s.net.state.get(key)!.toString('utf8')) as Record<string, unknown>;
    const { createHash } = await import('node:crypto');
    s.net.state.set(
      key,
      Buffer.from(JSON.stringify({ ...marker, h: createHash('sha256').update(bytes).digest('hex') })),
    );
    const before = snapshot(s);
    await expectError(s.submit(PUB, reportInput(day(1), 10)), 'INVALID_STATE', 'do not match its commitment');
    await expectError(s.submit(AGY, reportInput(day(1), 10)), 'INVALID_STATE', 'do not match its commitment');
    await expectError(
      s.as(PUB, (ctx) => s.campaigns.Get(ctx, CAMPAIGN)),
      'INVALID_STATE',
    );
    expect(snapshot(s), 'a refused transaction writes nothing').to.equal(before);
    // The other line item is unaffected.
    await s.submit(PUB2, { ...reportInput(day(1), 10), lineItemId: 'li-2' });
  });
});
