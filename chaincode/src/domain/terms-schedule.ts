import type { Campaign, LineItem } from '../models/campaign.js';
import { InvalidStateError } from '../errors.js';
import type { ZoneCalendar } from '@adrecon/contract';
import { DAY_MS, calendarOf, dateMs, formatDate } from './calendar.js';
import { Flight } from './flight.js';

/** One version of a campaign's terms and the first day it is in force (`-Infinity`: from the start). */
interface TermsPeriod {
  readonly fromMs: number;
  readonly terms: Campaign;
}

/** The first day a version's terms apply to, in epoch ms (`-Infinity` when they apply from the start). */
export function effectiveFromMs(terms: Pick<Campaign, 'effectiveFrom'>): number {
  return terms.effectiveFrom === undefined ? -Infinity : dateMs(terms.effectiveFrom, 'effectiveFrom');
}

/**
 * The terms of a campaign over time: which version is in force on each day of its time zone, and where each line item's flight
 * ends (a cancellation ends every flight at its date). A day is always billed at the terms in force on that day.
 */
export class TermsSchedule {
  readonly campaign: Campaign;
  /** The campaign's reporting time zone (fixed for its life: every version has the same). */
  readonly calendar: ZoneCalendar;
  readonly #periods: readonly TermsPeriod[];
  readonly #cancelledMs: number;

  private constructor(campaign: Campaign, periods: readonly TermsPeriod[]) {
    this.campaign = campaign;
    this.calendar = calendarOf(campaign);
    this.#periods = periods;
    this.#cancelledMs = campaign.cancelledOn === undefined ? Infinity : dateMs(campaign.cancelledOn, 'cancelledOn');
  }

  /** A schedule of the current version alone: enough for days on or after its effective date. */
  static current(campaign: Campaign): TermsSchedule {
    return new TermsSchedule(campaign, [{ fromMs: effectiveFromMs(campaign), terms: campaign }]);
  }

  /**
   * The whole schedule: the current version and, while a version applies from an effective date, the version it
   * replaced (point reads of the superseded versions, each written once, by `previous`).
   *
   * @throws InvalidStateError when a replaced version is missing (a corrupt ledger).
   */
  static async load(
    campaign: Campaign,
    previous: (version: number) => Promise<Campaign | undefined>,
  ): Promise<TermsSchedule> {
    const periods: TermsPeriod[] = [];
    let terms: Campaign = campaign;
    for (;;) {
      periods.unshift({ fromMs: effectiveFromMs(terms), terms });
      if (terms.effectiveFrom === undefined || terms.previousVersion === undefined) break;
      const replaced = await previous(terms.previousVersion);
      if (replaced === undefined) {
        throw new InvalidStateError(`campaign ${campaign.campaignId} has lost version ${terms.previousVersion}`);
      }
      terms = replaced;
    }
    return new TermsSchedule(campaign, periods);
  }

  /** Whether this schedule knows the terms of the day starting at `dayMs` (see {@link TermsSchedule.current}). */
  covers(dayMs: number): boolean {
    return (this.#periods[0]?.fromMs ?? Infinity) <= dayMs;
  }

  /** The version of the terms in force on the UTC day starting at `dayMs`. */
  on(dayMs: number): Campaign {
    let found = this.#periods[0]?.terms ?? this.campaign;
    for (const period of this.#periods) {
      if (period.fromMs <= dayMs) found = period.terms;
    }
    return found;
  }

  /** The line item as in force on a day, if that day is one of its flight days (and not after a cancellation). */
  lineItemOn(lineItemId: string, dayMs: number): LineItem | undefined {
    if (dayMs > this.#cancelledMs) return undefined;
    const lineItem = this.on(dayMs).lineItems.find((i) => i.lineItemId === lineItemId);
    if (lineItem === undefined || !new Flight(lineItem).contains(dayMs, dayMs + DAY_MS)) return undefined;
    return lineItem;
  }

  /**
   * The line item in force for a report period (within one day of the campaign's zone, `dayMs`).
   *
   * @throws InvalidStateError when the period is outside the flight in force that day, or after a cancellation.
   */
  requireFlight(lineItemId: string, dayMs: number, label: string): LineItem {
    if (dayMs > this.#cancelledMs) {
      throw new InvalidStateError(
        `period ${label} is after the cancellation of campaign ${this.campaign.campaignId} on ${formatDate(this.#cancelledMs)}`,
      );
    }
    const lineItem = this.on(dayMs).lineItems.find((i) => i.lineItemId === lineItemId);
    if (lineItem === undefined) {
      throw new InvalidStateError(`line item ${lineItemId} is not part of the terms in force on ${formatDate(dayMs)}`);
    }
    // A period lies inside one day of the campaign's zone (ReportPeriod), so its day decides.
    new Flight(lineItem).require(dayMs, dayMs + DAY_MS, label);
    return lineItem;
  }

  /** The first and last flight day of a line item over every version (bounds for iterating its days). */
  flightHull(lineItemId: string): { firstMs: number; lastMs: number } | undefined {
    let firstMs = Infinity;
    let lastMs = -Infinity;
    for (const { terms } of this.#periods) {
      const lineItem = terms.lineItems.find((i) => i.lineItemId === lineItemId);
      if (lineItem === undefined) continue;
      const flight = new Flight(lineItem);
      firstMs = Math.min(firstMs, flight.startMs);
      lastMs = Math.max(lastMs, flight.endMs - DAY_MS);
    }
    lastMs = Math.min(lastMs, this.#cancelledMs);
    return firstMs <= lastMs ? { firstMs, lastMs } : undefined;
  }
}
