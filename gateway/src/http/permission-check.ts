import type { Response } from 'express';
import type { Principal } from '../auth/api-keys';
import { roleAllows, type Permission } from '../auth/permissions';
import { AppError } from '../errors';

/**
 * The authenticated principal (set by the authentication middleware).
 *
 * @throws {AppError} UNAUTHENTICATED when no principal was set.
 */
export function principalOf(res: Response): Principal {
  const principal = (res.locals as { principal?: Principal }).principal;
  if (principal === undefined) throw new AppError('UNAUTHENTICATED', 'missing API key');
  return principal;
}

/**
 * Refuses a principal whose role does not grant the route's permission.
 *
 * @throws {AppError} FORBIDDEN.
 */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (!roleAllows(principal.role, permission)) {
    throw new AppError('FORBIDDEN', `role ${principal.role} may not ${permission}`);
  }
}
