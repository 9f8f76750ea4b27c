import { reconciliationListQuerySchema, TRANSACTIONS } from '@adrecon/contract';
import type { RegisterRoute } from '../route';
import { reconciliationParams, resolutionAcceptanceSchema, resolutionProposalSchema } from '../schemas';
import { readResult, written } from './ledger-calls';

const TX = TRANSACTIONS.reconciliation;

/** Reconciliation endpoints. */
export function registerReconciliationRoutes(register: RegisterRoute): void {
  const tag = 'Reconciliations';
  register({
    method: 'get',
    path: '/reconciliations',
    summary: 'Reconciliation rows of a campaign, optionally one line item and a range of UTC days (from, to: dates)',
    tag,
    permission: 'read',
    query: reconciliationListQuerySchema,
    response: TX.List.result,
    handler: async (ctx) => readResult(await ctx.contract.reconciliation.list(ctx.principal.mspId, ctx.query)),
  });
  register({
    method: 'get',
    path: '/reconciliations/{campaignId}/{lineItemId}/{periodStart}',
    summary: 'The reconciliation of one line item and UTC day',
    tag,
    permission: 'read',
    params: reconciliationParams,
    response: TX.Get.result,
    handler: async (ctx) => {
      const { campaignId, lineItemId, periodStart } = ctx.params;
      return readResult(
        await ctx.contract.reconciliation.get(ctx.principal.mspId, campaignId, lineItemId, periodStart),
      );
    },
  });
  register({
    method: 'post',
    path: '/reconciliations/{campaignId}/{lineItemId}/{periodStart}/resolution-proposals',
    summary: 'Propose an agreed impression count for a disputed day',
    tag,
    permission: 'resolutions:write',
    params: reconciliationParams,
    body: resolutionProposalSchema,
    response: TX.ProposeResolution.result,
    handler: async (ctx) => {
      const { campaignId, lineItemId, periodStart } = ctx.params;
      const org = ctx.principal.mspId;
      const agreed = ctx.body.agreedImpressions;
      return written(
        await ctx.contract.reconciliation.proposeResolution(org, campaignId, lineItemId, periodStart, agreed),
      );
    },
  });
  register({
    method: 'post',
    path: '/reconciliations/{campaignId}/{lineItemId}/{periodStart}/resolution-acceptances',
    summary:
      "Accept the other side's proposed count, named by its agreed count and version (status becomes RESOLVED; a replaced proposal is a 409)",
    tag,
    permission: 'resolutions:write',
    params: reconciliationParams,
    body: resolutionAcceptanceSchema,
    response: TX.AcceptResolution.result,
    handler: async (ctx) => {
      const { campaignId, lineItemId, periodStart } = ctx.params;
      const { agreedImpressions, version } = ctx.body;
      const org = ctx.principal.mspId;
      return written(
        await ctx.contract.reconciliation.acceptResolution(
          org,
          campaignId,
          lineItemId,
          periodStart,
          agreedImpressions,
          version,
        ),
      );
    },
  });
}
