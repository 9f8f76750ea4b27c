import type { UserRole } from './api-keys';

/** What a route needs from the caller's user role. The chaincode still enforces organization-level rules. */
export type Permission =
  'read' | 'campaigns:write' | 'delivery:write' | 'resolutions:write' | 'billing:invoice' | 'billing:pay';

/** The role rules, documented in docs/api.md. */
export const ROLE_PERMISSIONS: Readonly<Record<UserRole, ReadonlySet<Permission>>> = {
  operations: new Set<Permission>(['read', 'campaigns:write', 'delivery:write', 'resolutions:write']),
  finance: new Set<Permission>(['read', 'resolutions:write', 'billing:invoice', 'billing:pay']),
  admin: new Set<Permission>([
    'read',
    'campaigns:write',
    'delivery:write',
    'resolutions:write',
    'billing:invoice',
    'billing:pay',
  ]),
};

/** True when the role grants the permission. */
export function roleAllows(role: UserRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
