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
import { loadCampaign, loadCampaignRecord, loadTermsSchedule } from '../campaign-store.js';
import { billableUnitOf } from '../domain/billable-count.js';
import { invoiceAmount, rowsToInvoice } from '../domain/billing-period.js';
import { DAY_MS, dateMs, formatDate } from '../domain/calendar.js';
import { requireLifecycle } from '../domain/campaign-lifecycle.js';
import { deriveRows, loadLineItemRecords } from '../domain/reconciliation.js';
import { parseCampaignRecord } from '../models/campaign.js';
import { emitEvent, EVENTS } from '../events.js';
import { parseCampaignIndex, parseInvoiceIndex } from '../ledger/index-entries.js';
import { KEY_TYPES } from '../ledger/keys.js';
import { Ledger } from '../ledger/ledger.js';
import { txTimeIso, txTimeMs } from '../ledger/tx-time.js';
import { parseInvoice, type Invoice } from '../models/invoice.js';
import { withChanges } from '../models/with-changes.js';
import { parsePayment, type Payment } from '../models/payment.js';
import { parseCreditNote, type CreditNote } from '../models/credit-note.js';
import { creditNoteAmount } from '../domain/credit-note-amount.js';
import { invoiceStatus, outstandingMicros } from '../domain/invoice-balance.js';
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError, OverpaymentError } from '../errors.js';

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
    const campaign = await loadCampaign(ctx, input.campaignId, [input.lineItemId]);
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
    const schedule = await loadTermsSchedule(ctx, campaign);
    const period = { startMs, endMs };
    const rows = rowsToInvoice(schedule, lineItem, deriveRows(schedule, lineItem, records, issuedMs), period, issuedMs);
    const unit = billableUnitOf(lineItem);
    const billableImpressions = rows.reduce((sum, r) => sum + r.billableImpressions, 0);
    const invoice: Invoice = {
      ...input,
      publisher: lineItem.publisher,
      advertiser: campaign.advertiser,
      agency: campaign.agency,
      currency: campaign.currency,
      ...(unit === 'IMPRESSIONS' ? {} : { billableUnit: unit }),
      cpmMicros: rows[0]?.cpmMicros ?? lineItem.cpmMicros,
      billableImpressions,
      periods: rows.map((r) => ({
        periodStart: r.periodStart,
        billableImpressions: r.billableImpressions,
        cpmMicros: r.cpmMicros,
        ...(unit === 'FLAT_FEE' ? { amountMicros: r.amountMicros } : {}),
      })),
      amountMicros: invoiceAmount(schedule, lineItem, rows, period),
      paidMicros: 0,
      status: 'ISSUED',
      issuedAt: txTimeIso(ctx),
      issuedBy: actorRecord(ctx),
      dueDate: formatDate(schedule.calendar.dayOf(issuedMs) + campaign.paymentTermsDays * DAY_MS),
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
      const campaign = await loadCampaignRecord(ctx, campaignId);
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
        const campaign = await ledger.get(KEY_TYPES.campaign, [entry.value], parseCampaignRecord);
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
    const campaign = await loadCampaign(ctx, invoice.campaignId, [invoice.lineItemId]);
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
    const outstanding = outstandingMicros(invoice);
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
      status: invoiceStatus({ ...invoice, paidMicros }),
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

  /**
   * Issues a credit note against an invoice, as the line item's publisher: the invoiced days and the billed units of
   * each it takes back. The chaincode computes the amount from the invoice's frozen days; all notes of an invoice
   * together never exceed its amount, nor what is still unpaid. The note reduces what is owed once the buyer accepts
   * it; the invoice itself is never edited.
   *
   * @returns `{creditNote, invoice}`.
   * @throws ValidationError, INVOICE_NOT_FOUND, ForbiddenError, ConflictError (creditNoteId taken), InvalidStateError
   * (a day not invoiced or already credited, more than the invoice or than is unpaid).
   */
  @Transaction()
  async IssueCreditNote(ctx: Context, creditNoteJson: string): Promise<string> {
    const [input] = parseTransactionArguments(TX.IssueCreditNote, [creditNoteJson]);
    const invoice = await this.#findInvoice(ctx, input.invoiceId);
    const campaign = await loadCampaign(ctx, invoice.campaignId, [invoice.lineItemId]);
    const relation = await relationTo(ctx, campaign);
    visibleLineItem(campaign, relation, invoice.lineItemId);
    requireLineItemPublisher(relation, invoice.lineItemId, 'issue a credit note');
    const ledger = new Ledger(ctx);
    const earlier = (await ledger.list(KEY_TYPES.creditNote, [invoice.invoiceId], parseCreditNote)).map((e) => e.value);
    if (earlier.some((note) => note.creditNoteId === input.creditNoteId)) {
      throw new ConflictError(`credit note ${input.creditNoteId} of invoice ${invoice.invoiceId} already exists`);
    }
    const amountMicros = creditNoteAmount(invoice, earlier, input.periods);
    const pending = earlier.filter((n) => n.status === 'ISSUED').reduce((sum, n) => sum + n.amountMicros, 0);
    const unpaid = outstandingMicros(invoice) - pending;
    if (amountMicros > unpaid) {
      throw new InvalidStateError(
        `a credit of ${amountMicros} micros exceeds the ${unpaid} micros of invoice ${invoice.invoiceId} neither paid nor already credited`,
      );
    }
    const creditNote: CreditNote = {
      ...input,
      campaignId: invoice.campaignId,
      lineItemId: invoice.lineItemId,
      publisher: invoice.publisher,
      advertiser: invoice.advertiser,
      agency: invoice.agency,
      currency: invoice.currency,
      amountMicros,
      status: 'ISSUED',
      issuedAt: txTimeIso(ctx),
      issuedBy: actorRecord(ctx),
      txId: ctx.stub.getTxID(),
    };
    const parties = [invoice.advertiser, invoice.agency, invoice.publisher];
    await ledger.put(KEY_TYPES.creditNote, [invoice.invoiceId, creditNote.creditNoteId], creditNote, parties);
    emitEvent(ctx, EVENTS.creditNoteIssued, {
      campaignId: invoice.campaignId,
      lineItemId: invoice.lineItemId,
      invoiceId: invoice.invoiceId,
      creditNoteId: creditNote.creditNoteId,
      status: creditNote.status,
      parties,
    });
    return encodeResult(TX.IssueCreditNote, { creditNote, invoice });
  }

  /**
   * Accepts an issued credit note, as the campaign's advertiser or agency: the invoice's `creditedMicros` grows by
   * its amount (the invoice's amount and days never change) and its status follows the balance.
   *
   * @returns `{creditNote, invoice}`.
   * @throws ValidationError, INVOICE_NOT_FOUND (no such invoice or note), ForbiddenError, InvalidStateError (already
   * accepted, or a payment since left less unpaid than the note).
   */
  @Transaction()
  async AcceptCreditNote(ctx: Context, invoiceId: string, creditNoteId: string): Promise<string> {
    parseTransactionArguments(TX.AcceptCreditNote, [invoiceId, creditNoteId]);
    const invoice = await this.#findInvoice(ctx, invoiceId);
    const campaign = await loadCampaign(ctx, invoice.campaignId, [invoice.lineItemId]);
    const relation = await relationTo(ctx, campaign);
    requireBuyer(relation, 'accept a credit note');
    const ledger = new Ledger(ctx);
    const note = await ledger.get(KEY_TYPES.creditNote, [invoiceId, creditNoteId], parseCreditNote);
    if (note === undefined) {
      throw new NotFoundError('INVOICE_NOT_FOUND', `invoice ${invoiceId} has no credit note ${creditNoteId}`);
    }
    if (note.status === 'ACCEPTED') {
      throw new InvalidStateError(`credit note ${creditNoteId} of invoice ${invoiceId} is already accepted`);
    }
    if (note.amountMicros > outstandingMicros(invoice)) {
      throw new InvalidStateError(
        `credit note ${creditNoteId} of ${note.amountMicros} micros exceeds the ${outstandingMicros(invoice)} micros still owed on invoice ${invoiceId}`,
      );
    }
    const accepted: CreditNote = {
      ...note,
      status: 'ACCEPTED',
      acceptedAt: txTimeIso(ctx),
      acceptedByMsp: relation.mspId,
      acceptedBy: actorRecord(ctx),
      acceptedTxId: ctx.stub.getTxID(),
    };
    const creditedMicros = (invoice.creditedMicros ?? 0) + note.amountMicros;
    const updated = withChanges(invoice, {
      creditedMicros,
      status: invoiceStatus({ ...invoice, creditedMicros }),
    });
    const parties = [invoice.advertiser, invoice.agency, invoice.publisher];
    await ledger.put(KEY_TYPES.creditNote, [invoiceId, creditNoteId], accepted, parties);
    await ledger.put(KEY_TYPES.invoice, [invoiceId], updated, parties);
    emitEvent(ctx, EVENTS.creditNoteAccepted, {
      campaignId: invoice.campaignId,
      lineItemId: invoice.lineItemId,
      invoiceId,
      creditNoteId,
      status: updated.status,
      parties,
    });
    return encodeResult(TX.AcceptCreditNote, { creditNote: accepted, invoice: updated });
  }

  /**
   * @returns `{records}`: the credit notes of an invoice, by creditNoteId.
   * @throws ValidationError, INVOICE_NOT_FOUND, ForbiddenError.
   */
  @Transaction(false)
  async ListCreditNotes(ctx: Context, queryJson: string): Promise<string> {
    const [{ invoiceId }] = parseTransactionArguments(TX.ListCreditNotes, [queryJson]);
    await this.#visibleInvoice(ctx, invoiceId);
    const records = (await new Ledger(ctx).list(KEY_TYPES.creditNote, [invoiceId], parseCreditNote)).map(
      (e) => e.value,
    );
    return encodeResult(TX.ListCreditNotes, { records });
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
    const campaign = await loadCampaign(ctx, invoice.campaignId, [invoice.lineItemId]);
    visibleLineItem(campaign, await relationTo(ctx, campaign), invoice.lineItemId);
    return invoice;
  }
}
