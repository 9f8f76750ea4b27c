import { createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { partyCollectionName, SEAL_NONCE_BYTES, SEAL_TAG_BYTES, TRANSIENT_KEYS } from '@adrecon/contract';
import { expect } from 'chai';
import { KEY_TYPES } from '../../src/ledger/keys.js';
import { sealResponse, transactionArguments } from '../../src/transient-io.js';
import { ADV, AGY, CAMPAIGN, PUB, PUB2, Scenario, day, expectError, reportInput } from './support/scenario.js';

const marker = (s: Scenario, type: string, attributes: string[]) =>
  s.net.marker(s.net.context(ADV).ctx.stub.createCompositeKey(type, attributes)) as Record<string, unknown>;

describe('need to know (issue 8): private records in party-set collections', () => {
  it('keeps only markers on the channel: no name, price or count in any public value', async () => {
    const s = new Scenario();
    await s.activeCampaign({ name: 'Secret gala' });
    await s.submit(PUB, reportInput(day(1), 987_654));
    await s.submit(PUB2, { ...reportInput(day(1), 876_543), lineItemId: 'li-2' });
    for (const [key, value] of s.net.state) {
      if (key.includes(KEY_TYPES.role)) continue;
      const text = value.toString('utf8');
      expect(text, key).to.not.match(/Secret gala|2500000|987654|876543/);
      // A report ID pointer is plain: the parts of its report's key name, which the report's marker shows anyway.
      const fields = key.includes(KEY_TYPES.reportById)
        ? ['campaignId', 'day', 'lineItemId', 'periodEnd', 'periodStart', 'source']
        : ['c', 'h', 'live', 'm'];
      expect(Object.keys(JSON.parse(text) as object).sort(), key).to.satisfy((keys: string[]) =>
        keys.every((k) => fields.includes(k)),
      );
    }
    // The campaign lives in the collection of all its parties, each line item's records in its own party set's.
    expect(marker(s, KEY_TYPES.campaign, [CAMPAIGN])).to.include({
      c: partyCollectionName([ADV, AGY, PUB, PUB2]),
      live: true,
    });
    const collections = [...s.net.privateState.keys()].sort();
    expect(collections).to.deep.equal(
      [
        partyCollectionName([ADV, AGY, PUB, PUB2]),
        partyCollectionName([ADV, AGY, PUB]),
        partyCollectionName([ADV, AGY, PUB2]),
      ].sort(),
    );
    const ofPub = [...s.net.privateState.get(partyCollectionName([ADV, AGY, PUB]))!.values()].join('');
    const ofPub2 = [...s.net.privateState.get(partyCollectionName([ADV, AGY, PUB2]))!.values()].join('');
    expect(ofPub).to.include('987654').and.not.include('876543');
    expect(ofPub2).to.include('876543').and.not.include('987654');
  });

  it('salts the private bytes, so two equal records have different public hashes', async () => {
    const a = new Scenario();
    const b = new Scenario();
    await a.activeCampaign();
    await b.activeCampaign();
    const ha = marker(a, KEY_TYPES.campaign, [CAMPAIGN]).h;
    const hb = marker(b, KEY_TYPES.campaign, [CAMPAIGN]).h;
    // Same value, same transaction IDs in both fakes: only a transient salt would differ, and without one the
    // salt comes from the transaction ID. Both hashes still cover the salt, never the bare value.
    expect(ha).to.equal(hb);
    const bare = createHash('sha256')
      .update(
        JSON.stringify(a.net.read(a.net.context(ADV).ctx.stub.createCompositeKey(KEY_TYPES.campaign, [CAMPAIGN]))),
      )
      .digest('hex');
    expect(ha).to.not.equal(bare);
  });

  it('reads a marker without its private value (a forgery by others) as absent', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    const forged = s.net.context(ADV).ctx.stub.createCompositeKey(KEY_TYPES.reportById, [PUB, 'forged']);
    s.net.state.set(
      forged,
      Buffer.from(JSON.stringify({ c: partyCollectionName([ADV, AGY, PUB]), m: [ADV, AGY, PUB], h: '00' })),
    );
    await expectError(
      s.as(PUB, (ctx) => s.delivery.Get(ctx, PUB, 'forged')),
      'REPORT_NOT_FOUND',
    );
  });

  it('answers a non-party NOT_FOUND, as if the campaign did not exist', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await s.propose({ lineItems: [campaignLineItem()] });
    await s.as(AGY, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
    await expectError(
      s.as(PUB2, (ctx) => s.campaigns.Get(ctx, CAMPAIGN)),
      'CAMPAIGN_NOT_FOUND',
    );
    const missing = await expectError(
      s.as(PUB2, (ctx) => s.campaigns.Get(ctx, 'never-proposed')),
      'CAMPAIGN_NOT_FOUND',
    );
    expect(missing).to.include('never-proposed');
  });
});

function campaignLineItem() {
  return {
    lineItemId: 'li-1',
    publisher: PUB,
    cpmMicros: 2_500_000,
    bookedImpressions: 1_000_000,
    flightStart: '2026-03-01',
    flightEnd: '2026-03-31',
  };
}

describe('confidential inputs and sealed responses (issue 8 item 3)', () => {
  const withTransient = (entries: Record<string, Uint8Array>) => {
    const s = new Scenario();
    const { ctx, stub } = s.net.context(ADV);
    stub.getTransient.returns(new Map(Object.entries(entries)));
    return ctx;
  };

  it('takes the arguments from the transient map, with empty placeholders only', () => {
    const ctx = withTransient({ [TRANSIENT_KEYS.args]: Buffer.from(JSON.stringify(['{"a":1}', 'x'])) });
    expect(transactionArguments(ctx, ['', ''])).to.deep.equal(['{"a":1}', 'x']);
    expect(() => transactionArguments(ctx, ['{"a":1}', 'x'])).to.throw(/^VALIDATION_FAILED/);
    expect(() => transactionArguments(ctx, [''])).to.throw(/^VALIDATION_FAILED/);
    const plain = new Scenario().net.context(ADV).ctx;
    expect(transactionArguments(plain, ['a'])).to.deep.equal(['a']);
  });

  it('seals the response with the client’s key, the same bytes on every endorser', () => {
    const key = randomBytes(32);
    const ctx = withTransient({ [TRANSIENT_KEYS.sealKey]: key });
    const sealed = sealResponse(ctx, '{"cpmMicros":1234567}') as string;
    expect(sealed).to.not.include('1234567');
    expect(sealResponse(ctx, '{"cpmMicros":1234567}')).to.equal(sealed);
    const bytes = Buffer.from(sealed, 'base64');
    const nonce = createHash('sha256').update(ctx.stub.getTxID()).digest().subarray(0, SEAL_NONCE_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(bytes.subarray(bytes.length - SEAL_TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - SEAL_TAG_BYTES)), decipher.final()]);
    expect(plain.toString('utf8')).to.equal('{"cpmMicros":1234567}');
    expect(() => sealResponse(withTransient({ [TRANSIENT_KEYS.sealKey]: randomBytes(8) }), 'x')).to.throw(
      /^VALIDATION_FAILED/,
    );
  });
});
