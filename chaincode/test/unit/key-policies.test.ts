import { expect } from 'chai';
import { ChaincodeStub } from 'fabric-shim';
import { ADV, AGY, CAMPAIGN, PUB, PUB2, Scenario, campaignInput } from './support/scenario.js';
import { decodePolicy } from './support/policy.js';

const keys = Object.create(ChaincodeStub.prototype) as ChaincodeStub;
const campaignKey = keys.createCompositeKey('adrecon.campaign', [CAMPAIGN]);

/** The keys whose validation parameter (key-level policy) the last transaction wrote. */
function policyWrites(s: Scenario): string[] {
  return (s.net.lastStub?.setStateValidationParameter.getCalls() ?? []).map((c) => c.args[0]);
}

describe('key-level policies are written only when a key is created or its parties change', () => {
  // Fabric invalidates every later transaction of a block that writes a key whose validation parameter an earlier
  // valid transaction of that block wrote (ENDORSEMENT_POLICY_FAILURE, code 10), even with the same bytes: two
  // parties accepting at once would lose one acceptance instead of getting an ordinary MVCC conflict.
  it('Accept, Cancel and Complete update the campaign key without rewriting its policy', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await s.propose();
    expect(policyWrites(s)).to.include(campaignKey);
    for (const party of [AGY, PUB, PUB2]) {
      await s.as(party, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
      expect(policyWrites(s), `Accept by ${party}`).to.deep.equal([]);
    }
    await s.as(ADV, (ctx) => s.campaigns.Complete(ctx, CAMPAIGN));
    expect(policyWrites(s)).to.deep.equal([]);
    expect(decodePolicy(s.net.policies.get(campaignKey) ?? new Uint8Array()).orgs).to.deep.equal(
      [ADV, AGY, PUB, PUB2].sort(),
    );
  });

  it('an Amend that changes the parties moves the campaign key policy to the new party set', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await s.propose();
    const onlyPub = campaignInput().lineItems as Record<string, unknown>[];
    const terms = { name: 'Narrowed', currency: 'EUR', lineItems: onlyPub.slice(0, 1) };
    await s.as(ADV, (ctx) => s.campaigns.Amend(ctx, CAMPAIGN, JSON.stringify(terms)));
    expect(policyWrites(s)).to.include(campaignKey);
    expect(decodePolicy(s.net.policies.get(campaignKey) ?? new Uint8Array()).orgs).to.deep.equal(
      [ADV, AGY, PUB].sort(),
    );
    // The same party set again: no policy write.
    await s.as(ADV, (ctx) => s.campaigns.Amend(ctx, CAMPAIGN, JSON.stringify({ ...terms, name: 'Again' })));
    expect(policyWrites(s)).to.not.include(campaignKey);
  });

  it('a payment writes the policy of its own new key but not again the invoice key it updates', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(1, 1000, 1000);
    await s.issue('inv-1', '2026-03-01', '2026-03-01');
    await s.pay(ADV, 'pay-1', 'inv-1', 1000);
    const invoiceKey = keys.createCompositeKey('adrecon.invoice', ['inv-1']);
    const paymentKey = keys.createCompositeKey('adrecon.payment', ['inv-1', 'pay-1']);
    expect(policyWrites(s)).to.deep.equal([paymentKey]);
    expect(s.net.policies.has(invoiceKey)).to.equal(true);
  });
});
