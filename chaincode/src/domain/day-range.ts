import { DAY_MS, dateMs, dayStartOf, instantMs } from './calendar.js';

/** An inclusive range of days (`from`/`to` dates, either open), parsed once; each row's day is in its campaign's zone. */
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

  /**
   * Whether a row's day lies in the range: its `day` in the campaign's zone (rows derived before time zones have
   * none: the UTC day of `periodStart`).
   */
  includes(row: { readonly day?: string | undefined; readonly periodStart: string }): boolean {
    const dayMs =
      row.day === undefined ? dayStartOf(instantMs(row.periodStart, 'periodStart')) : dateMs(row.day, 'day');
    return (this.#fromMs === undefined || dayMs >= this.#fromMs) && (this.#toMs === undefined || dayMs <= this.#toMs);
  }
}
