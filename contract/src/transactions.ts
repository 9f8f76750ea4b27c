import { z } from 'zod';
import {
  cancelReasonSchema,
  campaignRecordSchema,
  campaignSchema,
  committedProposalSchema,
  committedTermsSchema,
  lineItemTermsInputSchema,
  versionSchema,
} from './campaign.js';
import { lineItemRefSchema } from './line-item-ref.js';
import { CAMPAIGN_STATUSES } from './enums.js';
import {
  creditNoteInputSchema,
  creditNoteListQuerySchema,
  creditNoteResultSchema,
  creditNoteSchema,
} from './credit-note.js';
import { makeGoodInputSchema, makeGoodListQuerySchema, makeGoodSchema, makeGoodViewSchema } from './make-good.js';
import {
  deliveryBatchSchema,
  deliveryListQuerySchema,
  deliveryReportInputSchema,
  deliveryReportSchema,
  submitBatchResultSchema,
  submitResultSchema,
} from './delivery-report.js';
import {
  invoiceInputSchema,
  invoiceListQuerySchema,
  invoiceSchema,
  paymentInputSchema,
  paymentListQuerySchema,
  paymentResultSchema,
  paymentSchema,
} from './invoice.js';
import { proofArgumentSchema, proofResultSchema } from './merkle-proof.js';
import { historyOf, listOf, pageOf, pageQueryShape } from './page.js';
import { countSchema, idSchema, jsonObject, mspIdSchema, rule, txIdSchema } from './primitives.js';
import {
  dayStartSchema,
  reconciliationListQuerySchema,
  reconciliationReportSchema,
  reconciliationRowSchema,
  reportQuerySchema,
} from './reconciliation.js';
import { timeZoneRulesSchema } from './time-zone-rules.js';
import { roleChangeInputSchema, roleChangeSchema, roleEntriesSchema, roleEntrySchema } from './role-entry.js';
import {
  integerArgument,
  jsonArgument,
  textArgument,
  type TransactionArgument,
  type TransactionDefinition,
} from './transaction-definition.js';

function define<
  const C extends string,
  const N extends string,
  const K extends 'submit' | 'evaluate',
  const A extends readonly TransactionArgument[],
  R extends z.ZodType,
>(
  definition: TransactionDefinition<A, R> & { readonly contract: C; readonly name: N; readonly kind: K },
): TransactionDefinition<A, R> & { readonly contract: C; readonly name: N; readonly kind: K } {
  return definition;
}

const campaignId = textArgument('campaignId', idSchema);
const lineItemId = textArgument('lineItemId', idSchema);
const reporter = textArgument('reporter', mspIdSchema);
const reportId = textArgument('reportId', idSchema);
const periodStart = textArgument('periodStart', dayStartSchema);
const invoiceId = textArgument('invoiceId', idSchema);
const creditNoteId = textArgument('creditNoteId', idSchema);

/** The `campaigns:List` query. */
export const campaignListQuerySchema = jsonObject({
  status: z.enum(CAMPAIGN_STATUSES, rule(`must be one of ${CAMPAIGN_STATUSES.join(', ')}`)).optional(),
  ...pageQueryShape,
});

const ROLES_CONTRACT = {
  SetRoles: define({
    contract: 'roles',
    name: 'SetRoles',
    kind: 'submit',
    arguments: [jsonArgument('entries', roleEntriesSchema)],
    result: z.array(roleEntrySchema),
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
  }),
  ProposeRoleChange: define({
    contract: 'roles',
    name: 'ProposeRoleChange',
    kind: 'submit',
    arguments: [jsonArgument('change', roleChangeInputSchema)],
    result: roleChangeSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'ROLE_NOT_FOUND', 'INVALID_STATE'],
  }),
  ApproveRoleChange: define({
    contract: 'roles',
    name: 'ApproveRoleChange',
    kind: 'submit',
    arguments: [textArgument('mspId', mspIdSchema), textArgument('proposalId', txIdSchema)],
    result: roleChangeSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'ROLE_NOT_FOUND', 'CONFLICT', 'INVALID_STATE'],
  }),
  GetRoleChange: define({
    contract: 'roles',
    name: 'GetRoleChange',
    kind: 'evaluate',
    arguments: [textArgument('mspId', mspIdSchema)],
    result: roleChangeSchema,
    errors: ['VALIDATION_FAILED', 'ROLE_NOT_FOUND'],
  }),
  GetRole: define({
    contract: 'roles',
    name: 'GetRole',
    kind: 'evaluate',
    arguments: [textArgument('mspId', mspIdSchema)],
    result: roleEntrySchema,
    errors: ['VALIDATION_FAILED', 'ROLE_NOT_FOUND'],
  }),
  ListRoles: define({
    contract: 'roles',
    name: 'ListRoles',
    kind: 'evaluate',
    arguments: [],
    result: z.array(roleEntrySchema),
    errors: [],
  }),
} as const;

const CAMPAIGNS_CONTRACT = {
  Propose: define({
    contract: 'campaigns',
    name: 'Propose',
    kind: 'submit',
    arguments: [jsonArgument('campaign', committedProposalSchema)],
    result: campaignRecordSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'ROLE_NOT_FOUND', 'CONFLICT'],
  }),
  SetLineItemTerms: define({
    contract: 'campaigns',
    name: 'SetLineItemTerms',
    kind: 'submit',
    arguments: [jsonArgument('terms', lineItemTermsInputSchema)],
    result: lineItemRefSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'ROLE_NOT_FOUND', 'CONFLICT', 'INVALID_STATE'],
  }),
  Amend: define({
    contract: 'campaigns',
    name: 'Amend',
    kind: 'submit',
    arguments: [campaignId, jsonArgument('terms', committedTermsSchema)],
    result: campaignRecordSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'CAMPAIGN_NOT_FOUND', 'ROLE_NOT_FOUND', 'INVALID_STATE'],
  }),
  Accept: define({
    contract: 'campaigns',
    name: 'Accept',
    kind: 'submit',
    arguments: [campaignId, integerArgument('version', versionSchema)],
    result: campaignRecordSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'CAMPAIGN_NOT_FOUND', 'CONFLICT', 'INVALID_STATE'],
  }),
  Cancel: define({
    contract: 'campaigns',
    name: 'Cancel',
    kind: 'submit',
    arguments: [campaignId, textArgument('reason', cancelReasonSchema)],
    result: campaignRecordSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'CAMPAIGN_NOT_FOUND', 'INVALID_STATE'],
  }),
  Complete: define({
    contract: 'campaigns',
    name: 'Complete',
    kind: 'submit',
    arguments: [campaignId],
    result: campaignRecordSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'CAMPAIGN_NOT_FOUND', 'INVALID_STATE'],
  }),
  ProposeMakeGood: define({
    contract: 'campaigns',
    name: 'ProposeMakeGood',
    kind: 'submit',
    arguments: [jsonArgument('makeGood', makeGoodInputSchema)],
    result: makeGoodSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'CAMPAIGN_NOT_FOUND', 'CONFLICT', 'INVALID_STATE'],
  }),
  AcceptMakeGood: define({
    contract: 'campaigns',
    name: 'AcceptMakeGood',
    kind: 'submit',
    arguments: [campaignId, lineItemId, textArgument('makeGoodId', idSchema)],
    result: makeGoodSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'CAMPAIGN_NOT_FOUND', 'INVALID_STATE'],
  }),
  ListMakeGoods: define({
    contract: 'campaigns',
    name: 'ListMakeGoods',
    kind: 'evaluate',
    arguments: [jsonArgument('query', makeGoodListQuerySchema)],
    result: listOf(makeGoodViewSchema),
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'CAMPAIGN_NOT_FOUND'],
  }),
  Get: define({
    contract: 'campaigns',
    name: 'Get',
    kind: 'evaluate',
    arguments: [campaignId],
    result: campaignSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'CAMPAIGN_NOT_FOUND'],
  }),
  GetVersion: define({
    contract: 'campaigns',
    name: 'GetVersion',
    kind: 'evaluate',
    arguments: [campaignId, integerArgument('version', versionSchema)],
    result: campaignSchema,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'CAMPAIGN_NOT_FOUND'],
  }),
  List: define({
    contract: 'campaigns',
    name: 'List',
    kind: 'evaluate',
    arguments: [jsonArgument('query', campaignListQuerySchema)],
    result: pageOf(campaignSchema),
    errors: ['VALIDATION_FAILED'],
  }),
  History: define({
    contract: 'campaigns',
    name: 'History',
    kind: 'evaluate',
    arguments: [campaignId],
    result: historyOf(campaignSchema),
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'CAMPAIGN_NOT_FOUND'],
  }),
  TimeZoneRules: define({
    contract: 'campaigns',
    name: 'TimeZoneRules',
    kind: 'evaluate',
    arguments: [],
    result: timeZoneRulesSchema,
    errors: [],
  }),
} as const;

const DELIVERY_WRITE_ERRORS = [
  'VALIDATION_FAILED',
  'FORBIDDEN',
  'CAMPAIGN_NOT_FOUND',
  'CONFLICT',
  'INVALID_STATE',
] as const;

const DELIVERY_CONTRACT = {
  Submit: define({
    contract: 'delivery',
    name: 'Submit',
    kind: 'submit',
    arguments: [jsonArgument('report', deliveryReportInputSchema)],
    result: submitResultSchema,
    errors: DELIVERY_WRITE_ERRORS,
  }),
  SubmitBatch: define({
    contract: 'delivery',
    name: 'SubmitBatch',
    kind: 'submit',
    arguments: [jsonArgument('reports', deliveryBatchSchema)],
    result: submitBatchResultSchema,
    errors: DELIVERY_WRITE_ERRORS,
  }),
  Get: define({
    contract: 'delivery',
    name: 'Get',
    kind: 'evaluate',
    arguments: [reporter, reportId],
    result: deliveryReportSchema,
    errors: ['VALIDATION_FAILED', 'REPORT_NOT_FOUND', 'FORBIDDEN'],
  }),
  History: define({
    contract: 'delivery',
    name: 'History',
    kind: 'evaluate',
    arguments: [reporter, reportId],
    result: historyOf(deliveryReportSchema),
    errors: ['VALIDATION_FAILED', 'REPORT_NOT_FOUND', 'FORBIDDEN'],
  }),
  List: define({
    contract: 'delivery',
    name: 'List',
    kind: 'evaluate',
    arguments: [jsonArgument('query', deliveryListQuerySchema)],
    result: pageOf(deliveryReportSchema),
    errors: ['VALIDATION_FAILED', 'CAMPAIGN_NOT_FOUND', 'FORBIDDEN'],
  }),
  VerifyProof: define({
    contract: 'delivery',
    name: 'VerifyProof',
    kind: 'evaluate',
    arguments: [reporter, reportId, jsonArgument('proof', proofArgumentSchema)],
    result: proofResultSchema,
    errors: ['VALIDATION_FAILED', 'REPORT_NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE'],
  }),
} as const;

const ROW_ERRORS = ['VALIDATION_FAILED', 'CAMPAIGN_NOT_FOUND', 'FORBIDDEN', 'RECONCILIATION_NOT_FOUND'] as const;

const RECONCILIATION_CONTRACT = {
  Get: define({
    contract: 'reconciliation',
    name: 'Get',
    kind: 'evaluate',
    arguments: [campaignId, lineItemId, periodStart],
    result: reconciliationRowSchema,
    errors: ROW_ERRORS,
  }),
  List: define({
    contract: 'reconciliation',
    name: 'List',
    kind: 'evaluate',
    arguments: [jsonArgument('query', reconciliationListQuerySchema)],
    result: listOf(reconciliationRowSchema),
    errors: ['VALIDATION_FAILED', 'CAMPAIGN_NOT_FOUND', 'FORBIDDEN'],
  }),
  ProposeResolution: define({
    contract: 'reconciliation',
    name: 'ProposeResolution',
    kind: 'submit',
    arguments: [campaignId, lineItemId, periodStart, integerArgument('agreedImpressions', countSchema)],
    result: reconciliationRowSchema,
    errors: [...ROW_ERRORS, 'INVALID_STATE'],
  }),
  AcceptResolution: define({
    contract: 'reconciliation',
    name: 'AcceptResolution',
    kind: 'submit',
    arguments: [
      campaignId,
      lineItemId,
      periodStart,
      integerArgument('agreedImpressions', countSchema),
      integerArgument('version', versionSchema),
    ],
    result: reconciliationRowSchema,
    errors: [...ROW_ERRORS, 'INVALID_STATE', 'CONFLICT'],
  }),
  Report: define({
    contract: 'reconciliation',
    name: 'Report',
    kind: 'evaluate',
    arguments: [jsonArgument('query', reportQuerySchema)],
    result: reconciliationReportSchema,
    errors: ['VALIDATION_FAILED', 'CAMPAIGN_NOT_FOUND', 'FORBIDDEN'],
  }),
} as const;

const BILLING_CONTRACT = {
  IssueInvoice: define({
    contract: 'billing',
    name: 'IssueInvoice',
    kind: 'submit',
    arguments: [jsonArgument('invoice', invoiceInputSchema)],
    result: invoiceSchema,
    errors: ['VALIDATION_FAILED', 'CAMPAIGN_NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'INVALID_STATE'],
  }),
  GetInvoice: define({
    contract: 'billing',
    name: 'GetInvoice',
    kind: 'evaluate',
    arguments: [invoiceId],
    result: invoiceSchema,
    errors: ['VALIDATION_FAILED', 'INVOICE_NOT_FOUND', 'FORBIDDEN'],
  }),
  InvoiceHistory: define({
    contract: 'billing',
    name: 'InvoiceHistory',
    kind: 'evaluate',
    arguments: [invoiceId],
    result: historyOf(invoiceSchema),
    errors: ['VALIDATION_FAILED', 'INVOICE_NOT_FOUND', 'FORBIDDEN'],
  }),
  ListInvoices: define({
    contract: 'billing',
    name: 'ListInvoices',
    kind: 'evaluate',
    arguments: [jsonArgument('query', invoiceListQuerySchema)],
    result: pageOf(invoiceSchema),
    errors: ['VALIDATION_FAILED', 'CAMPAIGN_NOT_FOUND', 'FORBIDDEN'],
  }),
  RecordPayment: define({
    contract: 'billing',
    name: 'RecordPayment',
    kind: 'submit',
    arguments: [jsonArgument('payment', paymentInputSchema)],
    result: paymentResultSchema,
    errors: ['VALIDATION_FAILED', 'INVOICE_NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'OVERPAYMENT'],
  }),
  ListPayments: define({
    contract: 'billing',
    name: 'ListPayments',
    kind: 'evaluate',
    arguments: [jsonArgument('query', paymentListQuerySchema)],
    result: listOf(paymentSchema),
    errors: ['VALIDATION_FAILED', 'INVOICE_NOT_FOUND', 'FORBIDDEN'],
  }),
  IssueCreditNote: define({
    contract: 'billing',
    name: 'IssueCreditNote',
    kind: 'submit',
    arguments: [jsonArgument('creditNote', creditNoteInputSchema)],
    result: creditNoteResultSchema,
    errors: ['VALIDATION_FAILED', 'INVOICE_NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'INVALID_STATE'],
  }),
  AcceptCreditNote: define({
    contract: 'billing',
    name: 'AcceptCreditNote',
    kind: 'submit',
    arguments: [invoiceId, creditNoteId],
    result: creditNoteResultSchema,
    errors: ['VALIDATION_FAILED', 'INVOICE_NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE'],
  }),
  ListCreditNotes: define({
    contract: 'billing',
    name: 'ListCreditNotes',
    kind: 'evaluate',
    arguments: [jsonArgument('query', creditNoteListQuerySchema)],
    result: listOf(creditNoteSchema),
    errors: ['VALIDATION_FAILED', 'INVOICE_NOT_FOUND', 'FORBIDDEN'],
  }),
} as const;

/**
 * Every chaincode transaction, by contract and name: the one description the chaincode parses with and the
 * gateway's typed client calls through.
 */
export const TRANSACTIONS = {
  roles: ROLES_CONTRACT,
  campaigns: CAMPAIGNS_CONTRACT,
  delivery: DELIVERY_CONTRACT,
  reconciliation: RECONCILIATION_CONTRACT,
  billing: BILLING_CONTRACT,
} as const;

/** The catalogue's type. */
export type Transactions = typeof TRANSACTIONS;
