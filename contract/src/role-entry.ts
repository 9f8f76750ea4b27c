import { z } from 'zod';
import { ROLE_CHANGE_STATUSES, ROLES } from './enums.js';
import { LIMITS } from './limits.js';
import { jsonObject, mspIdSchema, rule, timestampSchema, txIdSchema } from './primitives.js';

/** An entry of the role registry: which consortium role an MSP holds. */
const roleSchema = z.enum(ROLES, rule(`must be one of ${ROLES.join(', ')}`));

export const roleEntrySchema = jsonObject({ mspId: mspIdSchema, role: roleSchema });
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

/** The `roles:ProposeRoleChange` argument: the organization and its new role (none = removal). */
export const roleChangeInputSchema = jsonObject({ mspId: mspIdSchema, role: roleSchema.optional() });
/** A role change input. */
export type RoleChangeInput = z.output<typeof roleChangeInputSchema>;

/** One organization's approval of a role change. */
export const roleChangeApprovalSchema = jsonObject({
  mspId: mspIdSchema,
  approvedAt: timestampSchema,
  txId: txIdSchema,
});
/** One approval. */
export type RoleChangeApproval = z.output<typeof roleChangeApprovalSchema>;

/**
 * A proposal to change (or, without `role`, remove) a registered organization's consortium role, with the approvals
 * it has collected. `proposalId` is the proposing transaction's ID; an approval names it.
 */
export const roleChangeSchema = jsonObject({
  mspId: mspIdSchema,
  fromRole: roleSchema,
  role: roleSchema.optional(),
  proposalId: txIdSchema,
  proposedBy: mspIdSchema,
  proposedAt: timestampSchema,
  approvals: z.array(roleChangeApprovalSchema).min(1).max(LIMITS.roleChangeApprovals),
  status: z.enum(ROLE_CHANGE_STATUSES, rule(`must be one of ${ROLE_CHANGE_STATUSES.join(', ')}`)),
});
/** A stored role change. */
export type RoleChange = z.output<typeof roleChangeSchema>;
