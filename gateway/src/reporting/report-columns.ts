/**
 * Columns of the CSV reconciliation report, in order: the ledger report's (`/reports/reconciliation`) and, followed
 * by the provenance, the reporting store's CSV and XLSX exports. `timeZone` and `day` say whose calendar day the row
 * is (time-zone mismatches are a known cause of discrepancies); `billableUnit` what the counts and price are of.
 * Each column's kind (text, or a number: counts, basis points, micros) is beside its name.
 */
const COLUMN_KINDS = {
  campaignId: 'text',
  lineItemId: 'text',
  publisher: 'text',
  timeZone: 'text',
  day: 'text',
  periodStart: 'text',
  periodEnd: 'text',
  billableUnit: 'text',
  status: 'text',
  billingBasis: 'text',
  firstPartyImpressions: 'number',
  thirdPartyImpressions: 'number',
  discrepancyBps: 'number',
  agreedImpressions: 'number',
  billableImpressions: 'number',
  makeGoodImpressions: 'number',
  cpmMicros: 'number',
  amountMicros: 'number',
  invoiceId: 'text',
  invoicedMicros: 'number',
  creditedMicros: 'number',
  paidMicros: 'number',
  outstandingMicros: 'number',
  overdue: 'text',
  overdueMicros: 'number',
  resolutionProposedBy: 'text',
  resolutionAcceptedBy: 'text',
  invoicedBy: 'text',
} as const satisfies Record<string, 'text' | 'number'>;

/** A column of the report. */
export type ReportColumn = keyof typeof COLUMN_KINDS;

export const REPORT_COLUMNS = Object.keys(COLUMN_KINDS) as readonly ReportColumn[];

/** The report's numeric columns (counts, basis points, micros), e.g. number cells of an XLSX export. */
export const NUMERIC_REPORT_COLUMNS: ReadonlySet<string> = new Set(
  REPORT_COLUMNS.filter((column) => COLUMN_KINDS[column] === 'number'),
);
