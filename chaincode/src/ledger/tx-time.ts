import type { Context } from 'fabric-contract-api';
import { timestampToMs } from './ledger.js';

/** The transaction's timestamp (set by the client, the same on every endorser) in milliseconds since the epoch. */
export function txTimeMs(ctx: Context): number {
  return timestampToMs(ctx.stub.getTxTimestamp());
}

/** The transaction's timestamp as an ISO 8601 UTC string with milliseconds. */
export function txTimeIso(ctx: Context): string {
  return new Date(txTimeMs(ctx)).toISOString();
}
