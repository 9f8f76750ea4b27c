import { plainToInstance } from 'class-transformer';
import { Object as DataType, Property } from 'fabric-contract-api';
import { FieldReader } from '../validation.js';

/** The consortium roles an organization can hold. */
export const ROLES = ['ADVERTISER', 'AGENCY', 'PUBLISHER'] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** An entry of the role registry: which consortium role an MSP holds. */
@DataType()
export class RoleEntry {
  @Property('mspId', 'string')
  mspId = '';

  @Property('role', 'string')
  role: Role = 'ADVERTISER';
}

/**
 * Validates a role entry (input or stored).
 *
 * @throws ValidationError on a missing, malformed or unknown field.
 */
export function parseRoleEntry(value: unknown, path = 'role'): RoleEntry {
  const reader = new FieldReader(value, path);
  const plain = { mspId: reader.mspId('mspId'), role: reader.oneOf('role', ROLES) };
  reader.done();
  return plainToInstance(RoleEntry, plain);
}
