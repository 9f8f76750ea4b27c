import { Context, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { plainToInstance } from 'class-transformer';
import { BaseContract } from './base-contract.js';
import { callerMspId, requireRegistered } from '../access.js';
import { canonicalJson } from '../canonical-json.js';
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import { emitEvent, EVENTS } from '../events.js';
import { KEY_TYPES } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { txTimeIso } from '../ledger/tx-time.js';
import { parseRoleChange, parseRoleChangeInput, RoleChange, RoleChangeApproval } from '../models/role-change.js';
import { parseRoleEntry, RoleEntry } from '../models/role-entry.js';
import { withChanges } from '../models/with-changes.js';
import { hasConsent, requireNoLiveCampaign, writeRole } from '../role-consent.js';
import { checkMspId, parseJsonArgument } from '../validation.js';

const MAX_ENTRIES = 200;

async function allRoles(ledger: Ledger): Promise<RoleEntry[]> {
  return (await ledger.list(KEY_TYPES.role, [], parseRoleEntry)).map((e) => e.value);
}

function sortedByMsp<T extends { mspId: string }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => (a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0));
}

function approval(ctx: Context, mspId: string): RoleChangeApproval {
  return plainToInstance(RoleChangeApproval, { mspId, approvedAt: txTimeIso(ctx), txId: ctx.stub.getTxID() });
}

/**
 * Applies a role change that has consent: writes the new role (with its consent policy over the registry as it
 * will be) or deletes the entry, and marks the change APPLIED.
 */
async function applyChange(
  ctx: Context,
  ledger: Ledger,
  change: RoleChange,
  registered: readonly RoleEntry[],
): Promise<RoleChange> {
  await requireNoLiveCampaign(ctx, change.mspId);
  if (change.role === undefined) {
    await ledger.delete(KEY_TYPES.role, [change.mspId]);
  } else {
    const entry = plainToInstance(RoleEntry, { mspId: change.mspId, role: change.role });
    await writeRole(
      ledger,
      entry,
      registered.map((e) => e.mspId),
    );
  }
  const applied = withChanges(change, { status: 'APPLIED' });
  await ledger.put(KEY_TYPES.roleChange, [change.mspId], applied);
  return applied;
}

/**
 * The consortium role registry: which MSP is an ADVERTISER, an AGENCY or a PUBLISHER. A role is fixed when an
 * organization joins; changing or removing it needs that organization's and a majority of the others' approval.
 */
@Info({ title: 'roles', description: 'Consortium role registry' })
export class RolesContract extends BaseContract {
  constructor() {
    super('roles');
  }

  /**
   * Registers organizations that have no role yet: any caller while the registry is empty (bootstrap at deploy),
   * afterwards only an organization registering itself (onboarding). An entry equal to the registered one is a
   * no-op; one that would change a registered role is refused (use ProposeRoleChange). Each role key gets the
   * key-level policy "a peer of that organization and of a majority of the others".
   *
   * @returns the full registry, sorted by mspId.
   * @throws ValidationError, ForbiddenError.
   */
  @Transaction()
  @Param('entriesJson', 'string')
  @Returns('string')
  async SetRoles(ctx: Context, entriesJson: string): Promise<string> {
    const value = parseJsonArgument(entriesJson, 'entries');
    if (!Array.isArray(value) || value.length < 1 || value.length > MAX_ENTRIES) {
      throw new ValidationError(`entries must be an array of 1 to ${MAX_ENTRIES} {mspId, role} objects`);
    }
    const entries = (value as unknown[]).map((item, index) => parseRoleEntry(item, `entries[${index}]`));
    const ids = new Set(entries.map((e) => e.mspId));
    if (ids.size !== entries.length) {
      throw new ValidationError('entries name an mspId twice');
    }
    const ledger = new Ledger(ctx);
    const existing = await allRoles(ledger);
    const caller = callerMspId(ctx);
    const registered = new Map(existing.map((e) => [e.mspId, e]));
    const added: RoleEntry[] = [];
    for (const entry of entries) {
      const current = registered.get(entry.mspId);
      if (current === undefined) {
        if (existing.length > 0 && entry.mspId !== caller) {
          throw new ForbiddenError(
            `organization ${caller} may not register ${entry.mspId}: once the registry is bootstrapped, an organization registers only itself`,
          );
        }
        added.push(entry);
      } else if (current.role !== entry.role) {
        throw new ForbiddenError(
          `organization ${entry.mspId} is registered as ${current.role}; a role changes only through roles:ProposeRoleChange with its own and a majority's approval`,
        );
      }
    }
    const merged = new Map(registered);
    for (const entry of added) {
      merged.set(entry.mspId, entry);
    }
    const list = sortedByMsp(merged.values());
    if (added.length > 0) {
      for (const entry of sortedByMsp(added)) {
        await writeRole(
          ledger,
          entry,
          list.map((e) => e.mspId),
        );
      }
      emitEvent(ctx, EVENTS.rolesUpdated, {
        mspIds: added.map((e) => e.mspId).sort(),
        parties: list.map((e) => e.mspId),
      });
      ctx.logging
        .getLogger('roles')
        .info(`roles registered by ${caller}: ${added.map((e) => `${e.mspId}=${e.role}`).join(', ')}`);
    }
    return canonicalJson(list);
  }

  /**
   * Proposes to change a registered organization's role, or to remove it (`role` left out). Any registered
   * organization may propose; its approval counts. A pending proposal for the same organization is replaced
   * (approvals start again). The change applies as soon as the organization itself and a majority of the others
   * approved; never while the organization is a party of a PROPOSED or ACTIVE campaign.
   *
   * @param changeJson `{"mspId","role"?}`.
   * @returns the role change record (status PENDING or APPLIED).
   * @throws ValidationError, ForbiddenError, NotFoundError ROLE_NOT_FOUND, InvalidStateError (live campaign).
   */
  @Transaction()
  @Param('changeJson', 'string')
  @Returns('string')
  async ProposeRoleChange(ctx: Context, changeJson: string): Promise<string> {
    const input = parseRoleChangeInput(parseJsonArgument(changeJson, 'change'));
    const ledger = new Ledger(ctx);
    const registered = await allRoles(ledger);
    const caller = callerMspId(ctx);
    requireRegistered(ctx, registered);
    const current = registered.find((e) => e.mspId === input.mspId);
    if (current === undefined) {
      throw new NotFoundError('ROLE_NOT_FOUND', `organization ${input.mspId} has no registered role`);
    }
    if (current.role === input.role) {
      throw new ValidationError(`organization ${input.mspId} already holds role ${current.role}`);
    }
    await requireNoLiveCampaign(ctx, input.mspId);
    const proposed = plainToInstance(RoleChange, {
      mspId: input.mspId,
      fromRole: current.role,
      role: input.role,
      proposalId: ctx.stub.getTxID(),
      proposedBy: caller,
      proposedAt: txTimeIso(ctx),
      approvals: [approval(ctx, caller)],
      status: 'PENDING',
    });
    const after = registryAfter(registered, proposed);
    const record = hasConsent(proposed, registered)
      ? await applyChange(ctx, ledger, proposed, after)
      : (await ledger.put(KEY_TYPES.roleChange, [input.mspId], proposed), proposed);
    emitRoleChange(ctx, record, registered);
    return canonicalJson(record);
  }

  /**
   * Approves the pending role change of an organization, named by its proposalId; applies it when consent is
   * reached. A repeated approval is a no-op.
   *
   * @returns the role change record.
   * @throws ForbiddenError (unregistered caller), NotFoundError ROLE_NOT_FOUND (no such change), ConflictError
   * (proposalId is not the pending proposal), InvalidStateError (already applied, live campaign).
   */
  @Transaction()
  @Param('mspId', 'string')
  @Param('proposalId', 'string')
  @Returns('string')
  async ApproveRoleChange(ctx: Context, mspId: string, proposalId: string): Promise<string> {
    checkMspId(mspId, 'mspId');
    const ledger = new Ledger(ctx);
    const registered = await allRoles(ledger);
    const caller = callerMspId(ctx);
    requireRegistered(ctx, registered);
    const change = await ledger.get(KEY_TYPES.roleChange, [mspId], parseRoleChange);
    if (change === undefined) {
      throw new NotFoundError('ROLE_NOT_FOUND', `organization ${mspId} has no proposed role change`);
    }
    if (change.proposalId !== proposalId) {
      throw new ConflictError(`the role change of ${mspId} is proposal ${change.proposalId}, not ${proposalId}`);
    }
    if (change.status !== 'PENDING') {
      throw new InvalidStateError(`the role change ${proposalId} of ${mspId} is already ${change.status}`);
    }
    if (change.approvals.some((a) => a.mspId === caller)) {
      return canonicalJson(change);
    }
    const approved = withChanges(change, {
      approvals: sortedByMsp([...change.approvals, approval(ctx, caller)]),
    });
    const record = hasConsent(approved, registered)
      ? await applyChange(ctx, ledger, approved, registryAfter(registered, approved))
      : (await ledger.put(KEY_TYPES.roleChange, [mspId], approved), approved);
    emitRoleChange(ctx, record, registered);
    return canonicalJson(record);
  }

  /**
   * @returns the latest role change record of an organization (PENDING or APPLIED).
   * @throws ValidationError, NotFoundError ROLE_NOT_FOUND.
   */
  @Transaction(false)
  @Param('mspId', 'string')
  @Returns('string')
  async GetRoleChange(ctx: Context, mspId: string): Promise<string> {
    checkMspId(mspId, 'mspId');
    const change = await new Ledger(ctx).get(KEY_TYPES.roleChange, [mspId], parseRoleChange);
    if (change === undefined) {
      throw new NotFoundError('ROLE_NOT_FOUND', `organization ${mspId} has no proposed role change`);
    }
    return canonicalJson(change);
  }

  /**
   * @returns `{mspId, role}`.
   * @throws ValidationError, NotFoundError ROLE_NOT_FOUND.
   */
  @Transaction(false)
  @Param('mspId', 'string')
  @Returns('string')
  async GetRole(ctx: Context, mspId: string): Promise<string> {
    checkMspId(mspId, 'mspId');
    const entry = await new Ledger(ctx).get(KEY_TYPES.role, [mspId], parseRoleEntry);
    if (entry === undefined) {
      throw new NotFoundError('ROLE_NOT_FOUND', `organization ${mspId} has no registered role`);
    }
    return canonicalJson(entry);
  }

  /** @returns every registry entry, sorted by mspId. */
  @Transaction(false)
  @Returns('string')
  async ListRoles(ctx: Context): Promise<string> {
    return canonicalJson(await allRoles(new Ledger(ctx)));
  }
}

function registryAfter(registered: readonly RoleEntry[], change: RoleChange): RoleEntry[] {
  return registered.filter((e) => e.mspId !== change.mspId || change.role !== undefined);
}

function emitRoleChange(ctx: Context, change: RoleChange, registered: readonly RoleEntry[]): void {
  const name =
    change.status === 'APPLIED'
      ? EVENTS.roleChanged
      : change.approvals.length === 1
        ? EVENTS.roleChangeProposed
        : EVENTS.roleChangeApproved;
  emitEvent(ctx, name, {
    mspId: change.mspId,
    fromRole: change.fromRole,
    role: change.role,
    proposalId: change.proposalId,
    approvals: change.approvals.map((a) => a.mspId),
    status: change.status,
    parties: registered.map((e) => e.mspId),
  });
}
