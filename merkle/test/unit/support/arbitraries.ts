import fc from 'fast-check';

import type { ImpressionRecord } from '../../../src/index.js';

const ledgerId = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/);
const logId = fc.stringMatching(/^[!-~]{1,128}$/);
const timestamp = fc
  .date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

/** Any valid impression record, optional fields present or not. */
export const impressionRecord: fc.Arbitrary<ImpressionRecord> = fc.record(
  {
    impressionId: logId,
    timestamp,
    campaignId: ledgerId,
    lineItemId: ledgerId,
    placementId: logId,
    creativeId: logId,
  },
  { requiredKeys: ['impressionId', 'timestamp', 'campaignId', 'lineItemId'] },
);

/**
 * Lists of byte strings (leaves) whose length is uniform in `[minLength, maxLength]`: fast-check's default size
 * would keep arrays to about ten elements, far from the odd shapes of trees of hundreds of leaves.
 */
export function leafList(minLength: number, maxLength: number): fc.Arbitrary<Uint8Array[]> {
  return fc
    .integer({ min: minLength, max: maxLength })
    .chain((length) => fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: length, maxLength: length }));
}

/** Lowercase hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
