import { TRANSACTIONS } from '@adrecon/contract';
import { Context, Info, Transaction } from 'fabric-contract-api';
import { encodeResult, parseTransactionArguments } from '../arguments.js';
import { BaseContract } from './base-contract.js';
import { callerMspId, requireRegistrar } from '../access.js';
import { NotFoundError } from '../errors.js';
import { emitEvent, EVENTS } from '../events.js';
import { KEY_TYPES } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { parseRoleEntry, type RoleEntry } from '../models/role-entry.js';

const TX = TRANSACTIONS.roles;

async function allRoles(ledger: Ledger): Promise<RoleEntry[]> {
  return (await ledger.list(KEY_TYPES.role, [], parseRoleEntry)).map((e) => e.value);
}

/** The consortium role registry: which MSP is an ADVERTISER, an AGENCY or a PUBLISHER. */
@Info({ title: 'roles', description: 'Consortium role registry' })
export class RolesContract extends BaseContract {
  constructor() {
    super('roles');
  }

  /**
   * Registers or changes roles. Allowed when the registry is empty (bootstrap) or to a registered organization;
   * the chaincode-level endorsement policy (MAJORITY) protects it.
   *
   * @returns the full registry, sorted by mspId.
   * @throws ValidationError, ForbiddenError.
   */
  @Transaction()
  async SetRoles(ctx: Context, entriesJson: string): Promise<string> {
    const [entries] = parseTransactionArguments(TX.SetRoles, [entriesJson]);
    const ledger = new Ledger(ctx);
    const existing = await allRoles(ledger);
    requireRegistrar(ctx, existing);
    const caller = callerMspId(ctx);
    for (const entry of entries) {
      await ledger.put(KEY_TYPES.role, [entry.mspId], entry);
    }
    const merged = new Map(existing.map((e) => [e.mspId, e]));
    for (const entry of entries) {
      merged.set(entry.mspId, entry);
    }
    const list = [...merged.values()].sort((a, b) => (a.mspId < b.mspId ? -1 : 1));
    emitEvent(ctx, EVENTS.rolesUpdated, {
      mspIds: entries.map((e) => e.mspId).sort(),
      parties: list.map((e) => e.mspId),
    });
    ctx.logging
      .getLogger('roles')
      .info(`roles set by ${caller}: ${entries.map((e) => `${e.mspId}=${e.role}`).join(', ')}`);
    return encodeResult(TX.SetRoles, list);
  }

  /**
   * @returns `{mspId, role}`.
   * @throws ValidationError, NotFoundError ROLE_NOT_FOUND.
   */
  @Transaction(false)
  async GetRole(ctx: Context, mspId: string): Promise<string> {
    parseTransactionArguments(TX.GetRole, [mspId]);
    const entry = await new Ledger(ctx).get(KEY_TYPES.role, [mspId], parseRoleEntry);
    if (entry === undefined) {
      throw new NotFoundError('ROLE_NOT_FOUND', `organization ${mspId} has no registered role`);
    }
    return encodeResult(TX.GetRole, entry);
  }

  /** @returns every registry entry, sorted by mspId. */
  @Transaction(false)
  async ListRoles(ctx: Context): Promise<string> {
    return encodeResult(TX.ListRoles, await allRoles(new Ledger(ctx)));
  }
}
