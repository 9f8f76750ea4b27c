import type { RegisterRoute } from '../route';
import { deliveryBatchSchema, deliveryListQuery, deliveryReportParams, deliveryReportSchema } from '../schemas';
import { read } from './ledger-calls';

function createdFlag(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { created?: unknown }).created === true;
}

/** Delivery report endpoints. */
export function registerDeliveryRoutes(register: RegisterRoute): void {
  const tag = 'Delivery reports';
  register({
    method: 'post',
    path: '/delivery-reports',
    summary: 'Submit one delivery report (201 when new, 200 when the same report already exists)',
    tag,
    permission: 'delivery:write',
    body: deliveryReportSchema,
    successStatus: 201,
    handler: async (ctx) => {
      const { result, transactionId, blockNumber } = await ctx.ledger.submit(ctx.principal.mspId, 'delivery:Submit', [
        JSON.stringify(ctx.body),
      ]);
      return { status: createdFlag(result) ? 201 : 200, data: result, transactionId, block: blockNumber };
    },
  });
  register({
    method: 'post',
    path: '/delivery-reports/batch',
    summary: 'Submit up to 500 delivery reports in one transaction (all or nothing)',
    tag,
    permission: 'delivery:write',
    body: deliveryBatchSchema,
    successStatus: 201,
    handler: async (ctx) => {
      const { result, transactionId, blockNumber } = await ctx.ledger.submit(
        ctx.principal.mspId,
        'delivery:SubmitBatch',
        [JSON.stringify(ctx.body.reports)],
      );
      return { status: 201, data: result, transactionId, block: blockNumber };
    },
  });
  register({
    method: 'get',
    path: '/delivery-reports',
    summary: 'Delivery reports of a campaign (paginated)',
    tag,
    permission: 'read',
    query: deliveryListQuery,
    handler: (ctx) => read(ctx, 'delivery:List', JSON.stringify(ctx.query)),
  });
  register({
    method: 'get',
    path: '/delivery-reports/{reporter}/{reportId}',
    summary: 'One delivery report',
    tag,
    permission: 'read',
    params: deliveryReportParams,
    handler: (ctx) => read(ctx, 'delivery:Get', ctx.params.reporter, ctx.params.reportId),
  });
  register({
    method: 'get',
    path: '/delivery-reports/{reporter}/{reportId}/history',
    summary: 'Every transaction that wrote the delivery report',
    tag,
    permission: 'read',
    params: deliveryReportParams,
    handler: (ctx) => read(ctx, 'delivery:History', ctx.params.reporter, ctx.params.reportId),
  });
}
