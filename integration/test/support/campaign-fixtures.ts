import crypto from 'node:crypto';
import type { NetworkProfile } from './network-profile';
import { mspOf, secondPublisherOf } from './network-profile';

/** A fresh identifier, so tests never collide with records of earlier runs on the same ledger. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(6).toString('hex')}`;
}

/** Campaign terms in the chaincode's input shape: one line item with the network's publisher. */
export function campaignTerms(profile: NetworkProfile, overrides: Record<string, unknown> = {}) {
  return {
    campaignId: uniqueId('cmp'),
    name: 'Spring launch',
    advertiser: mspOf(profile, 'ADVERTISER'),
    agency: mspOf(profile, 'AGENCY'),
    currency: 'EUR',
    lineItems: [
      {
        lineItemId: 'li-1',
        publisher: mspOf(profile, 'PUBLISHER'),
        cpmMicros: 2_500_000,
        bookedImpressions: 1_000_000,
        flightStart: '2026-03-01',
        flightEnd: '2026-03-31',
      },
    ],
    ...overrides,
  };
}

/**
 * Campaign terms with both publishers of the network, each on its own line item: `li-1` for the first publisher,
 * `li-2` (another price and volume) for the second.
 */
export function twoPublisherTerms(profile: NetworkProfile, overrides: Record<string, unknown> = {}) {
  const base = campaignTerms(profile, overrides);
  const first = base.lineItems[0];
  if (first === undefined) throw new Error('no line item');
  return {
    ...base,
    lineItems: [
      first,
      {
        ...first,
        lineItemId: 'li-2',
        publisher: secondPublisherOf(profile),
        cpmMicros: 3_100_000,
        bookedImpressions: 400_000,
      },
    ],
  };
}

/** Day `d` of March 2026 as a delivery report period: one UTC day, instants without milliseconds. */
export function marchDay(d: number): { periodStart: string; periodEnd: string } {
  const instant = (ms: number) => new Date(ms).toISOString().replace('.000', '');
  return { periodStart: instant(Date.UTC(2026, 2, d)), periodEnd: instant(Date.UTC(2026, 2, d + 1)) };
}
