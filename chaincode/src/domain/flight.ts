import { InvalidStateError } from '../errors.js';
import type { LineItem } from '../models/campaign.js';
import { DAY_MS, dateMs } from './calendar.js';

/** A line item's flight as a half-open range of instants: from its first day's start to its last day's end. */
export class Flight {
  readonly startMs: number;
  readonly endMs: number;
  readonly #lineItem: Pick<LineItem, 'lineItemId' | 'flightStart' | 'flightEnd'>;

  constructor(lineItem: Pick<LineItem, 'lineItemId' | 'flightStart' | 'flightEnd'>) {
    this.#lineItem = lineItem;
    this.startMs = dateMs(lineItem.flightStart, 'flightStart');
    this.endMs = dateMs(lineItem.flightEnd, 'flightEnd') + DAY_MS;
  }

  /** Whether `[startMs, endMs)` lies inside the flight. */
  contains(startMs: number, endMs: number): boolean {
    return startMs >= this.startMs && endMs <= this.endMs;
  }

  /**
   * Refuses a period outside the flight.
   *
   * @throws InvalidStateError naming the period, the flight and the line item.
   */
  require(startMs: number, endMs: number, label: string): void {
    if (!this.contains(startMs, endMs)) {
      const { flightStart, flightEnd, lineItemId } = this.#lineItem;
      throw new InvalidStateError(
        `period ${label} is outside the flight ${flightStart}..${flightEnd} of line item ${lineItemId}`,
      );
    }
  }
}
