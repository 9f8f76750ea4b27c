import type { Context } from 'fabric-contract-api';
import { txTimeMs } from '../ledger/tx-time.js';
import { calendarOf, formatDate } from './calendar.js';

/** The date of the transaction's timestamp in the campaign's time zone, `YYYY-MM-DD`. */
export function todayOf(ctx: Context, campaign: { readonly timeZone: string }): string {
  return formatDate(calendarOf(campaign).dayOf(txTimeMs(ctx)));
}
