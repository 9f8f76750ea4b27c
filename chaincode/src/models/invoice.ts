import { plainToInstance, Type } from 'class-transformer';
import { Object as DataType, Property } from 'fabric-contract-api';
import { ValidationError } from '../errors.js';
import { dateToEpochMs, FieldReader } from '../validation.js';

export const INVOICE_STATUSES = ['ISSUED', 'PARTIALLY_PAID', 'PAID'] as const;
/** ISSUED → PARTIALLY_PAID → PAID as payments arrive. */
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** What the publisher sends to invoice a line item for a range of days (inclusive). */
export interface InvoiceInput {
  invoiceId: string;
  campaignId: string;
  lineItemId: string;
  periodStart: string;
  periodEnd: string;
}

/** The billable impressions of one reconciliation period frozen into an invoice. */
@DataType()
export class InvoicePeriod {
  @Property('periodStart', 'string')
  periodStart = '';

  @Property('billableImpressions', 'number')
  billableImpressions = 0;
}

/** An invoice as stored. The amount is computed by the chaincode, never sent by a client. */
@DataType()
export class Invoice implements InvoiceInput {
  @Property('invoiceId', 'string')
  invoiceId = '';

  @Property('campaignId', 'string')
  campaignId = '';

  @Property('lineItemId', 'string')
  lineItemId = '';

  @Property('periodStart', 'string')
  periodStart = '';

  @Property('periodEnd', 'string')
  periodEnd = '';

  @Property('publisher', 'string')
  publisher = '';

  @Property('advertiser', 'string')
  advertiser = '';

  @Property('agency', 'string')
  agency = '';

  @Property('currency', 'string')
  currency = '';

  @Property('cpmMicros', 'number')
  cpmMicros = 0;

  @Property('billableImpressions', 'number')
  billableImpressions = 0;

  @Property('periods', 'InvoicePeriod[]')
  @Type(() => InvoicePeriod)
  periods: InvoicePeriod[] = [];

  @Property('amountMicros', 'number')
  amountMicros = 0;

  @Property('paidMicros', 'number')
  paidMicros = 0;

  @Property('status', 'string')
  status: InvoiceStatus = 'ISSUED';

  @Property('issuedAt', 'string')
  issuedAt = '';

  @Property('dueDate', 'string')
  dueDate = '';

  @Property('txId', 'string')
  txId = '';
}

function readInput(reader: FieldReader): InvoiceInput {
  const input = {
    invoiceId: reader.id('invoiceId'),
    campaignId: reader.id('campaignId'),
    lineItemId: reader.id('lineItemId'),
    periodStart: reader.date('periodStart'),
    periodEnd: reader.date('periodEnd'),
  };
  if (dateToEpochMs(input.periodEnd, 'periodEnd') < dateToEpochMs(input.periodStart, 'periodStart')) {
    throw new ValidationError(`${reader.at('periodEnd')} must not be before periodStart`);
  }
  return input;
}

/**
 * Validates the `billing:IssueInvoice` input.
 *
 * @throws ValidationError on a missing, malformed or unknown field.
 */
export function parseInvoiceInput(value: unknown): InvoiceInput {
  const reader = new FieldReader(value, 'invoice');
  const input = readInput(reader);
  reader.done();
  return input;
}

function readPeriod(value: unknown, path: string): InvoicePeriod {
  const reader = new FieldReader(value, path);
  const plain = {
    periodStart: reader.instant('periodStart'),
    billableImpressions: reader.count('billableImpressions'),
  };
  reader.done();
  return plainToInstance(InvoicePeriod, plain);
}

/**
 * Validates a stored invoice record.
 *
 * @throws ValidationError when the stored bytes are not a valid invoice.
 */
export function parseInvoice(value: unknown): Invoice {
  const reader = new FieldReader(value, 'invoice');
  const plain = {
    ...readInput(reader),
    publisher: reader.mspId('publisher'),
    advertiser: reader.mspId('advertiser'),
    agency: reader.mspId('agency'),
    currency: reader.currency('currency'),
    cpmMicros: reader.count('cpmMicros'),
    billableImpressions: reader.count('billableImpressions'),
    periods: reader.array('periods', 1, 100_000, readPeriod),
    amountMicros: reader.count('amountMicros'),
    paidMicros: reader.count('paidMicros'),
    status: reader.oneOf('status', INVOICE_STATUSES),
    issuedAt: reader.timestamp('issuedAt'),
    dueDate: reader.date('dueDate'),
    txId: reader.string('txId', 1, 256),
  };
  reader.done();
  return plainToInstance(Invoice, plain);
}
