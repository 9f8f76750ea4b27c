import { resolutionSchema } from '@adrecon/contract';
import { recordParser } from '../arguments.js';

export type { Resolution, ResolutionSide, ResolutionStatus } from '@adrecon/contract';

/**
 * Validates a stored resolution record.
 *
 * @throws ValidationError when the stored bytes are not a valid resolution.
 */
export const parseResolution = recordParser(resolutionSchema, 'resolution');
