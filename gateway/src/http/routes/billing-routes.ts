import type { RegisterRoute } from '../route';
import { invoiceIssueSchema, invoiceListQuery, invoiceParams, paymentListQuery, paymentSchema } from '../schemas';
import { read, write } from './ledger-calls';

/** Invoice and payment endpoints. */
export function registerBillingRoutes(register: RegisterRoute): void {
  register({
    method: 'post',
    path: '/invoices',
    summary: 'Issue an invoice for reconciled periods of a line item (the chaincode computes the amount)',
    tag: 'Invoices',
    permission: 'billing:invoice',
    body: invoiceIssueSchema,
    successStatus: 201,
    handler: (ctx) => write(ctx, 'billing:IssueInvoice', JSON.stringify(ctx.body)),
  });
  register({
    method: 'get',
    path: '/invoices',
    summary: 'Invoices the caller may see (paginated)',
    tag: 'Invoices',
    permission: 'read',
    query: invoiceListQuery,
    handler: (ctx) => read(ctx, 'billing:ListInvoices', JSON.stringify(ctx.query)),
  });
  register({
    method: 'get',
    path: '/invoices/{invoiceId}',
    summary: 'One invoice',
    tag: 'Invoices',
    permission: 'read',
    params: invoiceParams,
    handler: (ctx) => read(ctx, 'billing:GetInvoice', ctx.params.invoiceId),
  });
  register({
    method: 'get',
    path: '/invoices/{invoiceId}/history',
    summary: 'Every transaction that wrote the invoice (issue, then each payment)',
    tag: 'Invoices',
    permission: 'read',
    params: invoiceParams,
    handler: (ctx) => read(ctx, 'billing:InvoiceHistory', ctx.params.invoiceId),
  });
  register({
    method: 'post',
    path: '/payments',
    summary: 'Record a payment against an invoice (refused if it would overpay)',
    tag: 'Payments',
    permission: 'billing:pay',
    body: paymentSchema,
    successStatus: 201,
    handler: (ctx) => write(ctx, 'billing:RecordPayment', JSON.stringify(ctx.body)),
  });
  register({
    method: 'get',
    path: '/payments',
    summary: 'Payments of an invoice',
    tag: 'Payments',
    permission: 'read',
    query: paymentListQuery,
    handler: (ctx) => read(ctx, 'billing:ListPayments', JSON.stringify(ctx.query)),
  });
}
