import type { Context } from 'fabric-contract-api';
import { InvalidStateError } from './errors.js';
import { consentPolicy, majorityOf } from './ledger/consent-policy.js';
import { KEY_TYPES } from './ledger/keys.js';
import { Ledger } from './ledger/ledger.js';
import type { RoleChange } from './models/role-change.js';
import type { RoleEntry } from './models/role-entry.js';

/**
 * Whether a role change has the consent it needs: the approval of the organization it changes and of a majority
 * of the other registered organizations.
 */
export function hasConsent(change: Pick<RoleChange, 'mspId' | 'approvals'>, registered: readonly RoleEntry[]): boolean {
  const approvers = new Set(change.approvals.map((a) => a.mspId));
  const others = registered.map((e) => e.mspId).filter((id) => id !== change.mspId);
  const approvingOthers = others.filter((id) => approvers.has(id)).length;
  return approvers.has(change.mspId) && (others.length === 0 || approvingOthers >= majorityOf(others.length));
}

/**
 * Requires that `mspId` is not a party of a live (PROPOSED or ACTIVE) campaign: there it holds the role its
 * position needs, which it may never lose.
 *
 * @throws InvalidStateError naming the first such campaign.
 */
export async function requireNoLiveCampaign(ctx: Context, mspId: string): Promise<void> {
  const ledger = new Ledger(ctx);
  // The campaigns are private to their parties: the public markers' `live` fact is what every endorser can read.
  for (const attributes of await ledger.listKeys(KEY_TYPES.campaignByParty, [mspId])) {
    const campaignId = attributes[1] ?? '';
    const marker = await ledger.marker(KEY_TYPES.campaign, [campaignId]);
    if (marker?.live === true && marker.m.includes(mspId)) {
      throw new InvalidStateError(
        `organization ${mspId} is a party of a live campaign (${campaignId}) and keeps its role until that campaign ends`,
      );
    }
  }
}

/**
 * Writes an organization's role entry with the key-level policy that protects it: a peer of that organization and
 * a peer of a majority of the other registered organizations must endorse any later change.
 */
export async function writeRole(ledger: Ledger, entry: RoleEntry, registered: readonly string[]): Promise<void> {
  await ledger.putWithPolicy(KEY_TYPES.role, [entry.mspId], entry, consentPolicy(entry.mspId, registered));
}
