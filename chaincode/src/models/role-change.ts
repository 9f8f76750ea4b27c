import { plainToInstance, Type } from 'class-transformer';
import { Object as DataType, Property } from 'fabric-contract-api';
import { FieldReader } from '../validation.js';
import { ROLES, type Role } from './role-entry.js';

export const ROLE_CHANGE_STATUSES = ['PENDING', 'APPLIED'] as const;
/** PENDING until the subject organization and a majority of the others approved it, then APPLIED. */
export type RoleChangeStatus = (typeof ROLE_CHANGE_STATUSES)[number];

/** One organization's approval of a role change. */
@DataType()
export class RoleChangeApproval {
  @Property('mspId', 'string')
  mspId = '';

  @Property('approvedAt', 'string')
  approvedAt = '';

  @Property('txId', 'string')
  txId = '';
}

/**
 * A proposal to change (or, without `role`, remove) a registered organization's consortium role, with the approvals
 * it has collected. `proposalId` is the proposing transaction's ID; an approval names it.
 */
@DataType()
export class RoleChange {
  @Property('mspId', 'string')
  mspId = '';

  @Property('fromRole', 'string')
  fromRole: Role = 'ADVERTISER';

  @Property('role', 'string')
  role?: Role;

  @Property('proposalId', 'string')
  proposalId = '';

  @Property('proposedBy', 'string')
  proposedBy = '';

  @Property('proposedAt', 'string')
  proposedAt = '';

  @Property('approvals', 'RoleChangeApproval[]')
  @Type(() => RoleChangeApproval)
  approvals: RoleChangeApproval[] = [];

  @Property('status', 'string')
  status: RoleChangeStatus = 'PENDING';
}

/** The input of `roles:ProposeRoleChange`: the organization and its new role (none = removal). */
export interface RoleChangeInput {
  mspId: string;
  role?: Role;
}

/**
 * Validates a role change input.
 *
 * @throws ValidationError on a missing, malformed or unknown field.
 */
export function parseRoleChangeInput(value: unknown): RoleChangeInput {
  const reader = new FieldReader(value, 'change');
  const input = { mspId: reader.mspId('mspId'), role: reader.optionalOneOf('role', ROLES) };
  reader.done();
  return input;
}

function parseApproval(value: unknown, path: string): RoleChangeApproval {
  const reader = new FieldReader(value, path);
  const plain = {
    mspId: reader.mspId('mspId'),
    approvedAt: reader.timestamp('approvedAt'),
    txId: reader.string('txId', 1, 256),
  };
  reader.done();
  return plainToInstance(RoleChangeApproval, plain);
}

/**
 * Validates a stored role change record.
 *
 * @throws ValidationError when the stored bytes are not a valid role change.
 */
export function parseRoleChange(value: unknown): RoleChange {
  const reader = new FieldReader(value, 'roleChange');
  const plain = {
    mspId: reader.mspId('mspId'),
    fromRole: reader.oneOf('fromRole', ROLES),
    role: reader.optionalOneOf('role', ROLES),
    proposalId: reader.string('proposalId', 1, 256),
    proposedBy: reader.mspId('proposedBy'),
    proposedAt: reader.timestamp('proposedAt'),
    approvals: reader.array('approvals', 1, 1000, parseApproval),
    status: reader.oneOf('status', ROLE_CHANGE_STATUSES),
  };
  reader.done();
  return plainToInstance(RoleChange, plain);
}
