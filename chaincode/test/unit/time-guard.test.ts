import { expect } from 'chai';
import { TX_TIME_TOLERANCE_MS } from '../../src/time-guard.js';
import { ADV, AGY, PUB, Scenario, day, expectError, reportInput } from './support/scenario.js';

describe('time guard: a proposal timestamp far from the endorsing peer clock is not endorsed', () => {
  it('refuses a write whose timestamp is more than 5 minutes behind the peer clock (a back-dated invoice)', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.bothSides(1, 1000, 1000);
    s.net.setTime('2026-04-02T00:00:00Z');
    s.net.peerClockOffsetMs = TX_TIME_TOLERANCE_MS + 1000;
    const message = await expectError(s.issue('inv-backdated', '2026-03-01', '2026-03-01'), 'VALIDATION_FAILED');
    expect(message).to.contain('behind the endorsing peer');
    expect([...s.net.state.keys()].some((k) => k.includes('inv-backdated'))).to.equal(false);
  });

  it('refuses a write whose timestamp is more than 5 minutes ahead of the peer clock (a report dated later)', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    s.net.peerClockOffsetMs = -(TX_TIME_TOLERANCE_MS + 1000);
    const message = await expectError(s.submit(PUB, reportInput(day(2), 10)), 'VALIDATION_FAILED');
    expect(message).to.contain('ahead of the endorsing peer');
  });

  it('endorses within the tolerance, and writes only the transaction timestamp, never the peer clock', async () => {
    const s = new Scenario();
    await s.registerRoles();
    s.net.peerClockOffsetMs = TX_TIME_TOLERANCE_MS;
    const { result } = await s.propose();
    expect(result.createdAt).to.equal('2026-03-15T12:00:00.000Z');
    s.net.peerClockOffsetMs = -TX_TIME_TOLERANCE_MS;
    const accepted = await s.as<{ acceptances: { acceptedAt: string }[] }>(AGY, (ctx) =>
      s.campaigns.Accept(ctx, 'cmp-1', '1'),
    );
    expect(accepted.result.acceptances.map((a) => a.acceptedAt)).to.deep.equal([
      '2026-03-15T12:00:00.000Z',
      '2026-03-15T12:00:00.000Z',
    ]);
  });

  it('guards queries too (a report "as of" another time is refused)', async () => {
    const s = new Scenario();
    await s.registerRoles();
    s.net.peerClockOffsetMs = 24 * 3600 * 1000;
    await expectError(
      s.as(ADV, (ctx) => s.roles.ListRoles(ctx)),
      'VALIDATION_FAILED',
    );
  });
});
