import { creditNoteSchema } from '@adrecon/contract';
import { recordParser } from '../arguments.js';

export type { CreditNote, CreditNoteInput } from '@adrecon/contract';

/**
 * Validates a stored credit note record.
 *
 * @throws ValidationError when the stored bytes are not a valid credit note.
 */
export const parseCreditNote = recordParser(creditNoteSchema, 'creditNote');
