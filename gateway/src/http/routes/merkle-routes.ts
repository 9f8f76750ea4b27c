import { TRANSACTIONS } from '@adrecon/contract';
import type { RegisterRoute } from '../route';
import { merkleVerificationSchema } from '../schemas';
import { readResult } from './ledger-calls';

/** Merkle inclusion proof verification against a stored report's root, and the role registry. */
export function registerMerkleRoutes(register: RegisterRoute): void {
  register({
    method: 'post',
    path: '/merkle/verifications',
    summary: "Verify that one impression record is in a delivery report's Merkle root (evaluated, not written)",
    tag: 'Merkle',
    permission: 'read',
    body: merkleVerificationSchema,
    response: TRANSACTIONS.delivery.VerifyProof.result,
    handler: async (ctx) => {
      const { reporter, reportId, proof, record, leafHash } = ctx.body;
      const argument = { ...proof, ...(record ? { record } : { leafHash }) };
      return readResult(await ctx.contract.delivery.verifyProof(ctx.principal.mspId, reporter, reportId, argument));
    },
  });
  register({
    method: 'get',
    path: '/roles',
    summary: 'Consortium roles of the organizations',
    tag: 'Roles',
    permission: 'read',
    response: TRANSACTIONS.roles.ListRoles.result,
    handler: async (ctx) => readResult(await ctx.contract.roles.listRoles(ctx.principal.mspId)),
  });
}
