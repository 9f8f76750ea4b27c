import { expect } from 'chai';
import {
  ADV,
  ADV2,
  AGY,
  AGY2,
  CAMPAIGN,
  OUTSIDER,
  PUB,
  PUB2,
  Scenario,
  campaignInput,
  expectError,
} from './support/scenario.js';
import { decodePolicy, PEER_ROLE } from './support/policy.js';

interface CampaignRecord {
  campaignId: string;
  version: number;
  status: string;
  name: string;
  parties: string[];
  acceptances: { mspId: string; version: number }[];
  lineItems: { lineItemId: string; publisher: string }[];
  billingSource: string;
  discrepancyToleranceBps: number;
  paymentTermsDays: number;
  cancelReason?: string;
}

function amendTerms(overrides: Record<string, unknown> = {}): string {
  const terms = campaignInput(overrides);
  delete terms.campaignId;
  delete terms.advertiser;
  delete terms.agency;
  return JSON.stringify(terms);
}

describe('campaigns contract', () => {
  describe('Propose', () => {
    it('records the terms with defaults, the proposer acceptance, and a key-level policy of all parties', async () => {
      const s = new Scenario();
      await s.registerRoles();
      s.net.setTime('2026-02-20T09:30:00Z');
      s.net.attributes.set('hf.EnrollmentID', 'advertiser-ops-3');
      const { result, events, txId } = await s.propose();
      const campaign = result as unknown as CampaignRecord;
      expect(campaign).to.include({
        campaignId: CAMPAIGN,
        version: 1,
        status: 'PROPOSED',
        billingSource: 'THIRD_PARTY',
        discrepancyToleranceBps: 1000,
        paymentTermsDays: 30,
      });
      expect(campaign.parties).to.deep.equal([ADV, AGY, PUB2, PUB].sort());
      expect(campaign.acceptances).to.deep.equal([
        {
          mspId: ADV,
          version: 1,
          acceptedAt: '2026-02-20T09:30:00.000Z',
          txId,
          acceptedBy: { mspId: ADV, enrollmentId: 'advertiser-ops-3' },
        },
      ]);
      expect((result as { proposer?: unknown }).proposer, 'the proposing user').to.deep.equal({
        mspId: ADV,
        enrollmentId: 'advertiser-ops-3',
      });
      expect(events).to.deep.equal([
        {
          name: 'CampaignProposed',
          payload: { campaignId: CAMPAIGN, version: 1, status: 'PROPOSED', parties: campaign.parties },
        },
      ]);
      const key = s.net.context(ADV).ctx.stub.createCompositeKey('adrecon.campaign', [CAMPAIGN]);
      const policy = decodePolicy(s.net.policies.get(key)!);
      expect(policy.orgs).to.deep.equal(campaign.parties);
      expect(policy.required).to.equal(4);
      expect(policy.roles.every((r) => r === PEER_ROLE)).to.equal(true);
    });

    it('lets the agency propose', async () => {
      const s = new Scenario();
      await s.registerRoles();
      const { result } = await s.propose({}, AGY);
      expect(result).to.include({ proposedBy: AGY });
    });

    it('refuses a publisher, a non-party buyer and an unregistered organization', async () => {
      const s = new Scenario();
      await s.registerRoles();
      await expectError(s.propose({}, PUB), 'FORBIDDEN');
      await expectError(s.propose({}, ADV2), 'FORBIDDEN', 'not the advertiser');
      await expectError(s.propose({}, AGY2), 'FORBIDDEN', 'not the agency');
      await expectError(s.propose({}, OUTSIDER), 'FORBIDDEN', 'no registered role');
    });

    it('refuses parties with the wrong or no registered role', async () => {
      const s = new Scenario();
      await s.registerRoles();
      await expectError(s.propose({ agency: PUB }), 'VALIDATION_FAILED', 'registered as PUBLISHER');
      await expectError(
        s.propose({
          lineItems: [
            {
              lineItemId: 'li-1',
              publisher: OUTSIDER,
              cpmMicros: 1,
              bookedImpressions: 1,
              flightStart: '2026-03-01',
              flightEnd: '2026-03-01',
            },
          ],
        }),
        'ROLE_NOT_FOUND',
      );
    });

    it('refuses a duplicate campaignId', async () => {
      const s = new Scenario();
      await s.registerRoles();
      await s.propose();
      await expectError(s.propose(), 'CONFLICT');
    });

    it('validates every field and refuses unknown ones', async () => {
      const s = new Scenario();
      await s.registerRoles();
      const line = (over: Record<string, unknown>) => [
        {
          lineItemId: 'li-1',
          publisher: PUB,
          cpmMicros: 1,
          bookedImpressions: 1,
          flightStart: '2026-03-01',
          flightEnd: '2026-03-02',
          ...over,
        },
      ];
      const cases: [Record<string, unknown>, string][] = [
        [{ campaignId: 'has space' }, 'campaign.campaignId'],
        [{ campaignId: 'x'.repeat(65) }, 'campaign.campaignId'],
        [{ name: '' }, 'campaign.name'],
        [{ name: 'n'.repeat(201) }, 'campaign.name'],
        [{ currency: 'eur' }, 'campaign.currency'],
        [{ billingSource: 'BOTH' }, 'campaign.billingSource'],
        [{ discrepancyToleranceBps: 10_001 }, 'campaign.discrepancyToleranceBps'],
        [{ discrepancyToleranceBps: 1.5 }, 'campaign.discrepancyToleranceBps'],
        [{ paymentTermsDays: -1 }, 'campaign.paymentTermsDays'],
        [{ lineItems: [] }, 'campaign.lineItems'],
        [{ lineItems: line({ cpmMicros: -1 }) }, 'lineItems.0.cpmMicros'],
        [{ lineItems: line({ bookedImpressions: 2 ** 53 }) }, 'lineItems.0.bookedImpressions'],
        [{ lineItems: line({ cpmMicros: '1' }) }, 'lineItems.0.cpmMicros'],
        [{ lineItems: line({ flightStart: '2026-02-30' }) }, 'lineItems.0.flightStart'],
        [{ lineItems: line({ flightEnd: '2026-3-2' }) }, 'lineItems.0.flightEnd'],
        [{ lineItems: line({ flightEnd: '2026-02-28' }) }, 'must not be before'],
        [{ lineItems: line({ extra: true }) }, 'lineItems.0.extra: is not a known field'],
        [{ lineItems: [...line({}), ...line({})] }, 'twice'],
        [{ unknown: 1 }, 'campaign.unknown: is not a known field'],
        [{ agency: ADV }, 'must differ'],
      ];
      for (const [overrides, fragment] of cases) {
        await expectError(s.propose(overrides), 'VALIDATION_FAILED', fragment);
      }
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.Propose(ctx, '[1]')),
        'VALIDATION_FAILED',
        'must be a JSON object',
      );
    });
  });

  describe('Accept', () => {
    it('activates the campaign when the last party accepts, sorting acceptances', async () => {
      const s = new Scenario();
      await s.registerRoles();
      await s.propose();
      const first = await s.as<CampaignRecord>(PUB2, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
      expect(first.events[0]).to.deep.include({ name: 'CampaignAccepted' });
      expect(first.events[0]?.payload).to.include({ mspId: PUB2, status: 'PROPOSED', version: 1 });
      expect(first.result.lineItems.map((i) => i.lineItemId)).to.deep.equal(['li-2']);
      await s.as(AGY, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
      const last = await s.as<CampaignRecord>(PUB, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
      expect(last.events.map((e) => e.name)).to.deep.equal(['CampaignActivated']);
      const full = await s.as<CampaignRecord>(ADV, (ctx) => s.campaigns.Get(ctx, CAMPAIGN));
      expect(full.result.status).to.equal('ACTIVE');
      expect(full.result.acceptances.map((a) => a.mspId)).to.deep.equal([ADV, AGY, PUB2, PUB].sort());
    });

    it('is a no-op for a party that already accepted', async () => {
      const s = new Scenario();
      await s.registerRoles();
      await s.propose();
      const again = await s.as(ADV, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
      expect(again.events).to.deep.equal([]);
    });

    it('refuses a stale or malformed version, a non-party, an unknown campaign, and a new version of an ACTIVE one', async () => {
      const s = new Scenario();
      await s.registerRoles();
      await s.propose();
      await expectError(
        s.as(AGY, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '2')),
        'CONFLICT',
      );
      await expectError(
        s.as(AGY, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '01')),
        'VALIDATION_FAILED',
      );
      await expectError(
        s.as(ADV2, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1')),
        'CAMPAIGN_NOT_FOUND',
      );
      await expectError(
        s.as(OUTSIDER, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1')),
        'CAMPAIGN_NOT_FOUND',
      );
      await expectError(
        s.as(AGY, (ctx) => s.campaigns.Accept(ctx, 'nope', '1')),
        'CAMPAIGN_NOT_FOUND',
      );
      await expectError(
        s.as(AGY, (ctx) => s.campaigns.Accept(ctx, 'bad id', '1')),
        'VALIDATION_FAILED',
      );
      for (const party of [AGY, PUB, PUB2]) {
        await s.as(party, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
      }
      // A repeat after activation (a retry, or the loser of two concurrent acceptances) is a no-op, not a refusal.
      const repeat = await s.as<CampaignRecord>(AGY, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
      expect(repeat.events).to.deep.equal([]);
      expect(repeat.result.status).to.equal('ACTIVE');
      await expectError(
        s.as(AGY, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '2')),
        'INVALID_STATE',
      );
    });
  });

  describe('Amend', () => {
    it('replaces the terms of a PROPOSED campaign: a new version, acceptances reset, the old version readable', async () => {
      const s = new Scenario();
      await s.registerRoles();
      await s.propose();
      await s.as(PUB, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1'));
      const amended = await s.as<CampaignRecord>(AGY, (ctx) =>
        s.campaigns.Amend(ctx, CAMPAIGN, amendTerms({ name: 'Summer launch', discrepancyToleranceBps: 500 })),
      );
      expect(amended.result).to.include({ version: 2, status: 'PROPOSED', name: 'Summer launch', proposedBy: AGY });
      expect(amended.result.acceptances.map((a) => a.mspId)).to.deep.equal([AGY]);
      expect(amended.events.map((e) => e.name)).to.deep.equal(['CampaignAmended']);
      await expectError(
        s.as(PUB, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '1')),
        'CONFLICT',
        'version 2',
      );
      const v1 = await s.as<CampaignRecord>(ADV, (ctx) => s.campaigns.GetVersion(ctx, CAMPAIGN, '1'));
      expect(v1.result).to.include({ version: 1, status: 'PROPOSED', name: 'Spring launch' });
      const v2 = await s.as<CampaignRecord>(ADV, (ctx) => s.campaigns.GetVersion(ctx, CAMPAIGN, '2'));
      expect(v2.result.name).to.equal('Summer launch');
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.GetVersion(ctx, CAMPAIGN, '3')),
        'CAMPAIGN_NOT_FOUND',
      );
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.Amend(ctx, CAMPAIGN, amendTerms({ effectiveFrom: '2026-03-20' }))),
        'VALIDATION_FAILED',
        'only to an ACTIVE campaign',
      );
    });

    it('moves the key-level policy to the new party set and indexes new parties', async () => {
      const s = new Scenario();
      await s.registerRoles();
      await s.propose();
      const onePublisher = [
        {
          lineItemId: 'li-1',
          publisher: PUB,
          cpmMicros: 1,
          bookedImpressions: 10,
          flightStart: '2026-03-01',
          flightEnd: '2026-03-31',
        },
      ];
      const { result } = await s.as<CampaignRecord>(ADV, (ctx) =>
        s.campaigns.Amend(ctx, CAMPAIGN, amendTerms({ lineItems: onePublisher })),
      );
      expect(result.parties).to.deep.equal([ADV, AGY, PUB].sort());
      const key = s.net.context(ADV).ctx.stub.createCompositeKey('adrecon.campaign', [CAMPAIGN]);
      expect(decodePolicy(s.net.policies.get(key)!).orgs).to.deep.equal(result.parties);
      await expectError(
        s.as(PUB2, (ctx) => s.campaigns.Get(ctx, CAMPAIGN)),
        'CAMPAIGN_NOT_FOUND',
      );
      const listed = await s.as<{ records: unknown[] }>(PUB2, (ctx) => s.campaigns.List(ctx, '{}'));
      expect(listed.result.records).to.deep.equal([]);
    });

    it('refuses a publisher, bad terms, a line item changing publisher and a finished campaign', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await expectError(
        s.as(PUB, (ctx) => s.campaigns.Amend(ctx, CAMPAIGN, amendTerms())),
        'FORBIDDEN',
      );
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.Amend(ctx, CAMPAIGN, '{"name":"x"}')),
        'VALIDATION_FAILED',
      );
      await expectError(
        s.as(ADV, (ctx) =>
          s.campaigns.Amend(ctx, CAMPAIGN, JSON.stringify({ ...JSON.parse(amendTerms()), advertiser: ADV2 })),
        ),
        'VALIDATION_FAILED',
        'terms.advertiser: is not a known field',
      );
      const items = campaignInput().lineItems as Record<string, unknown>[];
      await expectError(
        s.as(ADV, (ctx) =>
          s.campaigns.Amend(ctx, CAMPAIGN, amendTerms({ lineItems: [{ ...items[0], publisher: PUB2 }, items[1]] })),
        ),
        'INVALID_STATE',
        'belongs to PublisherMSP',
      );
      await s.as(ADV, (ctx) => s.campaigns.Complete(ctx, CAMPAIGN));
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.Amend(ctx, CAMPAIGN, amendTerms())),
        'INVALID_STATE',
      );
    });
  });

  describe('Cancel and Complete', () => {
    it('cancels a proposed campaign with a reason', async () => {
      const s = new Scenario();
      await s.registerRoles();
      await s.propose();
      const { result, events } = await s.as<CampaignRecord>(AGY, (ctx) =>
        s.campaigns.Cancel(ctx, CAMPAIGN, 'budget cut'),
      );
      expect(result).to.include({ status: 'CANCELLED', cancelReason: 'budget cut' });
      expect(events.map((e) => e.name)).to.deep.equal(['CampaignCancelled']);
      await expectError(
        s.as(AGY, (ctx) => s.campaigns.Cancel(ctx, CAMPAIGN, '')),
        'INVALID_STATE',
      );
      await expectError(
        s.as(AGY, (ctx) => s.campaigns.Complete(ctx, CAMPAIGN)),
        'INVALID_STATE',
      );
    });

    it('completes an active campaign; refuses publishers and long reasons', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await expectError(
        s.as(PUB, (ctx) => s.campaigns.Complete(ctx, CAMPAIGN)),
        'FORBIDDEN',
      );
      await expectError(
        s.as(PUB, (ctx) => s.campaigns.Cancel(ctx, CAMPAIGN, 'x')),
        'FORBIDDEN',
      );
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.Cancel(ctx, CAMPAIGN, 'x'.repeat(501))),
        'VALIDATION_FAILED',
      );
      const { result, events } = await s.as<CampaignRecord>(ADV, (ctx) => s.campaigns.Complete(ctx, CAMPAIGN));
      expect(result.status).to.equal('COMPLETED');
      expect(events[0]?.payload).to.deep.include({ campaignId: CAMPAIGN, status: 'COMPLETED' });
    });
  });

  describe('reads', () => {
    it('shows a publisher only its own line items, parties and acceptances', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const { result } = await s.as<CampaignRecord>(PUB, (ctx) => s.campaigns.Get(ctx, CAMPAIGN));
      expect(result.lineItems.map((i) => i.publisher)).to.deep.equal([PUB]);
      expect(result.parties).to.deep.equal([ADV, AGY, PUB].sort());
      expect(result.acceptances.map((a) => a.mspId)).to.not.include(PUB2);
      await expectError(
        s.as(ADV2, (ctx) => s.campaigns.Get(ctx, CAMPAIGN)),
        'CAMPAIGN_NOT_FOUND',
      );
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.Get(ctx, 'missing')),
        'CAMPAIGN_NOT_FOUND',
      );
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.Get(ctx, '')),
        'VALIDATION_FAILED',
      );
    });

    it('lists the caller campaigns a page at a time with a status filter', async () => {
      const s = new Scenario();
      await s.registerRoles();
      for (const id of ['c-a', 'c-b', 'c-c']) {
        await s.propose({ campaignId: id });
      }
      await s.as(ADV, (ctx) => s.campaigns.Cancel(ctx, 'c-b', 'no'));
      const first = await s.as<{ records: CampaignRecord[]; bookmark: string; fetchedCount: number }>(PUB, (ctx) =>
        s.campaigns.List(ctx, JSON.stringify({ pageSize: 2 })),
      );
      expect(first.result.records.map((c) => c.campaignId)).to.deep.equal(['c-a', 'c-b']);
      expect(first.result.fetchedCount).to.equal(2);
      const second = await s.as<{ records: CampaignRecord[]; bookmark: string }>(PUB, (ctx) =>
        s.campaigns.List(ctx, JSON.stringify({ pageSize: 2, bookmark: first.result.bookmark })),
      );
      expect(second.result.records.map((c) => c.campaignId)).to.deep.equal(['c-c']);
      expect(second.result.bookmark).to.equal('');
      const cancelled = await s.as<{ records: CampaignRecord[] }>(AGY, (ctx) =>
        s.campaigns.List(ctx, JSON.stringify({ status: 'CANCELLED' })),
      );
      expect(cancelled.result.records.map((c) => c.campaignId)).to.deep.equal(['c-b']);
      const none = await s.as<{ records: CampaignRecord[] }>(ADV2, (ctx) => s.campaigns.List(ctx, '{}'));
      expect(none.result.records).to.deep.equal([]);
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.List(ctx, JSON.stringify({ pageSize: 201 }))),
        'VALIDATION_FAILED',
      );
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.List(ctx, JSON.stringify({ sort: 'x' }))),
        'VALIDATION_FAILED',
      );
    });

    it('returns the history of the campaign key, newest first', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const { result } = await s.as<{ txId: string; isDelete: boolean; value: CampaignRecord }[]>(PUB, (ctx) =>
        s.campaigns.History(ctx, CAMPAIGN),
      );
      expect(result).to.have.length(4);
      expect(result[0]?.value.status).to.equal('ACTIVE');
      expect(result[3]?.value.status).to.equal('PROPOSED');
      expect(result.every((h) => h.value.lineItems.every((i) => i.publisher === PUB))).to.equal(true);
    });
  });
});
