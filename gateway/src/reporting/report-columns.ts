/**
 * Columns of the CSV reconciliation report, in order: the ledger report's (`/reports/reconciliation`) and, followed
 * by the provenance, the reporting store's CSV and XLSX exports. `timeZone` and `day` say whose calendar day the row
 * is (time-zone mismatches are a known cause of discrepancies); `billableUnit` what the counts and price are of.
 */
export const REPORT_COLUMNS = [
  'campaignId',
  'lineItemId',
  'publisher',
  'timeZone',
  'day',
  'periodStart',
  'periodEnd',
  'billableUnit',
  'status',
  'billingBasis',
  'firstPartyImpressions',
  'thirdPartyImpressions',
  'discrepancyBps',
  'agreedImpressions',
  'billableImpressions',
  'makeGoodImpressions',
  'cpmMicros',
  'amountMicros',
  'invoiceId',
  'invoicedMicros',
  'creditedMicros',
  'paidMicros',
  'outstandingMicros',
  'overdue',
  'overdueMicros',
  'resolutionProposedBy',
  'resolutionAcceptedBy',
  'invoicedBy',
] as const;

/** The report's numeric columns (counts, basis points, micros), e.g. number cells of an XLSX export. */
export const NUMERIC_REPORT_COLUMNS: ReadonlySet<string> = new Set<(typeof REPORT_COLUMNS)[number]>([
  'firstPartyImpressions',
  'thirdPartyImpressions',
  'discrepancyBps',
  'agreedImpressions',
  'billableImpressions',
  'makeGoodImpressions',
  'cpmMicros',
  'amountMicros',
  'invoicedMicros',
  'creditedMicros',
  'paidMicros',
  'outstandingMicros',
  'overdueMicros',
]);
