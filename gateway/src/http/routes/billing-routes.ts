import { invoiceInputSchema, paymentInputSchema, paymentListQuerySchema, TRANSACTIONS } from '@adrecon/contract';
import type { RegisterRoute } from '../route';
import { invoiceListQuery, invoiceParams } from '../schemas';
import { readResult, written } from './ledger-calls';
import { containsRequest, createOrRepeat } from './repeat-outcome';

const TX = TRANSACTIONS.billing;

/** Invoice and payment endpoints. */
export function registerBillingRoutes(register: RegisterRoute): void {
  register({
    method: 'post',
    path: '/invoices',
    summary:
      'Issue an invoice for reconciled periods of a line item (the chaincode computes the amount); 201 new, 200 identical repeat',
    tag: 'Invoices',
    permission: 'billing:invoice',
    body: invoiceInputSchema,
    response: TX.IssueInvoice.result,
    successStatus: 201,
    handler: async (ctx) => {
      const org = ctx.principal.mspId;
      return createOrRepeat(async () => written(await ctx.contract.billing.issueInvoice(org, ctx.body)), {
        existing: () => ctx.contract.billing.getInvoice(org, ctx.body.invoiceId),
        matches: (invoice) => invoice.publisher === org && containsRequest(invoice, ctx.body),
      });
    },
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
    summary: 'Record a payment against an invoice (refused if it would overpay); 201 new, 200 identical repeat',
    tag: 'Payments',
    permission: 'billing:pay',
    body: paymentInputSchema,
    response: TX.RecordPayment.result,
    successStatus: 201,
    handler: async (ctx) => {
      const submitted = await ctx.contract.billing.recordPayment(ctx.principal.mspId, ctx.body);
      // The chaincode answers an identical repeat with the stored payment, written by an earlier transaction.
      return written(submitted, submitted.result.payment.txId === submitted.transactionId ? 201 : 200);
    },
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
