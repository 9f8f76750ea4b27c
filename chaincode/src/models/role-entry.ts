import { roleEntrySchema } from '@adrecon/contract';
import { recordParser } from '../arguments.js';

export type { Role, RoleEntry } from '@adrecon/contract';

/**
 * Validates a stored role entry.
 *
 * @throws ValidationError on a missing, malformed or unknown field.
 */
export const parseRoleEntry = recordParser(roleEntrySchema, 'role');
