import { deliveryReportInputSchema, LIMITS, TRANSACTIONS } from '@adrecon/contract';
import type { RegisterRoute } from '../route';
import { deliveryBatchBodySchema, deliveryListQuery, deliveryReportParams } from '../schemas';
import { readResult, written } from './ledger-calls';

const TX = TRANSACTIONS.delivery;

/** Delivery report endpoints. */
export function registerDeliveryRoutes(register: RegisterRoute): void {
  const tag = 'Delivery reports';
  register({
    method: 'post',
    path: '/delivery-reports',
    summary: 'Submit one delivery report (201 when new, 200 when the same report already exists)',
    tag,
    permission: 'delivery:write',
    body: deliveryReportInputSchema,
    response: TX.Submit.result,
    successStatus: 201,
    handler: async (ctx) => {
      const submitted = await ctx.contract.delivery.submit(ctx.principal.mspId, ctx.body);
      return written(submitted, submitted.result.created ? 201 : 200);
    },
  });
  register({
    method: 'post',
    path: '/delivery-reports/batch',
    summary: `Submit up to ${LIMITS.batchReports} delivery reports of one campaign in one transaction (all or nothing)`,
    tag,
    permission: 'delivery:write',
    body: deliveryBatchBodySchema,
    response: TX.SubmitBatch.result,
    successStatus: 201,
    handler: async (ctx) => written(await ctx.contract.delivery.submitBatch(ctx.principal.mspId, ctx.body.reports)),
  });
  register({
    method: 'get',
    path: '/delivery-reports',
    summary: 'Delivery reports of a campaign (paginated)',
    tag,
    permission: 'read',
    query: deliveryListQuery,
    response: TX.List.result,
    handler: async (ctx) => readResult(await ctx.contract.delivery.list(ctx.principal.mspId, ctx.query)),
  });
  register({
    method: 'get',
    path: '/delivery-reports/{reporter}/{reportId}',
    summary: 'One delivery report',
    tag,
    permission: 'read',
    params: deliveryReportParams,
    response: TX.Get.result,
    handler: async (ctx) =>
      readResult(await ctx.contract.delivery.get(ctx.principal.mspId, ctx.params.reporter, ctx.params.reportId)),
  });
  register({
    method: 'get',
    path: '/delivery-reports/{reporter}/{reportId}/history',
    summary: 'Every transaction that wrote the delivery report',
    tag,
    permission: 'read',
    params: deliveryReportParams,
    response: TX.History.result,
    handler: async (ctx) =>
      readResult(await ctx.contract.delivery.history(ctx.principal.mspId, ctx.params.reporter, ctx.params.reportId)),
  });
}
