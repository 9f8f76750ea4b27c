import { DAY_MS, dateMs, dayStartOf, instantMs } from './calendar.js';

/** An inclusive range of UTC days (`from`/`to` dates, either open), parsed once. */
export class DayRange {
  readonly #fromMs: number | undefined;
  readonly #toMs: number | undefined;

  private constructor(fromMs: number | undefined, toMs: number | undefined) {
    this.#fromMs = fromMs;
    this.#toMs = toMs;
  }

  /** The range of a validated query (the contract checked the dates and that `to` is not before `from`). */
  static of(query: { from?: string | undefined; to?: string | undefined }): DayRange {
    return new DayRange(
      query.from === undefined ? undefined : dateMs(query.from, 'from'),
      query.to === undefined ? undefined : dateMs(query.to, 'to') + DAY_MS - 1,
    );
  }

  /** Whether the UTC day of an instant lies in the range. */
  includes(instant: string): boolean {
    const dayMs = dayStartOf(instantMs(instant, 'periodStart'));
    return (this.#fromMs === undefined || dayMs >= this.#fromMs) && (this.#toMs === undefined || dayMs <= this.#toMs);
  }
}
