import type { Invoice } from '@adrecon/contract';
import { AppError } from '../errors';
import type { LedgerContract } from '../ledger/ledger-contract';
import type { CampaignSnapshot, Provenance } from './report-store';

/** Reads one campaign's current records as the organization sees them; see {@link newCampaignReader}. */
export type CampaignReader = (campaignId: string, cause: Provenance) => Promise<CampaignSnapshot>;

const GONE = new Set(['CAMPAIGN_NOT_FOUND', 'FORBIDDEN']);

/**
 * Re-reads a campaign through the gateway's existing read transactions (the typed facade over `contract/`):
 * `campaigns:Get`, `reconciliation:Report` for the campaign, and every page of `billing:ListInvoices`. A campaign
 * the organization may not (or no longer) see reads as gone.
 * @throws {AppError} what the ledger throws, except the "gone" codes.
 */
export function newCampaignReader(contract: LedgerContract, organization: string): CampaignReader {
  return async (campaignId, cause) => {
    try {
      const campaign = await contract.campaigns.get(organization, campaignId);
      const report = await contract.reconciliation.report(organization, { campaignId });
      const invoices: Invoice[] = [];
      let bookmark = '';
      do {
        const page = await contract.billing.listInvoices(organization, { campaignId, pageSize: 200, bookmark });
        invoices.push(...page.records);
        bookmark = page.bookmark;
      } while (bookmark !== '');
      return { campaignId, campaign, rows: report.rows, invoices, cause };
    } catch (err) {
      if (err instanceof AppError && GONE.has(err.code)) {
        return { campaignId, campaign: undefined, rows: [], invoices: [], cause };
      }
      throw err;
    }
  };
}
