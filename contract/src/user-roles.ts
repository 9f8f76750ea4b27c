/**
 * Users inside an organization: the `adrecon.role` attribute its Fabric CA writes into a user's certificate, and
 * the one table of which transactions each user role may submit. The chaincode enforces it on every write (in
 * addition to the organization's consortium role); the REST gateway applies the same table to its routes.
 */

/** The certificate attribute (Fabric CA `--id.attrs adrecon.role=…:ecert`) that carries a user's role. */
export const USER_ROLE_ATTRIBUTE = 'adrecon.role';

/** The roles a user can hold inside its organization. */
export const USER_ROLES = ['operations', 'finance', 'admin'] as const;
/** One of {@link USER_ROLES}. */
export type UserRole = (typeof USER_ROLES)[number];

/** What a write (or a read) needs from the calling user's role. */
export const USER_PERMISSIONS = [
  'read',
  'campaigns:write',
  'delivery:write',
  'resolutions:write',
  'billing:invoice',
  'billing:pay',
  'registry:write',
] as const;
/** One of {@link USER_PERMISSIONS}. */
export type UserPermission = (typeof USER_PERMISSIONS)[number];

/**
 * The role table: operations propose, amend, accept, cancel and complete campaigns and report delivery; finance
 * invoices and pays; both resolve disputes; admin may do everything, including the consortium's role registry.
 */
export const USER_ROLE_PERMISSIONS: Readonly<Record<UserRole, ReadonlySet<UserPermission>>> = {
  operations: new Set<UserPermission>(['read', 'campaigns:write', 'delivery:write', 'resolutions:write']),
  finance: new Set<UserPermission>(['read', 'resolutions:write', 'billing:invoice', 'billing:pay']),
  admin: new Set<UserPermission>(USER_PERMISSIONS),
};

/**
 * The permission each submitted transaction (`contract:Name`) needs. Evaluated transactions need only `read`,
 * which a user without a role holds too.
 */
export const TRANSACTION_PERMISSIONS: Readonly<Record<string, UserPermission>> = {
  'roles:SetRoles': 'registry:write',
  'roles:ProposeRoleChange': 'registry:write',
  'roles:ApproveRoleChange': 'registry:write',
  'campaigns:Propose': 'campaigns:write',
  'campaigns:Amend': 'campaigns:write',
  'campaigns:SetLineItemTerms': 'campaigns:write',
  'campaigns:Accept': 'campaigns:write',
  'campaigns:Cancel': 'campaigns:write',
  'campaigns:Complete': 'campaigns:write',
  'campaigns:ProposeMakeGood': 'campaigns:write',
  'campaigns:AcceptMakeGood': 'campaigns:write',
  'delivery:Submit': 'delivery:write',
  'delivery:SubmitBatch': 'delivery:write',
  'reconciliation:ProposeResolution': 'resolutions:write',
  'reconciliation:AcceptResolution': 'resolutions:write',
  'billing:IssueInvoice': 'billing:invoice',
  'billing:RecordPayment': 'billing:pay',
  'billing:IssueCreditNote': 'billing:invoice',
  'billing:AcceptCreditNote': 'billing:pay',
};

/** Narrows an attribute value to a user role. */
export function isUserRole(value: unknown): value is UserRole {
  return typeof value === 'string' && (USER_ROLES as readonly string[]).includes(value);
}

/** True when a user with `role` (undefined: no role attribute, read only) holds `permission`. */
export function userRoleAllows(role: UserRole | undefined, permission: UserPermission): boolean {
  if (permission === 'read') return true;
  return role !== undefined && USER_ROLE_PERMISSIONS[role].has(permission);
}
