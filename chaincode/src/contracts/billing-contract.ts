import { TRANSACTIONS } from '@adrecon/contract';
import { actorRecord } from '../actor.js';
import { Context, Info, Transaction } from 'fabric-contract-api';
import { BaseContract } from './base-contract.js';
import {
  canSeeLineItem,
  lineItemParties,
  relationTo,
  requireBuyer,
  requireLineItemPublisher,
  visibleLineItem,
  visibleRanges,
} from '../access.js';
import { encodeResult, parseTransactionArguments } from '../arguments.js';
import { loadCampaign } from '../campaign-store.js';
import { amountOfDays } from '../domain/arithmetic.js';
import { TermsSchedule } from '../domain/terms-schedule.js';
import { rowsToInvoice } from '../domain/billing-period.js';
import { DAY_MS, dateMs, formatDate } from '../domain/calendar.js';
import { requireLifecycle } from '../domain/campaign-lifecycle.js';
import { deriveRows, loadLineItemRecords } from '../domain/reconciliation.js';
import { ConflictError, ForbiddenError, NotFoundError, OverpaymentError } from '../errors.js';
import { parseCampaign } from '../models/campaign.js';
import { emitEvent, EVENTS } from '../events.js';
import { parseCampaignIndex, parseInvoiceIndex } from '../ledger/index-entries.js';
import { KEY_TYPES } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { txTimeIso, txTimeMs } from '../ledger/tx-time.js';
import { parseInvoice, type Invoice } from '../models/invoice.js';
import { withChanges } from '../models/with-changes.js';
import { parsePayment, type Payment } from '../models/payment.js';

const TX = TRANSACTIONS.billing;

/** Invoices computed from reconciled days, and the payments against them. */
@Info({ title: 'billing', description: 'Invoices and payments' })
export class BillingContract extends BaseContract {
  constructor() {
    super('billing');
  }

  /**
   * Issues the publisher's invoice of a line item for a range of days (inclusive), all reconciled. The chaincode
   * computes the billable impressions (capped), the amount and the due date.
   *
   * @returns the invoice.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError, ConflictError (invoiceId taken, overlapping
   * invoice), InvalidStateError (campaign status, no or unreconciled days).
   */
  @Transaction()
  async IssueInvoice(ctx: Context, invoiceJson: string): Promise<string> {
    const [input] = parseTransactionArguments(TX.IssueInvoice, [invoiceJson]);
    const campaign = await loadCampaign(ctx, input.campaignId);
    const relation = await relationTo(ctx, campaign);
    const lineItem = visibleLineItem(campaign, relation, input.lineItemId);
    requireLineItemPublisher(relation, lineItem.lineItemId, 'invoice it');
    requireLifecycle(campaign, 'invoice');
    const ledger = new Ledger(ctx);
    if (await ledger.exists(KEY_TYPES.invoice, [input.invoiceId])) {
      throw new ConflictError(`invoice ${input.invoiceId} already exists`);
    }
    const records = await loadLineItemRecords(ledger, campaign.campaignId, lineItem.lineItemId);
    const startMs = dateMs(input.periodStart, 'periodStart');
    const endMs = dateMs(input.periodEnd, 'periodEnd');
    const overlap = records.invoices.find(
      (i) => dateMs(i.periodStart, 'periodStart') <= endMs && dateMs(i.periodEnd, 'periodEnd') >= startMs,
    );
    if (overlap !== undefined) {
      throw new ConflictError(
        `invoice ${overlap.invoiceId} already covers ${overlap.periodStart}..${overlap.periodEnd}`,
      );
    }
    const issuedMs = txTimeMs(ctx);
    const schedule = await TermsSchedule.load(ledger, campaign);
    const rows = rowsToInvoice(
      schedule,
      lineItem,
      deriveRows(schedule, lineItem, records, issuedMs),
      { startMs, endMs },
      issuedMs,
    );
    const billableImpressions = rows.reduce((sum, r) => sum + r.billableImpressions, 0);
    const invoice: Invoice = {
      ...input,
      publisher: lineItem.publisher,
      advertiser: campaign.advertiser,
      agency: campaign.agency,
      currency: campaign.currency,
      cpmMicros: rows[0]?.cpmMicros ?? lineItem.cpmMicros,
      billableImpressions,
      periods: rows.map((r) => ({
        periodStart: r.periodStart,
        billableImpressions: r.billableImpressions,
        cpmMicros: r.cpmMicros,
      })),
      amountMicros: amountOfDays(rows),
      paidMicros: 0,
      status: 'ISSUED',
      issuedAt: txTimeIso(ctx),
      issuedBy: actorRecord(ctx),
      dueDate: formatDate(Math.floor(issuedMs / DAY_MS) * DAY_MS + campaign.paymentTermsDays * DAY_MS),
      txId: ctx.stub.getTxID(),
    };
    const parties = lineItemParties(campaign, lineItem);
    await ledger.put(KEY_TYPES.invoice, [invoice.invoiceId], invoice, parties);
    await ledger.put(
      KEY_TYPES.invoiceByLineItem,
      [campaign.campaignId, lineItem.lineItemId, invoice.invoiceId],
      { invoiceId: invoice.invoiceId },
      parties,
    );
    emitEvent(ctx, EVENTS.invoiceIssued, {
      campaignId: campaign.campaignId,
      lineItemId: lineItem.lineItemId,
      invoiceId: invoice.invoiceId,
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      amountMicros: invoice.amountMicros,
      status: invoice.status,
      parties,
    });
    return encodeResult(TX.IssueInvoice, invoice);
  }

  /**
   * @returns the invoice.
   * @throws ValidationError, INVOICE_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  async GetInvoice(ctx: Context, invoiceId: string): Promise<string> {
    parseTransactionArguments(TX.GetInvoice, [invoiceId]);
    return encodeResult(TX.GetInvoice, await this.#visibleInvoice(ctx, invoiceId));
  }

  /**
   * Every write of the invoice's key (issue, then each payment that changed paidMicros and status), for tracing the
   * invoice to the transactions that wrote it. Same access as GetInvoice.
   *
   * @returns `[{txId, timestamp, isDelete, value}]` in Fabric's history order (newest first in Fabric 2.x).
   * @throws ValidationError, INVOICE_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  async InvoiceHistory(ctx: Context, invoiceId: string): Promise<string> {
    parseTransactionArguments(TX.InvoiceHistory, [invoiceId]);
    await this.#visibleInvoice(ctx, invoiceId);
    const history = await new Ledger(ctx).history(KEY_TYPES.invoice, [invoiceId], parseInvoice);
    return encodeResult(TX.InvoiceHistory, history);
  }

  /**
   * Lists invoices a page at a time: of one campaign (`pageSize` invoices of its invoice index) or, without
   * campaignId, of a page of the caller's campaigns (`pageSize` campaigns of its party index, every invoice of each
   * that the caller may see).
   *
   * @returns `{records, bookmark, fetchedCount}`.
   * @throws ValidationError, CAMPAIGN_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  async ListInvoices(ctx: Context, queryJson: string): Promise<string> {
    const [{ campaignId, status, pageSize, bookmark }] = parseTransactionArguments(TX.ListInvoices, [queryJson]);
    const ledger = new Ledger(ctx);
    const caller = ctx.clientIdentity.getMSPID();
    let invoices: Invoice[];
    let page: { bookmark: string; fetchedCount: number };
    if (campaignId !== undefined) {
      const campaign = await loadCampaign(ctx, campaignId);
      const relation = await relationTo(ctx, campaign);
      const indexPage = await ledger.pageOver(
        KEY_TYPES.invoiceByLineItem,
        visibleRanges(campaign, relation, undefined),
        parseInvoiceIndex,
        pageSize,
        bookmark,
      );
      invoices = [];
      for (const entry of indexPage.entries) {
        const invoice = await ledger.get(KEY_TYPES.invoice, [entry.value], parseInvoice);
        if (invoice !== undefined && canSeeLineItem(relation, invoice.lineItemId)) invoices.push(invoice);
      }
      page = indexPage;
    } else {
      // A page of the caller's own campaign index, then each campaign's invoice index: never other parties' keys,
      // and the bookmark names only a campaign of the caller.
      const campaignPage = await ledger.page(
        KEY_TYPES.campaignByParty,
        [caller],
        parseCampaignIndex,
        pageSize,
        bookmark,
      );
      invoices = [];
      for (const entry of campaignPage.entries) {
        const campaign = await ledger.get(KEY_TYPES.campaign, [entry.value], parseCampaign);
        if (campaign === undefined) continue;
        let relation;
        try {
          relation = await relationTo(ctx, campaign);
        } catch (err) {
          if (err instanceof ForbiddenError) continue;
          throw err;
        }
        for (const index of await ledger.list(KEY_TYPES.invoiceByLineItem, [campaign.campaignId], parseInvoiceIndex)) {
          const invoice = await ledger.get(KEY_TYPES.invoice, [index.value], parseInvoice);
          if (invoice !== undefined && canSeeLineItem(relation, invoice.lineItemId)) invoices.push(invoice);
        }
      }
      page = campaignPage;
    }
    const records = invoices.filter((i) => status === undefined || i.status === status);
    return encodeResult(TX.ListInvoices, { records, bookmark: page.bookmark, fetchedCount: page.fetchedCount });
  }

  /**
   * Records a payment by the campaign's advertiser or agency. Repeating a payment with the same content is a no-op.
   *
   * @returns `{payment, invoice}`.
   * @throws ValidationError, INVOICE_NOT_FOUND, ForbiddenError, ConflictError, OverpaymentError.
   */
  @Transaction()
  async RecordPayment(ctx: Context, paymentJson: string): Promise<string> {
    const [input] = parseTransactionArguments(TX.RecordPayment, [paymentJson]);
    const invoice = await this.#findInvoice(ctx, input.invoiceId);
    const campaign = await loadCampaign(ctx, invoice.campaignId);
    const relation = await relationTo(ctx, campaign);
    requireBuyer(relation, 'record a payment');
    const ledger = new Ledger(ctx);
    const existing = await ledger.get(KEY_TYPES.payment, [input.invoiceId, input.paymentId], parsePayment);
    if (existing !== undefined) {
      const same =
        existing.amountMicros === input.amountMicros &&
        existing.reference === input.reference &&
        existing.paidBy === relation.mspId;
      if (!same) {
        throw new ConflictError(
          `payment ${input.paymentId} of invoice ${input.invoiceId} already exists with other content`,
        );
      }
      return encodeResult(TX.RecordPayment, { payment: existing, invoice });
    }
    const outstanding = invoice.amountMicros - invoice.paidMicros;
    if (input.amountMicros > outstanding) {
      throw new OverpaymentError(
        `payment of ${input.amountMicros} micros exceeds the ${outstanding} micros outstanding on invoice ${invoice.invoiceId}`,
      );
    }
    const paidMicros = invoice.paidMicros + input.amountMicros;
    const payment: Payment = {
      ...input,
      paidBy: relation.mspId,
      recordedBy: actorRecord(ctx),
      paidAt: txTimeIso(ctx),
      txId: ctx.stub.getTxID(),
    };
    const updated = withChanges(invoice, {
      paidMicros,
      status: paidMicros === invoice.amountMicros ? 'PAID' : 'PARTIALLY_PAID',
    });
    const parties = [invoice.advertiser, invoice.agency, invoice.publisher];
    await ledger.put(KEY_TYPES.payment, [input.invoiceId, input.paymentId], payment, parties);
    await ledger.put(KEY_TYPES.invoice, [invoice.invoiceId], updated, parties);
    emitEvent(ctx, EVENTS.paymentRecorded, {
      campaignId: invoice.campaignId,
      lineItemId: invoice.lineItemId,
      invoiceId: invoice.invoiceId,
      paymentId: payment.paymentId,
      amountMicros: payment.amountMicros,
      status: updated.status,
      parties,
    });
    return encodeResult(TX.RecordPayment, { payment, invoice: updated });
  }

  /**
   * @returns `{records}`: the payments of an invoice, by paymentId.
   * @throws ValidationError, INVOICE_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  async ListPayments(ctx: Context, queryJson: string): Promise<string> {
    const [{ invoiceId }] = parseTransactionArguments(TX.ListPayments, [queryJson]);
    await this.#visibleInvoice(ctx, invoiceId);
    const records = (await new Ledger(ctx).list(KEY_TYPES.payment, [invoiceId], parsePayment)).map((e) => e.value);
    return encodeResult(TX.ListPayments, { records });
  }

  async #findInvoice(ctx: Context, invoiceId: string): Promise<Invoice> {
    const invoice = await new Ledger(ctx).get(KEY_TYPES.invoice, [invoiceId], parseInvoice);
    if (invoice === undefined) {
      throw new NotFoundError('INVOICE_NOT_FOUND', `invoice ${invoiceId} does not exist`);
    }
    return invoice;
  }

  async #visibleInvoice(ctx: Context, invoiceId: string): Promise<Invoice> {
    const invoice = await this.#findInvoice(ctx, invoiceId);
    const campaign = await loadCampaign(ctx, invoice.campaignId);
    visibleLineItem(campaign, await relationTo(ctx, campaign), invoice.lineItemId);
    return invoice;
  }
}
