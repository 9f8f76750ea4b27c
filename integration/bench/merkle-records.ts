import { type ImpressionRecord, merkleRootOfRecords } from '@adrecon/merkle';

/**
 * `count` synthetic log-level impression records of one report (one hour), as a publisher's log reader would hand
 * them over.
 */
export function reportRecords(
  campaignId: string,
  lineItemId: string,
  reportIndex: number,
  hourStartMs: number,
  count: number,
): ImpressionRecord[] {
  const records: ImpressionRecord[] = new Array<ImpressionRecord>(count);
  for (let i = 0; i < count; i++) {
    records[i] = {
      impressionId: `imp-${String(reportIndex)}-${String(i)}`,
      timestamp: new Date(hourStartMs + (((i * 3_600_000) / count) | 0)).toISOString(),
      campaignId,
      lineItemId,
    };
  }
  return records;
}

/**
 * The Merkle root (tree format version 2, the batched one) of `count` synthetic records of one report, built the
 * way a publisher would: validated, encoded and hashed (the work counted in "root computation included").
 */
export function reportRoot(
  campaignId: string,
  lineItemId: string,
  reportIndex: number,
  hourStartMs: number,
  count: number,
): string {
  return merkleRootOfRecords(reportRecords(campaignId, lineItemId, reportIndex, hourStartMs, count), { version: 2 });
}
