/**
 * The reporting store's report-row columns and the SQL that renders a row as the JSON API's object. One table: the
 * store's upsert, its row reads and its JSON pages all derive from it.
 */

/** The report row's columns: JSON field of the ledger's row, SQL column, SQL type. */
export const ROW_COLUMNS = [
  ['campaignId', 'campaign_id', 'text'],
  ['lineItemId', 'line_item_id', 'text'],
  ['periodStart', 'period_start', 'text'],
  ['periodEnd', 'period_end', 'text'],
  ['publisher', 'publisher', 'text'],
  ['firstPartyImpressions', 'first_party_impressions', 'bigint'],
  ['thirdPartyImpressions', 'third_party_impressions', 'bigint'],
  ['discrepancyBps', 'discrepancy_bps', 'bigint'],
  ['status', 'status', 'text'],
  ['agreedImpressions', 'agreed_impressions', 'bigint'],
  ['resolution', 'resolution', 'jsonb'],
  ['billingBasis', 'billing_basis', 'text'],
  ['billableImpressions', 'billable_impressions', 'bigint'],
  ['cpmMicros', 'cpm_micros', 'bigint'],
  ['amountMicros', 'amount_micros', 'bigint'],
  ['invoiceId', 'invoice_id', 'text'],
  ['invoicedMicros', 'invoiced_micros', 'bigint'],
  ['creditedMicros', 'credited_micros', 'bigint'],
  ['paidMicros', 'paid_micros', 'bigint'],
  ['outstandingMicros', 'outstanding_micros', 'bigint'],
  ['overdue', 'overdue', 'boolean'],
  ['invoicedBy', 'invoiced_by', 'jsonb'],
  ['timeZone', 'time_zone', 'text'],
  ['billableUnit', 'billable_unit', 'text'],
  ['makeGoodImpressions', 'make_good_impressions', 'bigint'],
] as const;

/** A field of the stored report row. */
export type RowField = (typeof ROW_COLUMNS)[number][0];

/** Row fields the ledger omits when absent (rather than null): left out of a stored row when the column is null. */
export const OPTIONAL_FIELDS: ReadonlySet<string> = new Set<RowField>([
  'timeZone',
  'billableUnit',
  'makeGoodImpressions',
]);

/** The SQL expressions a row's JSON is rendered from: each field's value, the row's day, block and transaction. */
export interface RowSources {
  readonly field: (field: RowField, column: string) => string;
  /** The row's day as `YYYY-MM-DD` text. */
  readonly day: string;
  /** The block number as text. */
  readonly blockNumber: string;
  readonly transactionId: string;
}

/** A stored row's own columns as the sources of its JSON (a backfill of rows written without it). */
export const TABLE_SOURCES: RowSources = {
  field: (_field, column) => column,
  day: `to_char(day, 'YYYY-MM-DD')`,
  blockNumber: 'CAST(block_number AS text)',
  transactionId: 'tx_id',
};

/**
 * One row as JSON text, in the order and form of the store's row objects (`blockNumber` as text, the JSON API's
 * form), a null optional field left out: one branch per set of optional fields present (json_build_object cannot
 * leave a key out, and building the object any other way, jsonb or joined text, took 2-2.5x as long).
 */
export function rowJsonSql(sources: RowSources): string {
  const optional = ROW_COLUMNS.filter(([field]) => OPTIONAL_FIELDS.has(field));
  const branches = Array.from({ length: 2 ** optional.length }, (_, mask) => {
    const present = new Set(optional.filter((_, i) => (mask & (1 << i)) !== 0).map(([field]) => field));
    const when = optional.map(
      ([field, column]) => `${sources.field(field, column)} IS ${present.has(field) ? 'NOT ' : ''}NULL`,
    );
    const pairs = ROW_COLUMNS.filter(([field]) => !OPTIONAL_FIELDS.has(field) || present.has(field)).map(
      ([field, column]) => `'${field}', ${sources.field(field, column)}`,
    );
    return `WHEN ${when.join(' AND ')} THEN json_build_object(${pairs.join(', ')}, 'day', ${sources.day},
    'blockNumber', ${sources.blockNumber}, 'transactionId', ${sources.transactionId})`;
  });
  return `CAST(CASE ${branches.join(' ')} END AS text)`;
}
