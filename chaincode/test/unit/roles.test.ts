import { expect } from 'chai';
import { common, msp } from '@hyperledger/fabric-protos';
import { ChaincodeStub } from 'fabric-shim';
import { ADV, ADV2, AGY, AGY2, CAMPAIGN, OUTSIDER, PUB, PUB2, Scenario, expectError } from './support/scenario.js';

function roleKey(mspId: string): string {
  return (Object.create(ChaincodeStub.prototype) as ChaincodeStub).createCompositeKey('adrecon.role', [mspId]);
}

/** Decodes "subject AND N of others" (the consent policy), checking that every principal is a PEER. */
function decodeConsentPolicy(bytes: Uint8Array | undefined): { subject: string; others: string[]; needed: number } {
  expect(bytes, 'the role key has a key-level policy').to.not.equal(undefined);
  const envelope = common.SignaturePolicyEnvelope.deserializeBinary(bytes ?? new Uint8Array());
  const ids = envelope.getIdentitiesList().map((identity) => {
    const role = msp.MSPRole.deserializeBinary(identity.getPrincipal_asU8());
    expect(role.getRole()).to.equal(msp.MSPRole.MSPRoleType.PEER);
    return role.getMspIdentifier();
  });
  const top = envelope.getRule()?.getNOutOf();
  expect(top?.getN()).to.equal(2);
  const [subjectRule, othersRule] = top?.getRulesList() ?? [];
  const others = othersRule?.getNOutOf();
  return {
    subject: ids[subjectRule?.getSignedBy() ?? -1] ?? '',
    others: (others?.getRulesList() ?? []).map((r) => ids[r.getSignedBy()] ?? '').sort(),
    needed: others?.getN() ?? -1,
  };
}

describe('roles contract', () => {
  it('bootstraps an empty registry from any organization and returns the sorted list', async () => {
    const s = new Scenario();
    const { result, events } = await s.as<{ mspId: string; role: string }[]>(OUTSIDER, (ctx) =>
      s.roles.SetRoles(
        ctx,
        JSON.stringify([
          { mspId: PUB, role: 'PUBLISHER' },
          { mspId: ADV, role: 'ADVERTISER' },
        ]),
      ),
    );
    expect(result.map((e) => e.mspId)).to.deep.equal([ADV, PUB]);
    expect(events).to.have.length(1);
    expect(events[0]?.name).to.equal('RolesUpdated');
    expect(events[0]?.payload).to.deep.equal({ mspIds: [ADV, PUB], parties: [ADV, PUB] });
  });

  it('lets an organization register itself after bootstrap, with the consent policy on its role key', async () => {
    const s = new Scenario();
    await s.registerRoles();
    const { result } = await s.as<{ mspId: string; role: string }[]>('NewPubMSP', (ctx) =>
      s.roles.SetRoles(ctx, JSON.stringify([{ mspId: 'NewPubMSP', role: 'PUBLISHER' }])),
    );
    expect(result.find((e) => e.mspId === 'NewPubMSP')?.role).to.equal('PUBLISHER');
    expect(result).to.have.length(7);
    const listed = await s.as<unknown[]>(PUB, (ctx) => s.roles.ListRoles(ctx));
    expect(listed.result).to.deep.equal(result);
    const policy = decodeConsentPolicy(s.net.policies.get(roleKey('NewPubMSP')));
    expect(policy).to.deep.equal({ subject: 'NewPubMSP', others: [ADV2, AGY2, ADV, AGY, PUB2, PUB].sort(), needed: 4 });
  });

  it('refuses to register another organization once the registry is bootstrapped', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await expectError(
      s.as(AGY, (ctx) => s.roles.SetRoles(ctx, JSON.stringify([{ mspId: 'NewPubMSP', role: 'PUBLISHER' }]))),
      'FORBIDDEN',
      'registers only itself',
    );
  });

  it('refuses a publisher relabelling the advertiser, and keeps the registry unchanged', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await expectError(
      s.as(PUB, (ctx) => s.roles.SetRoles(ctx, JSON.stringify([{ mspId: ADV, role: 'PUBLISHER' }]))),
      'FORBIDDEN',
      'roles:ProposeRoleChange',
    );
    const { result } = await s.as(PUB, (ctx) => s.roles.GetRole(ctx, ADV));
    expect(result).to.deep.equal({ mspId: ADV, role: 'ADVERTISER' });
  });

  it('treats a bootstrap entry equal to the registered one as a no-op', async () => {
    const s = new Scenario();
    await s.registerRoles();
    const { events } = await s.as(ADV, (ctx) =>
      s.roles.SetRoles(ctx, JSON.stringify([{ mspId: ADV, role: 'ADVERTISER' }])),
    );
    expect(events).to.have.length(0);
  });

  it('sets every bootstrapped role key to "that organization and a majority of the others"', async () => {
    const s = new Scenario();
    await s.registerRoles();
    const policy = decodeConsentPolicy(s.net.policies.get(roleKey(ADV)));
    expect(policy).to.deep.equal({ subject: ADV, others: [ADV2, AGY2, AGY, PUB2, PUB].sort(), needed: 3 });
  });

  it('changes a role only with the approval of that organization and a majority of the others', async () => {
    const s = new Scenario();
    await s.registerRoles();
    const proposed = await s.as<{ proposalId: string; status: string }>(PUB, (ctx) =>
      s.roles.ProposeRoleChange(ctx, JSON.stringify({ mspId: ADV, role: 'PUBLISHER' })),
    );
    expect(proposed.result.status).to.equal('PENDING');
    expect(proposed.events[0]?.name).to.equal('RoleChangeProposed');
    const id = proposed.result.proposalId;
    // PUB, AGY, PUB2 are 3 of ADV's 5 others: a majority, but without ADV itself nothing changes.
    for (const party of [AGY, PUB2]) {
      const { result } = await s.as<{ status: string }>(party, (ctx) => s.roles.ApproveRoleChange(ctx, ADV, id));
      expect(result.status).to.equal('PENDING');
    }
    expect((await s.as(PUB, (ctx) => s.roles.GetRole(ctx, ADV))).result).to.deep.equal({
      mspId: ADV,
      role: 'ADVERTISER',
    });
    const applied = await s.as<{ status: string }>(ADV, (ctx) => s.roles.ApproveRoleChange(ctx, ADV, id));
    expect(applied.result.status).to.equal('APPLIED');
    expect(applied.events[0]?.name).to.equal('RoleChanged');
    expect((await s.as(PUB, (ctx) => s.roles.GetRole(ctx, ADV))).result).to.deep.equal({
      mspId: ADV,
      role: 'PUBLISHER',
    });
  });

  it('needs a majority of the others besides the organization itself', async () => {
    const s = new Scenario();
    await s.registerRoles();
    const { result } = await s.as<{ proposalId: string }>(ADV, (ctx) =>
      s.roles.ProposeRoleChange(ctx, JSON.stringify({ mspId: ADV, role: 'AGENCY' })),
    );
    const second = await s.as<{ status: string }>(AGY, (ctx) => s.roles.ApproveRoleChange(ctx, ADV, result.proposalId));
    expect(second.result.status).to.equal('PENDING');
    const third = await s.as<{ status: string }>(PUB, (ctx) => s.roles.ApproveRoleChange(ctx, ADV, result.proposalId));
    expect(third.result.status).to.equal('PENDING');
    const fourth = await s.as<{ status: string }>(PUB2, (ctx) =>
      s.roles.ApproveRoleChange(ctx, ADV, result.proposalId),
    );
    expect(fourth.result.status).to.equal('APPLIED');
  });

  it('removes a role (no role in the change) once consent is reached, deleting the role key', async () => {
    const s = new Scenario();
    await s.registerRoles();
    const { result } = await s.as<{ proposalId: string }>(ADV2, (ctx) =>
      s.roles.ProposeRoleChange(ctx, JSON.stringify({ mspId: ADV2 })),
    );
    for (const party of [ADV, AGY, PUB]) {
      await s.as(party, (ctx) => s.roles.ApproveRoleChange(ctx, ADV2, result.proposalId));
    }
    await expectError(
      s.as(PUB, (ctx) => s.roles.GetRole(ctx, ADV2)),
      'ROLE_NOT_FOUND',
    );
  });

  it('refuses a stale approval (another proposalId) as CONFLICT and an unregistered approver as FORBIDDEN', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await s.as(PUB, (ctx) => s.roles.ProposeRoleChange(ctx, JSON.stringify({ mspId: AGY2, role: 'ADVERTISER' })));
    await expectError(
      s.as(AGY, (ctx) => s.roles.ApproveRoleChange(ctx, AGY2, 'tx-other')),
      'CONFLICT',
    );
    const { result } = await s.as<{ proposalId: string }>(PUB, (ctx) => s.roles.GetRoleChange(ctx, AGY2));
    await expectError(
      s.as(OUTSIDER, (ctx) => s.roles.ApproveRoleChange(ctx, AGY2, result.proposalId)),
      'FORBIDDEN',
    );
    await expectError(
      s.as(OUTSIDER, (ctx) => s.roles.ProposeRoleChange(ctx, JSON.stringify({ mspId: AGY2 }))),
      'FORBIDDEN',
    );
  });

  it('never takes a role from a party of a PROPOSED or ACTIVE campaign', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await s.propose();
    await expectError(
      s.as(ADV, (ctx) => s.roles.ProposeRoleChange(ctx, JSON.stringify({ mspId: PUB, role: 'AGENCY' }))),
      'INVALID_STATE',
      'cmp-1',
    );
    await s.as(ADV, (ctx) => s.campaigns.Cancel(ctx, CAMPAIGN, 'no longer needed'));
    const { result } = await s.as<{ status: string }>(PUB, (ctx) =>
      s.roles.ProposeRoleChange(ctx, JSON.stringify({ mspId: PUB, role: 'AGENCY' })),
    );
    expect(result.status).to.equal('PENDING');
  });

  it('refuses to apply a change once its organization became party to a live campaign', async () => {
    const s = new Scenario();
    await s.registerRoles();
    const { result } = await s.as<{ proposalId: string }>(PUB, (ctx) =>
      s.roles.ProposeRoleChange(ctx, JSON.stringify({ mspId: PUB, role: 'AGENCY' })),
    );
    await s.propose();
    for (const party of [ADV, AGY]) {
      await s.as(party, (ctx) => s.roles.ApproveRoleChange(ctx, PUB, result.proposalId));
    }
    await expectError(
      s.as(PUB2, (ctx) => s.roles.ApproveRoleChange(ctx, PUB, result.proposalId)),
      'INVALID_STATE',
    );
  });

  it('lets an unregistered organization register itself only, never alongside another', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await expectError(
      s.as(OUTSIDER, (ctx) =>
        s.roles.SetRoles(
          ctx,
          JSON.stringify([
            { mspId: OUTSIDER, role: 'ADVERTISER' },
            { mspId: 'OtherMSP', role: 'PUBLISHER' },
          ]),
        ),
      ),
      'FORBIDDEN',
    );
    await expectError(
      s.as(PUB, (ctx) => s.roles.GetRole(ctx, OUTSIDER)),
      'ROLE_NOT_FOUND',
    );
  });

  it('validates entries: JSON, array, role, mspId, duplicates and unknown fields', async () => {
    const s = new Scenario();
    const set = (text: string) => s.as(ADV, (ctx) => s.roles.SetRoles(ctx, text));
    await expectError(set('not json'), 'VALIDATION_FAILED', 'not valid JSON');
    await expectError(set('{}'), 'VALIDATION_FAILED');
    await expectError(set('[]'), 'VALIDATION_FAILED');
    await expectError(set(JSON.stringify([{ mspId: ADV, role: 'KING' }])), 'VALIDATION_FAILED', 'entries[0].role');
    await expectError(set(JSON.stringify([{ mspId: 'bad msp!', role: 'AGENCY' }])), 'VALIDATION_FAILED');
    await expectError(
      set(JSON.stringify([{ mspId: ADV, role: 'AGENCY', extra: 1 }])),
      'VALIDATION_FAILED',
      'entries[0].extra is not a known field',
    );
    await expectError(
      set(
        JSON.stringify([
          { mspId: ADV, role: 'AGENCY' },
          { mspId: ADV, role: 'PUBLISHER' },
        ]),
      ),
      'VALIDATION_FAILED',
      'twice',
    );
  });

  it('reads one role, or ROLE_NOT_FOUND', async () => {
    const s = new Scenario();
    await s.registerRoles();
    const { result } = await s.as(PUB, (ctx) => s.roles.GetRole(ctx, AGY));
    expect(result).to.deep.equal({ mspId: AGY, role: 'AGENCY' });
    await expectError(
      s.as(PUB, (ctx) => s.roles.GetRole(ctx, OUTSIDER)),
      'ROLE_NOT_FOUND',
    );
    await expectError(
      s.as(PUB, (ctx) => s.roles.GetRole(ctx, '')),
      'VALIDATION_FAILED',
    );
  });
});
