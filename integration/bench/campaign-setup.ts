import { campaignTerms } from '../test/support/campaign-fixtures';
import { awaitCommitted, submitCommitted } from '../test/support/commits';
import type { PartyConnections } from '../test/support/fabric-connection';
import { mspOf, type NetworkProfile } from '../test/support/network-profile';

const HOUR = 3_600_000;
const FLIGHT_START = Date.UTC(2026, 0, 1);

/**
 * An ACTIVE campaign whose single line item runs from 2026-01-01 to `flightEnd` (all of 2026 by default),
 * so every report gets its own hour, or every reconciled day its own date. Each step waits until every party's
 * peer has the previous one; `activatedIn` is the block that activated it, committed on every party's peer.
 */
export async function activeCampaign(profile: NetworkProfile, conns: PartyConnections, flightEnd = '2026-12-31') {
  const terms = campaignTerms(profile, {
    lineItems: [
      {
        lineItemId: 'li-1',
        publisher: mspOf(profile, 'PUBLISHER'),
        cpmMicros: 1_500_000,
        // Large enough never to cap, small enough that the whole booking's amount is a safe integer (refused at
        // proposal otherwise): 6e12 × 1.5 = 9e15 micros.
        bookedImpressions: 6_000_000_000_000,
        flightStart: '2026-01-01',
        flightEnd,
      },
    ],
  });
  return { campaignId: terms.campaignId, lineItemId: 'li-1', activatedIn: await activate(conns, terms) };
}

/**
 * Proposes `terms` as the advertiser and accepts version 1 as the agency and the publisher, each step waiting until
 * every party's peer has the previous one; answers the block that activated the campaign.
 */
export async function activate(conns: PartyConnections, terms: ReturnType<typeof campaignTerms>): Promise<bigint> {
  const parties = [conns.advertiser, conns.agency, conns.publisher];
  let committed = await submitCommitted(conns.advertiser, 'campaigns:Propose', JSON.stringify(terms));
  await awaitCommitted(committed.blockNumber, parties);
  committed = await submitCommitted(conns.agency, 'campaigns:Accept', terms.campaignId, '1');
  await awaitCommitted(committed.blockNumber, parties);
  committed = await submitCommitted(conns.publisher, 'campaigns:Accept', terms.campaignId, '1');
  await awaitCommitted(committed.blockNumber, parties);
  return committed.blockNumber;
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
