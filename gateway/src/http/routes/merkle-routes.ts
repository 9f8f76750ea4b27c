import type { RegisterRoute } from '../route';
import { merkleVerificationSchema } from '../schemas';
import { read } from './ledger-calls';

/** Merkle inclusion proof verification against a stored report's root. */
export function registerMerkleRoutes(register: RegisterRoute): void {
  register({
    method: 'post',
    path: '/merkle/verifications',
    summary: "Verify that one impression record is in a delivery report's Merkle root (evaluated, not written)",
    tag: 'Merkle',
    permission: 'read',
    body: merkleVerificationSchema,
    handler: (ctx) => {
      const { reporter, reportId, proof, record, leafHash } = ctx.body;
      const proofJson = JSON.stringify({ ...proof, ...(record ? { record } : { leafHash }) });
      return read(ctx, 'delivery:VerifyProof', reporter, reportId, proofJson);
    },
  });
  register({
    method: 'get',
    path: '/roles',
    summary: 'Consortium roles of the organizations',
    tag: 'Roles',
    permission: 'read',
    handler: (ctx) => read(ctx, 'roles:ListRoles'),
  });
}
