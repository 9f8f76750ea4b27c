import { z } from 'zod';
import { ROLES } from './enums.js';
import { LIMITS } from './limits.js';
import { jsonObject, mspIdSchema, rule } from './primitives.js';

/** An entry of the role registry: which consortium role an MSP holds. */
export const roleEntrySchema = jsonObject({
  mspId: mspIdSchema,
  role: z.enum(ROLES, rule(`must be one of ${ROLES.join(', ')}`)),
});
/** A role entry. */
export type RoleEntry = z.output<typeof roleEntrySchema>;

/** The `roles:SetRoles` argument: 1..200 entries, each mspId once. */
export const roleEntriesSchema = z
  .array(roleEntrySchema, rule(`must be an array of 1 to ${LIMITS.roleEntries} {mspId, role} objects`))
  .min(1, rule(`must be an array of 1 to ${LIMITS.roleEntries} {mspId, role} objects`))
  .max(LIMITS.roleEntries, rule(`must be an array of 1 to ${LIMITS.roleEntries} {mspId, role} objects`))
  .refine((entries) => new Set(entries.map((e) => e.mspId)).size === entries.length, {
    message: 'name an mspId twice',
  });
