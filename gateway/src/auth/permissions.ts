import { USER_ROLE_PERMISSIONS, userRoleAllows, type UserPermission, type UserRole } from '@adrecon/contract';

/**
 * What a route needs from the caller's user role: the contract package's permissions, the same table the chaincode
 * enforces from the `adrecon.role` attribute of the signing user's certificate.
 */
export type Permission = UserPermission;

/** The role rules (`USER_ROLE_PERMISSIONS` of the contract package), documented in docs/api.md. */
export const ROLE_PERMISSIONS: Readonly<Record<UserRole, ReadonlySet<Permission>>> = USER_ROLE_PERMISSIONS;

/** True when the role grants the permission. */
export function roleAllows(role: UserRole, permission: Permission): boolean {
  return userRoleAllows(role, permission);
}
