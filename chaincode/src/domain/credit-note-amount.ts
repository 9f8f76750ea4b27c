import type { CreditedPeriod, CreditNote, Invoice } from '@adrecon/contract';
import { InvalidStateError } from '../errors.js';

/** Units of an invoiced day already taken back by `notes`. */
export function creditedUnits(notes: readonly Pick<CreditNote, 'periods'>[], periodStart: string): number {
  let sum = 0;
  for (const note of notes) {
    for (const period of note.periods) {
      if (period.periodStart === periodStart) sum += period.impressions;
    }
  }
  return sum;
}

/**
 * The amount in micros of a credit note against `invoice`, after the `earlier` notes (issued or accepted): each
 * credited day must be one of the invoice's days and may take back at most its billed units not yet credited; the
 * amount is Σ units × the day's frozen price / 1000, rounded half up once (as the invoice was), or for a flat-fee day
 * ⌊the day's frozen share × units / its billed units⌋; and all notes together never exceed the invoice's amount.
 *
 * @throws InvalidStateError naming the day or the amounts when a rule is broken, or when the note credits nothing.
 */
export function creditNoteAmount(
  invoice: Pick<Invoice, 'invoiceId' | 'periods' | 'cpmMicros' | 'billableUnit' | 'amountMicros'>,
  earlier: readonly Pick<CreditNote, 'periods' | 'amountMicros'>[],
  periods: readonly CreditedPeriod[],
): number {
  let exact = 0n;
  let flat = 0n;
  for (const period of periods) {
    const day = invoice.periods.find((p) => p.periodStart === period.periodStart);
    if (day === undefined) {
      throw new InvalidStateError(`${period.periodStart} is not a day of invoice ${invoice.invoiceId}`);
    }
    const left = day.billableImpressions - creditedUnits(earlier, period.periodStart);
    if (period.impressions > left) {
      throw new InvalidStateError(
        `${period.periodStart} of invoice ${invoice.invoiceId} has ${left} billed units left to credit, not ${period.impressions}`,
      );
    }
    if (invoice.billableUnit === 'FLAT_FEE') {
      flat += (BigInt(day.amountMicros ?? 0) * BigInt(period.impressions)) / BigInt(day.billableImpressions);
    } else {
      exact += BigInt(period.impressions) * BigInt(day.cpmMicros ?? invoice.cpmMicros);
    }
  }
  const amount = flat + (exact + 500n) / 1000n;
  const creditedBefore = earlier.reduce((sum, note) => sum + BigInt(note.amountMicros), 0n);
  if (amount + creditedBefore > BigInt(invoice.amountMicros)) {
    throw new InvalidStateError(
      `a credit of ${amount} micros would take the credits of invoice ${invoice.invoiceId} past its ${invoice.amountMicros} micros (${creditedBefore} already credited)`,
    );
  }
  if (amount === 0n) {
    throw new InvalidStateError(`the credit note credits nothing (0 micros)`);
  }
  return Number(amount);
}
