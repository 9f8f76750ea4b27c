import { LIMITS } from '@adrecon/contract';
import { expect } from 'chai';
import { PUB, Scenario, campaignInput, expectError } from './support/scenario.js';

function withLineItem(overrides: Record<string, unknown>): Record<string, unknown> {
  const [first] = campaignInput().lineItems as Record<string, unknown>[];
  return { lineItems: [{ ...first, publisher: PUB, ...overrides }] };
}

/** Issue 7 item 6: the work and the numbers of a campaign are bounded when it is proposed. */
describe('bounds of a campaign', () => {
  it('refuses at proposal a line item whose whole booking would not have a safe-integer amount, and writes nothing', async () => {
    const s = new Scenario();
    await s.registerRoles();
    // 9007199254740991 × 1000 / 1000 fits exactly; at 1001 micros the amount passes 2^53 − 1.
    const message = await expectError(
      s.propose(withLineItem({ bookedImpressions: Number.MAX_SAFE_INTEGER, cpmMicros: 1001 })),
      'VALIDATION_FAILED',
      'campaign.lineItems.0.bookedImpressions: ',
    );
    expect(message).to.contain('safe integer');
    expect(s.net.state.size).to.equal(6); // the six role keys only
    const fits = await s.propose(withLineItem({ bookedImpressions: Number.MAX_SAFE_INTEGER, cpmMicros: 1000 }));
    expect(fits.result).to.include({ status: 'PROPOSED' });
  });

  it('refuses an amendment whose amount would overflow', async () => {
    const s = new Scenario();
    await s.registerRoles();
    await s.propose();
    const terms = campaignInput(withLineItem({ bookedImpressions: 9_000_000_000_000, cpmMicros: 2_000_000 }));
    delete terms.campaignId;
    delete terms.advertiser;
    delete terms.agency;
    await expectError(
      s.as('AdvertiserMSP', (ctx) => s.campaigns.Amend(ctx, 'cmp-1', JSON.stringify(terms))),
      'VALIDATION_FAILED',
      'terms.lineItems.0.bookedImpressions: ',
    );
  });

  it(`bounds a flight at ${LIMITS.flightDays} days and the reporting window at ${LIMITS.reportingWindowDays} days`, async () => {
    const s = new Scenario();
    await s.registerRoles();
    await expectError(
      s.propose(withLineItem({ flightStart: '2026-01-01', flightEnd: '2029-01-01' })),
      'VALIDATION_FAILED',
      'campaign.lineItems.0.flightEnd: must be at most 1096 days after flightStart',
    );
    await expectError(
      s.propose({ reportingWindowDays: LIMITS.reportingWindowDays + 1 }),
      'VALIDATION_FAILED',
      'campaign.reportingWindowDays',
    );
    const longest = await s.propose({
      reportingWindowDays: LIMITS.reportingWindowDays,
      ...withLineItem({ flightStart: '2026-01-01', flightEnd: '2028-12-31' }),
    });
    expect(longest.result).to.include({ reportingWindowDays: LIMITS.reportingWindowDays });
  });

  it('defaults the reporting window to 7 days', async () => {
    const s = new Scenario();
    await s.registerRoles();
    expect((await s.propose()).result).to.include({ reportingWindowDays: 7 });
  });
});
