import {
  creditNoteInputSchema,
  creditNoteListQuerySchema,
  invoiceInputSchema,
  paymentInputSchema,
  paymentListQuerySchema,
  TRANSACTIONS,
} from '@adrecon/contract';
import type { RegisterRoute } from '../route';
import { creditNoteParams, invoiceListQuery, invoiceParams } from '../schemas';
import { iabSellerInvoice, iabSellerInvoiceSchema } from '../../invoicing/iab-seller-invoice';
import { readResult, written } from './ledger-calls';
import { containsRequest, createOrRepeat } from './repeat-outcome';

const TX = TRANSACTIONS.billing;

/** Invoice, payment and credit-note endpoints. */
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
    path: '/invoices/{invoiceId}/iab',
    summary:
      'The invoice as a seller-invoice document after the IAB Digital Advertising Invoice API, with its credit memos, payments and ledger transaction IDs (field names not verified against the specification: see docs/api.md)',
    tag: 'Invoices',
    permission: 'read',
    params: invoiceParams,
    response: iabSellerInvoiceSchema,
    handler: async (ctx) => {
      const org = ctx.principal.mspId;
      const { invoiceId } = ctx.params;
      const invoice = await ctx.contract.billing.getInvoice(org, invoiceId);
      const campaign = await ctx.contract.campaigns.get(org, invoice.campaignId);
      const creditNotes = await ctx.contract.billing.listCreditNotes(org, { invoiceId });
      const payments = await ctx.contract.billing.listPayments(org, { invoiceId });
      return readResult(iabSellerInvoice(invoice, campaign.timeZone, creditNotes.records, payments.records));
    },
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
  register({
    method: 'post',
    path: '/credit-notes',
    summary:
      "Issue a credit note against an invoice (the publisher's finance; the chaincode computes the amount from the invoiced days)",
    tag: 'Credit notes',
    permission: 'billing:invoice',
    body: creditNoteInputSchema,
    response: TX.IssueCreditNote.result,
    successStatus: 201,
    handler: async (ctx) => written(await ctx.contract.billing.issueCreditNote(ctx.principal.mspId, ctx.body), 201),
  });
  register({
    method: 'post',
    path: '/invoices/{invoiceId}/credit-notes/{creditNoteId}/acceptance',
    summary: "Accept an issued credit note (the buyer's finance): it reduces what the invoice still owes",
    tag: 'Credit notes',
    permission: 'billing:pay',
    params: creditNoteParams,
    response: TX.AcceptCreditNote.result,
    handler: async (ctx) =>
      written(
        await ctx.contract.billing.acceptCreditNote(ctx.principal.mspId, ctx.params.invoiceId, ctx.params.creditNoteId),
      ),
  });
  register({
    method: 'get',
    path: '/credit-notes',
    summary: 'Credit notes of an invoice',
    tag: 'Credit notes',
    permission: 'read',
    query: creditNoteListQuerySchema,
    response: TX.ListCreditNotes.result,
    handler: async (ctx) => readResult(await ctx.contract.billing.listCreditNotes(ctx.principal.mspId, ctx.query)),
  });
}
