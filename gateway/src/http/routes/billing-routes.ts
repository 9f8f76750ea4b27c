import { invoiceInputSchema, paymentInputSchema, paymentListQuerySchema, TRANSACTIONS } from '@adrecon/contract';
import type { RegisterRoute } from '../route';
import { invoiceListQuery, invoiceParams } from '../schemas';
import { readResult, written } from './ledger-calls';

const TX = TRANSACTIONS.billing;

/** Invoice and payment endpoints. */
export function registerBillingRoutes(register: RegisterRoute): void {
  register({
    method: 'post',
    path: '/invoices',
    summary: 'Issue an invoice for reconciled periods of a line item (the chaincode computes the amount)',
    tag: 'Invoices',
    permission: 'billing:invoice',
    body: invoiceInputSchema,
    response: TX.IssueInvoice.result,
    successStatus: 201,
    handler: async (ctx) => written(await ctx.contract.billing.issueInvoice(ctx.principal.mspId, ctx.body)),
  });
  register({
    method: 'get',
    path: '/invoices',
    summary: 'Invoices the caller may see (paginated)',
    tag: 'Invoices',
    permission: 'read',
    query: invoiceListQuery,
    response: TX.ListInvoices.result,
    handler: async (ctx) => readResult(await ctx.contract.billing.listInvoices(ctx.principal.mspId, ctx.query)),
  });
  register({
    method: 'get',
    path: '/invoices/{invoiceId}',
    summary: 'One invoice',
    tag: 'Invoices',
    permission: 'read',
    params: invoiceParams,
    response: TX.GetInvoice.result,
    handler: async (ctx) =>
      readResult(await ctx.contract.billing.getInvoice(ctx.principal.mspId, ctx.params.invoiceId)),
  });
  register({
    method: 'get',
    path: '/invoices/{invoiceId}/history',
    summary: 'Every transaction that wrote the invoice (issue, then each payment)',
    tag: 'Invoices',
    permission: 'read',
    params: invoiceParams,
    response: TX.InvoiceHistory.result,
    handler: async (ctx) =>
      readResult(await ctx.contract.billing.invoiceHistory(ctx.principal.mspId, ctx.params.invoiceId)),
  });
  register({
    method: 'post',
    path: '/payments',
    summary: 'Record a payment against an invoice (refused if it would overpay)',
    tag: 'Payments',
    permission: 'billing:pay',
    body: paymentInputSchema,
    response: TX.RecordPayment.result,
    successStatus: 201,
    handler: async (ctx) => written(await ctx.contract.billing.recordPayment(ctx.principal.mspId, ctx.body)),
  });
  register({
    method: 'get',
    path: '/payments',
    summary: 'Payments of an invoice',
    tag: 'Payments',
    permission: 'read',
    query: paymentListQuerySchema,
    response: TX.ListPayments.result,
    handler: async (ctx) => readResult(await ctx.contract.billing.listPayments(ctx.principal.mspId, ctx.query)),
  });
}
