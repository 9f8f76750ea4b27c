import { billableUnitOf, type BillableUnit } from '@adrecon/contract';
import type { DeliveryReport } from '../models/delivery-report.js';
import type { LineItem } from '../models/campaign.js';
import { flatFeeShareMicros } from './arithmetic.js';
import { DAY_MS } from './calendar.js';
import { Flight } from './flight.js';

export { billableUnitOf } from '@adrecon/contract';

/**
 * The count one side's reports of a day contribute in a billable unit, or null when the side has none that counts:
 * valid impressions (impressions − invalid) for `IMPRESSIONS` and `FLAT_FEE`; for `VIEWABLE_IMPRESSIONS` the viewable
 * impressions, never more than the valid impressions (viewability is measured on valid traffic, MRC), and null when
 * any report of the side lacks a viewable count (such a day cannot be billed on that side).
 */
export function countInUnit(reports: readonly DeliveryReport[], unit: BillableUnit): number | null {
  if (reports.length === 0) {
    return null;
  }
  let sum = 0;
  for (const r of reports) {
    const valid = r.impressions - r.invalidImpressions;
    if (unit !== 'VIEWABLE_IMPRESSIONS') {
      sum += valid;
    } else if (r.viewableImpressions === undefined) {
      return null;
    } else {
      sum += Math.min(r.viewableImpressions, valid);
    }
  }
  return sum;
}

/**
 * The share of a `FLAT_FEE` line item's fee that the UTC day starting at `dayMs` bills (see
 * {@link flatFeeShareMicros}), 0 for a line item of another unit or a day outside its flight.
 */
export function flatFeeOfDay(lineItem: LineItem, dayMs: number): number {
  if (billableUnitOf(lineItem) !== 'FLAT_FEE') return 0;
  const flight = new Flight(lineItem);
  if (!flight.contains(dayMs, dayMs + DAY_MS)) return 0;
  const days = (flight.endMs - flight.startMs) / DAY_MS;
  return flatFeeShareMicros(lineItem.flatFeeMicros ?? 0, days, (dayMs - flight.startMs) / DAY_MS);
}
