import type { Invoice, ReportRow } from '@adrecon/contract';
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

/**
 * Re-reads a campaign through the gateway's existing read transactions (the typed facade over `contract/`):
 * `campaigns:Get`; `reconciliation:Report` for the campaign, or, for a coverage of line items, one bounded report
 * per line item (`lineItemId`, `from` its first changed day: the chaincode reads that line item's records only and
 * returns the rows from that day on); and, when invoices are covered, every page of `billing:ListInvoices`. A
 * campaign the organization may not (or no longer) see reads as gone.
 * @throws {AppError} what the ledger throws, except the "gone" codes.
 */
export function newCampaignReader(contract: LedgerContract, organization: string): CampaignReader {
  return async (campaignId, cause, coverage) => {
    try {
      const campaign = await contract.campaigns.get(organization, campaignId);
      const rows: ReportRow[] = [];
      if (coverage?.lineItems === undefined) {
        rows.push(...(await contract.reconciliation.report(organization, { campaignId })).rows);
      } else {
        for (const [lineItemId, from] of coverage.lineItems) {
          const query = from === undefined ? { campaignId, lineItemId } : { campaignId, lineItemId, from };
          rows.push(...(await contract.reconciliation.report(organization, query)).rows);
        }
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
