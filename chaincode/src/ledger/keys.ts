/**
 * Composite key object types. Attributes after the type are listed next to each; every list query is a
 * partial-key prefix of one of these, so no query needs CouchDB.
 */
export const KEY_TYPES = {
  /** [mspId] → RoleEntry */
  role: 'adrecon.role',
  /** [mspId] → RoleChange: the latest proposed (PENDING) or APPLIED change of an organization's role */
  roleChange: 'adrecon.roleChange',
  /** [campaignId] → Campaign (current version) */
  campaign: 'adrecon.campaign',
  /** [campaignId, version padded to 9 digits] → Campaign as it was when superseded */
  campaignVersion: 'adrecon.campaignVersion',
  /**
   * [campaignId] → Campaign: the amendment of an ACTIVE campaign awaiting acceptance (status PROPOSED, its version,
   * terms, effectiveFrom and acceptances). Its acceptances write only this key, so reports are never in their way.
   */
  campaignAmendment: 'adrecon.campaignAmendment',
  /**
   * [campaignId, lineItemId, termsId] → LineItem: one line item's terms, in the collection of the advertiser, the
   * agency and that line item's publisher; the campaign's all-parties record holds only a commitment to them.
   */
  lineItemTerms: 'adrecon.lineItemTerms',
  /** [mspId, campaignId] → {campaignId}: the campaigns an organization is (or was) party to */
  campaignByParty: 'adrecon.campaignByParty',
  /**
   * [campaignId, lineItemId, dayStart, granularity ('DAY' | 'HOUR'), periodStart, source, reporter, reportId] →
   * DeliveryReport. The granularity precedes periodStart so a report can range-read only the other granularity of
   * its day (the mixing check) and never the reports concurrent with it.
   */
  report: 'adrecon.report',
  /**
   * [campaignId, lineItemId, dayStart, granularity, periodStart, source] → DeliveryReport: the report in force for
   * one side and one period (the latest restatement). One key per side and period, written only by that side's
   * reports of that period: what reconciliation and billing read, never the reports themselves.
   */
  count: 'adrecon.count',
  /** [reporter, reportId] → ReportPointer {campaignId, lineItemId, periodStart, periodEnd, source} (idempotency, lookup) */
  reportById: 'adrecon.reportById',
  /** [campaignId, lineItemId, dayStart] → Resolution */
  resolution: 'adrecon.resolution',
  /** [invoiceId] → Invoice */
  invoice: 'adrecon.invoice',
  /** [campaignId, lineItemId, invoiceId] → {invoiceId}: invoices of a line item (overlap and frozen checks) */
  invoiceByLineItem: 'adrecon.invoiceByLineItem',
  /** [invoiceId, paymentId] → Payment */
  payment: 'adrecon.payment',
  /** [campaignId, lineItemId, makeGoodId] → MakeGood (in the line item's collection) */
  makeGood: 'adrecon.makeGood',
  /** [invoiceId, creditNoteId] → CreditNote (in the invoice's line-item collection, like its payments) */
  creditNote: 'adrecon.creditNote',
} as const;

/** One of the {@link KEY_TYPES}. */
export type KeyType = (typeof KEY_TYPES)[keyof typeof KEY_TYPES];

/** A version number as a key attribute that sorts numerically. */
export function versionAttribute(version: number): string {
  return String(version).padStart(9, '0');
}
