import { LIMITS, billableUnitOf } from '@adrecon/contract';
import { InvalidStateError, ValidationError } from '../errors.js';
import type { Campaign, LineItemRef } from '../models/campaign.js';
import { dateMs } from './calendar.js';

/** What an amendment of an ACTIVE campaign will put in force, and from when. */
export interface AmendedTerms {
  readonly effectiveFrom: string;
  readonly lineItems: LineItemRef[];
}

/**
 * The line items an amendment of an ACTIVE campaign puts in force from `effectiveFrom`, checked against the current
 * terms. A line item keeps its publisher. A line item the amendment leaves out is not erased: its flight ends the day
 * before the effective date, so its earlier days stay reportable and billable at their terms (it disappears only if
 * its flight had not started by then: its reference carries `endsBefore`, applied when its terms are read, since a
 * transaction endorsed by every party never reads a line item's terms). Removing or shrinking a line item needs its publisher's acceptance like any
 * change: every party of the current and the amended terms must accept.
 *
 * @throws ValidationError when `effectiveFrom` is before `today` (no amendment reaches back to delivered days), or
 * when the line items it ends would make more than the campaign may hold.
 * @throws InvalidStateError when a line item would change publisher or billable unit.
 */
export function amendedTerms(
  current: { readonly lineItems: readonly LineItemRef[] },
  terms: { readonly lineItems: readonly LineItemRef[] },
  effectiveFrom: string | undefined,
  today: string,
): AmendedTerms {
  const from = effectiveFrom ?? today;
  const fromMs = dateMs(from, 'effectiveFrom');
  if (fromMs < dateMs(today, 'today')) {
    throw new ValidationError(
      `terms.effectiveFrom: must not be before the date of the amendment (${today}), got ${from}`,
    );
  }
  const lineItems = [...terms.lineItems];
  for (const old of current.lineItems) {
    const next = terms.lineItems.find((i) => i.lineItemId === old.lineItemId);
    if (next !== undefined) {
      if (next.publisher !== old.publisher) {
        throw new InvalidStateError(
          `line item ${old.lineItemId} belongs to ${old.publisher}; end it and add another line item instead`,
        );
      }
      if (billableUnitOf(next) !== billableUnitOf(old)) {
        throw new InvalidStateError(
          `line item ${old.lineItemId} bills ${billableUnitOf(old)}; end it and add another line item to bill ${billableUnitOf(next)}`,
        );
      }
      continue;
    }
    lineItems.push({
      ...old,
      endsBefore: old.endsBefore !== undefined && old.endsBefore < from ? old.endsBefore : from,
    });
  }
  if (lineItems.length > LIMITS.lineItems) {
    throw new ValidationError(
      `terms.lineItems: with the ${lineItems.length - terms.lineItems.length} line items it ends, the campaign would hold more than ${LIMITS.lineItems}`,
    );
  }
  return { effectiveFrom: from, lineItems };
}

/**
 * Whether an amendment accepted at `today` can still apply: its effective date must not have passed, or it would
 * reprice days delivered while it awaited acceptance.
 *
 * @throws InvalidStateError naming the effective date.
 */
export function requireStillEffective(amendment: Pick<Campaign, 'effectiveFrom' | 'version'>, today: string): void {
  if (amendment.effectiveFrom !== undefined && amendment.effectiveFrom < today) {
    throw new InvalidStateError(
      `amendment version ${amendment.version} was to apply from ${amendment.effectiveFrom}, which has passed; amend again with a later effective date`,
    );
  }
}
