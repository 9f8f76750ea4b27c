import type { RegisterRoute } from '../route';
import {
  reconciliationListQuery,
  reconciliationParams,
  resolutionAcceptanceSchema,
  resolutionProposalSchema,
} from '../schemas';
import { read, write } from './ledger-calls';

/** Reconciliation endpoints. */
export function registerReconciliationRoutes(register: RegisterRoute): void {
  const tag = 'Reconciliations';
  register({
    method: 'get',
    path: '/reconciliations',
    summary: 'Reconciliation rows of a campaign, optionally one line item and a period range',
    tag,
    permission: 'read',
    query: reconciliationListQuery,
    handler: (ctx) => read(ctx, 'reconciliation:List', JSON.stringify(ctx.query)),
  });
  register({
    method: 'get',
    path: '/reconciliations/{campaignId}/{lineItemId}/{periodStart}',
    summary: 'The reconciliation of one line item and period',
    tag,
    permission: 'read',
    params: reconciliationParams,
    handler: (ctx) =>
      read(ctx, 'reconciliation:Get', ctx.params.campaignId, ctx.params.lineItemId, ctx.params.periodStart),
  });
  register({
    method: 'post',
    path: '/reconciliations/{campaignId}/{lineItemId}/{periodStart}/resolution-proposals',
    summary: 'Propose an agreed impression count for a disputed period',
    tag,
    permission: 'resolutions:write',
    params: reconciliationParams,
    body: resolutionProposalSchema,
    handler: (ctx) =>
      write(
        ctx,
        'reconciliation:ProposeResolution',
        ctx.params.campaignId,
        ctx.params.lineItemId,
        ctx.params.periodStart,
        String(ctx.body.agreedImpressions),
      ),
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
    handler: (ctx) =>
      write(
        ctx,
        'reconciliation:AcceptResolution',
        ctx.params.campaignId,
        ctx.params.lineItemId,
        ctx.params.periodStart,
        String(ctx.body.agreedImpressions),
        String(ctx.body.version),
      ),
  });
}
