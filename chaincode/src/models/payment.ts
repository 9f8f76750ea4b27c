import { plainToInstance } from 'class-transformer';
import { Object as DataType, Property } from 'fabric-contract-api';
import { FieldReader } from '../validation.js';

/** What the advertiser or agency sends to record a payment. */
export interface PaymentInput {
  paymentId: string;
  invoiceId: string;
  amountMicros: number;
  reference: string;
}

/** A payment as stored; immutable once written. */
@DataType()
export class Payment implements PaymentInput {
  @Property('paymentId', 'string')
  paymentId = '';

  @Property('invoiceId', 'string')
  invoiceId = '';

  @Property('amountMicros', 'number')
  amountMicros = 0;

  @Property('reference', 'string')
  reference = '';

  @Property('paidBy', 'string')
  paidBy = '';

  @Property('paidAt', 'string')
  paidAt = '';

  @Property('txId', 'string')
  txId = '';
}

function readInput(reader: FieldReader): PaymentInput {
  return {
    paymentId: reader.id('paymentId'),
    invoiceId: reader.id('invoiceId'),
    amountMicros: reader.positive('amountMicros'),
    reference: reader.string('reference', 1, 200),
  };
}

/**
 * Validates the `billing:RecordPayment` input.
 *
 * @throws ValidationError on a missing, malformed or unknown field.
 */
export function parsePaymentInput(value: unknown): PaymentInput {
  const reader = new FieldReader(value, 'payment');
  const input = readInput(reader);
  reader.done();
  return input;
}

/**
 * Validates a stored payment record.
 *
 * @throws ValidationError when the stored bytes are not a valid payment.
 */
export function parsePayment(value: unknown): Payment {
  const reader = new FieldReader(value, 'payment');
  const plain = {
    ...readInput(reader),
    paidBy: reader.mspId('paidBy'),
    paidAt: reader.timestamp('paidAt'),
    txId: reader.string('txId', 1, 256),
  };
  reader.done();
  return plainToInstance(Payment, plain);
}
