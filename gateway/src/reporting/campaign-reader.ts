import { DAY_MS, dateToEpochMs, formatDate, type Campaign, type Invoice, type ReportRow } from '@adrecon/contract';
import { AppError } from '../errors';
import type { LedgerContract } from '../ledger/ledger-contract';
import type { CampaignSnapshot, Provenance, SnapshotCoverage } from './report-store';

/**
 * Reads one campaign's current records as the organization sees them, all of it or only the `coverage` an event
 * named (some line items from a day on); see {@link newCampaignReader}.
 */
export type CampaignReader = (
  campaignId: string,
  cause: Provenance,
  coverage?: SnapshotCoverage,
) => Promise<CampaignSnapshot>;

const GONE = new Set(['CAMPAIGN_NOT_FOUND', 'FORBIDDEN']);

const tooLarge = (err: unknown): boolean => err instanceof AppError && err.code === 'RESULT_TOO_LARGE';

/**
 * One line item's rows of the days `from` through `to` (either open), as one answer; an answer too large for one
 * gRPC message (`RESULT_TOO_LARGE`) is read again as two halves of the days, split at the middle of the range within
 * the line item's `flight` (the open ends stay open, so rows of days a make-good added are kept). A line item whose
 * flight the campaign does not show is read in one answer.
 * @throws {AppError} what the ledger throws; `RESULT_TOO_LARGE` when a single day is still too large.
 */
async function lineItemRows(
  contract: LedgerContract,
  organization: string,
  campaignId: string,
  lineItemId: string,
  flight: Pick<Campaign['lineItems'][number], 'flightStart' | 'flightEnd'> | undefined,
  from: string | undefined,
  to: string | undefined,
): Promise<ReportRow[]> {
  const range = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  try {
    return (await contract.reconciliation.report(organization, { campaignId, lineItemId, ...range })).rows;
  } catch (err) {
    if (!tooLarge(err) || flight === undefined) throw err;
    const low = dateToEpochMs(from ?? flight.flightStart);
    const high = dateToEpochMs(to ?? flight.flightEnd);
    if (low === undefined || high === undefined || low >= high) throw err;
    const middle = low + Math.floor((high - low) / DAY_MS / 2) * DAY_MS;
    return [
      ...(await lineItemRows(contract, organization, campaignId, lineItemId, flight, from, formatDate(middle))),
      ...(await lineItemRows(contract, organization, campaignId, lineItemId, flight, formatDate(middle + DAY_MS), to)),
    ];
  }
}

/**
 * Re-reads a campaign through the gateway's existing read transactions (the typed facade over `contract/`):
 * `campaigns:Get`; `reconciliation:Report` for the campaign, or, for a coverage of line items, one bounded report
 * per line item (`lineItemId`, `from` its first changed day: the chaincode reads that line item's records only and
 * returns the rows from that day on); a campaign or line item whose answer exceeds one gRPC message is read in
 * smaller parts (line items, then halves of their days: {@link lineItemRows}); and, when invoices are covered, every
 * page of `billing:ListInvoices`. A campaign the organization may not (or no longer) see reads as gone.
 * @throws {AppError} what the ledger throws, except the "gone" codes.
 */
export function newCampaignReader(contract: LedgerContract, organization: string): CampaignReader {
  return async (campaignId, cause, coverage) => {
    try {
      const campaign = await contract.campaigns.get(organization, campaignId);
      const rows: ReportRow[] = [];
      const lineItems = new Map(campaign.lineItems.map((item) => [item.lineItemId, item]));
      const bounded = (lineItemId: string, from: string | undefined) =>
        lineItemRows(contract, organization, campaignId, lineItemId, lineItems.get(lineItemId), from, undefined);
      if (coverage?.lineItems === undefined) {
        try {
          rows.push(...(await contract.reconciliation.report(organization, { campaignId })).rows);
        } catch (err) {
          // A campaign too large for one answer is read one line item at a time.
          if (!tooLarge(err)) throw err;
          for (const lineItemId of lineItems.keys()) rows.push(...(await bounded(lineItemId, undefined)));
        }
      } else {
        for (const [lineItemId, from] of coverage.lineItems) rows.push(...(await bounded(lineItemId, from)));
      }
      const invoices: Invoice[] = [];
      if (coverage?.invoices !== false) {
        let bookmark = '';
        do {
          const page = await contract.billing.listInvoices(organization, { campaignId, pageSize: 200, bookmark });
          invoices.push(...page.records);
          bookmark = page.bookmark;
        } while (bookmark !== '');
      }
      return { campaignId, campaign, rows, invoices, cause, ...(coverage === undefined ? {} : { coverage }) };
    } catch (err) {
      if (err instanceof AppError && GONE.has(err.code)) {
        return { campaignId, campaign: undefined, rows: [], invoices: [], cause };
      }
      throw err;
    }
  };
}
