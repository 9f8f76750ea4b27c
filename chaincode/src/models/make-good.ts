import { makeGoodSchema } from '@adrecon/contract';
import { recordParser } from '../arguments.js';

export type { MakeGood, MakeGoodInput } from '@adrecon/contract';

/**
 * Validates a stored make-good record.
 *
 * @throws ValidationError when the stored bytes are not a valid make-good.
 */
export const parseMakeGood = recordParser(makeGoodSchema, 'makeGood');
