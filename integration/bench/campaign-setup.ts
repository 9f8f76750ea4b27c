import { campaignTerms } from '../test/support/campaign-fixtures';
import type { PartyConnections } from '../test/support/fabric-connection';
import { mspOf, type NetworkProfile } from '../test/support/network-profile';

const HOUR = 3_600_000;
const FLIGHT_START = Date.UTC(2026, 0, 1);

/**
 * An ACTIVE campaign whose single line item runs from 2026-01-01 to `flightEnd` (all of 2026 by default),
 * so every report gets its own hour, or every reconciled day its own date.
 */
export async function activeCampaign(profile: NetworkProfile, conns: PartyConnections, flightEnd = '2026-12-31') {
  const terms = campaignTerms(profile, {
    lineItems: [
      {
        lineItemId: 'li-1',
        publisher: mspOf(profile, 'PUBLISHER'),
        cpmMicros: 1_500_000,
        bookedImpressions: 9_000_000_000_000,
        flightStart: '2026-01-01',
        flightEnd,
      },
    ],
  });
  await conns.advertiser.contract.submitTransaction('campaigns:Propose', JSON.stringify(terms));
  await conns.agency.contract.submitTransaction('campaigns:Accept', terms.campaignId, '1');
  await conns.publisher.contract.submitTransaction('campaigns:Accept', terms.campaignId, '1');
  return { campaignId: terms.campaignId, lineItemId: 'li-1' };
}

/** Hands out distinct UTC hours of the flight, so concurrent reports never share a period. */
export function hourSlots() {
  let next = 0;
  return () => {
    const start = FLIGHT_START + HOUR * next++;
    return {
      startMs: start,
      periodStart: new Date(start).toISOString().replace('.000', ''),
      periodEnd: new Date(start + HOUR).toISOString().replace('.000', ''),
    };
  };
}

/** Hands out consecutive UTC days from 2026-01-01: reconciliation periods are days. */
export function daySlots() {
  let next = 0;
  return () => {
    const start = FLIGHT_START + 24 * HOUR * next++;
    return {
      periodStart: new Date(start).toISOString().replace('.000', ''),
      periodEnd: new Date(start + 24 * HOUR).toISOString().replace('.000', ''),
    };
  };
}
