import { roleChangeSchema } from '@adrecon/contract';
import { recordParser } from '../arguments.js';

export type { RoleChange, RoleChangeApproval, RoleChangeInput, RoleChangeStatus } from '@adrecon/contract';

/**
 * Validates a stored role change record.
 *
 * @throws ValidationError when the stored bytes are not a valid role change.
 */
export const parseRoleChange = recordParser(roleChangeSchema, 'roleChange');
