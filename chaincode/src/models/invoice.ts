import { invoiceSchema } from '@adrecon/contract';
import { recordParser } from '../arguments.js';

export type { Invoice, InvoiceInput, InvoicePeriod, InvoiceStatus } from '@adrecon/contract';

/**
 * Validates a stored invoice record.
 *
 * @throws ValidationError when the stored bytes are not a valid invoice.
 */
export const parseInvoice = recordParser(invoiceSchema, 'invoice');
