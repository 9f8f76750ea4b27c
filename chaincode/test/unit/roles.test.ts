import { expect } from 'chai';
import { ADV, AGY, OUTSIDER, PUB, Scenario, expectError } from './support/scenario.js';

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

  it('lets a registered organization add and change roles, merging with the registry', async () => {
    const s = new Scenario();
    await s.registerRoles();
    const { result } = await s.as<{ mspId: string; role: string }[]>(AGY, (ctx) =>
      s.roles.SetRoles(ctx, JSON.stringify([{ mspId: 'NewPubMSP', role: 'PUBLISHER' }])),
    );
    expect(result.find((e) => e.mspId === 'NewPubMSP')?.role).to.equal('PUBLISHER');
    expect(result).to.have.length(7);
    const listed = await s.as<unknown[]>(PUB, (ctx) => s.roles.ListRoles(ctx));
    expect(listed.result).to.deep.equal(result);
  });

  it('refuses an unregistered organization once the registry is not empty', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await expectError(
      s.as(OUTSIDER, (ctx) => s.roles.SetRoles(ctx, JSON.stringify([{ mspId: OUTSIDER, role: 'ADVERTISER' }]))),
      'FORBIDDEN',
    );
  });

  it('validates entries: JSON, array, role, mspId, duplicates and unknown fields', async () => {
    const s = new Scenario();
    const set = (text: string) => s.as(ADV, (ctx) => s.roles.SetRoles(ctx, text));
    await expectError(set('not json'), 'VALIDATION_FAILED', 'not valid JSON');
    await expectError(set('{}'), 'VALIDATION_FAILED');
    await expectError(set('[]'), 'VALIDATION_FAILED');
    await expectError(set(JSON.stringify([{ mspId: ADV, role: 'KING' }])), 'VALIDATION_FAILED', 'entries.0.role');
    await expectError(set(JSON.stringify([{ mspId: 'bad msp!', role: 'AGENCY' }])), 'VALIDATION_FAILED');
    await expectError(
      set(JSON.stringify([{ mspId: ADV, role: 'AGENCY', extra: 1 }])),
      'VALIDATION_FAILED',
      'entries.0.extra: is not a known field',
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
