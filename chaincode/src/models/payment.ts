import { paymentSchema } from '@adrecon/contract';
import { recordParser } from '../arguments.js';

export type { Payment, PaymentInput } from '@adrecon/contract';

/**
 * Validates a stored payment record.
 *
 * @throws ValidationError when the stored bytes are not a valid payment.
 */
export const parsePayment = recordParser(paymentSchema, 'payment');
