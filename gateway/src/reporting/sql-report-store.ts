import type { Campaign, Invoice, ReportRow } from '@adrecon/contract';
import type {
  AppliedBatch,
  CampaignSnapshot,
  CampaignSummary,
  ReportStore,
  ReportTotals,
  StoreReport,
  StoreReportJson,
  StoreReportQuery,
  StoredInvoice,
  StoredReportRow,
} from './report-store';
import type { SqlDriver, SqlExecutor, SqlValue } from './sql-driver';
import { OPTIONAL_FIELDS, ROW_COLUMNS, TABLE_SOURCES, rowJsonSql, type RowSources } from './stored-row-sql';

const NUMERIC = new Set<string>(ROW_COLUMNS.filter(([, , type]) => type === 'bigint').map(([field]) => field));
const CONTENT = ROW_COLUMNS.filter(([field]) => !['campaignId', 'lineItemId', 'periodStart'].includes(field));

const recordset = `jsonb_to_recordset($1::jsonb) AS r(${ROW_COLUMNS.map(([f, , t]) => `"${f}" ${t}`).join(', ')}, "day" text)`;

const ROW_DAY = `CAST(COALESCE(r."day", substr(r."periodStart", 1, 10)) AS date)`;

/** The upsert's rows as the sources of their JSON text: the snapshot's fields, the block ($2) and transaction ($3). */
const SNAPSHOT_SOURCES: RowSources = {
  field: (field) => `r."${field}"`,
  day: `to_char(${ROW_DAY}, 'YYYY-MM-DD')`,
  blockNumber: 'CAST(CAST($2 AS bigint) AS text)',
  transactionId: 'CAST($3 AS text)',
};

/** Each row's JSON text is rendered as it is written (`row_json`), so a JSON page only joins the texts. */
const UPSERT_ROWS = `
INSERT INTO reconciliation_rows (${ROW_COLUMNS.map(([, c]) => c).join(', ')}, day, block_number, tx_id, row_json)
SELECT ${ROW_COLUMNS.map(([f]) => `r."${f}"`).join(', ')}, ${ROW_DAY}, CAST($2 AS bigint), CAST($3 AS text),
  ${rowJsonSql(SNAPSHOT_SOURCES)}
FROM ${recordset}
ON CONFLICT (campaign_id, line_item_id, period_start) DO UPDATE SET
  ${CONTENT.map(([, c]) => `${c} = EXCLUDED.${c}`).join(', ')}, block_number = EXCLUDED.block_number, tx_id = EXCLUDED.tx_id,
  row_json = EXCLUDED.row_json
WHERE (${CONTENT.map(([, c]) => `reconciliation_rows.${c}`).join(', ')}) IS DISTINCT FROM (${CONTENT.map(([, c]) => `EXCLUDED.${c}`).join(', ')})`;

/**
 * Renders the JSON text of rows stored before it was kept (or after a migration that reset it); run at every open,
 * it finds them through a partial index of the rows without it (migration 5), not a scan of the table.
 */
const RENDER_MISSING_ROW_JSON = `UPDATE reconciliation_rows SET row_json = ${rowJsonSql(TABLE_SOURCES)} WHERE row_json IS NULL`;

const DELETE_GONE_ROWS = `
DELETE FROM reconciliation_rows WHERE campaign_id = $2 AND (line_item_id, period_start) NOT IN (
  SELECT r."lineItemId", r."periodStart" FROM ${recordset})`;

/** Within one line item's re-read days ($4: first day, or null for all), the rows the snapshot ($1) lacks. */
const DELETE_GONE_LINE_ITEM_ROWS = `
DELETE FROM reconciliation_rows WHERE campaign_id = $2 AND line_item_id = $3
  AND (CAST($4 AS text) IS NULL OR day >= CAST($4 AS date)) AND period_start NOT IN (
  SELECT r."periodStart" FROM ${recordset} WHERE r."lineItemId" = $3)`;

const SELECT_ROW = `${ROW_COLUMNS.map(([f, c]) => `${c} AS "${f}"`).join(', ')}, to_char(day, 'YYYY-MM-DD') AS "day", block_number AS "blockNumber", tx_id AS "transactionId"`;

const TOTALS = `
COALESCE(SUM(first_party_impressions), 0) AS "firstPartyImpressions",
COALESCE(SUM(third_party_impressions), 0) AS "thirdPartyImpressions",
COALESCE(SUM(billable_impressions), 0) AS "billableImpressions",
COALESCE(SUM(amount_micros), 0) AS "amountMicros",
COALESCE(SUM(invoiced_micros), 0) AS "invoicedMicros",
COALESCE(SUM(credited_micros), 0) AS "creditedMicros",
COALESCE(SUM(paid_micros), 0) AS "paidMicros",
COALESCE(SUM(outstanding_micros), 0) AS "outstandingMicros",
COALESCE(SUM(CASE WHEN overdue THEN outstanding_micros ELSE 0 END), 0) AS "overdueMicros",
COUNT(*) AS "rowCount"`;

function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function toBigInt(value: unknown): bigint {
  return typeof value === 'bigint' ? value : BigInt(value as string | number);
}

function parseJsonColumn(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

function rowOf(raw: Record<string, unknown>): StoredReportRow {
  const row: Record<string, unknown> = {};
  for (const [field] of ROW_COLUMNS) {
    const value = raw[field];
    if ((value === null || value === undefined) && OPTIONAL_FIELDS.has(field)) continue;
    row[field] =
      value === null || value === undefined
        ? null
        : NUMERIC.has(field)
          ? toNumber(value)
          : field === 'resolution' || field === 'invoicedBy'
            ? parseJsonColumn(value)
            : value;
  }
  return {
    ...(row as unknown as ReportRow),
    ...(typeof raw.day === 'string' ? { day: raw.day } : {}),
    blockNumber: toBigInt(raw.blockNumber),
    transactionId: String(raw.transactionId),
  };
}

/**
 * A page's rows as one JSON array built by the database from each row's stored JSON text: 10,000 rows cross from
 * the database as one string instead of 250,000 values, and no row is rendered at read time.
 */
const ROWS_JSON = `string_agg(row_json, ',' ORDER BY campaign_id, line_item_id, period_start)`;

/** The page's JSON array from the joined rows (null: none); brackets added here, not by copying megabytes in SQL. */
const arrayOf = (joined: string | null | undefined): string => `[${joined ?? ''}]`;

/** The totals and row count of a selection, from the columns of {@link TOTALS}. */
function totalsOf(raw: Record<string, unknown> | undefined): { totals: ReportTotals; rowCount: number } {
  const totals: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw ?? {})) totals[key] = toNumber(value);
  const { rowCount, ...sums } = totals;
  return { totals: sums as unknown as ReportTotals, rowCount: rowCount ?? 0 };
}

/**
 * The planner settings of a report read (this transaction only). The store's pages are in memory or on SSD, where a
 * random read costs about a sequential one (`random_page_cost` 1.1 instead of 4, the usual SSD setting): with the
 * default, a campaign's quarter of the table was read by a bitmap scan and sorted, 72 ms against 27 ms through the
 * primary key's order for 10,000 rows. A page's sort (month-end rows are read by day, then put in key order) stays
 * in memory up to 64 MB (`work_mem`; at the default 4 MB, 10,000 rows of about 800 bytes sorted on disk).
 */
const READ_SETTINGS = "SET LOCAL random_page_cost = 1.1; SET LOCAL work_mem = '64MB'";

/** The last block the store applied, read through `db` (a connection, or a read's snapshot). */
async function checkpointOf(db: SqlExecutor): Promise<bigint | undefined> {
  const [row] = await db.query<{ block: unknown }>(
    'SELECT block_number AS block FROM listener_checkpoint WHERE id = 1',
  );
  return row === undefined ? undefined : toBigInt(row.block);
}

/** The totals and row count of the rows `clause` selects. */
async function selectionTotals(db: SqlExecutor, clause: string, params: readonly SqlValue[]) {
  return totalsOf((await db.query(`SELECT ${TOTALS} FROM reconciliation_rows WHERE ${clause}`, params))[0]);
}

/** A page cursor: the key of the last row of the page, as opaque base64url text. */
function encodeCursor(row: Readonly<{ campaignId: string; lineItemId: string; periodStart: string }>): string {
  return Buffer.from(JSON.stringify([row.campaignId, row.lineItemId, row.periodStart])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string, string] | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'string')) {
      return value as [string, string, string];
    }
  } catch {
    // an unreadable cursor is refused below
  }
  return undefined;
}

/** Thrown for a cursor that this store did not write. */
export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this report returned');
    this.name = 'InvalidCursorError';
  }
}

function whereOf(query: Readonly<StoreReportQuery>): { clause: string; params: SqlValue[] } {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, value: SqlValue) => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (query.campaignId !== undefined) add('campaign_id = ?', query.campaignId);
  if (query.publisher !== undefined) add('publisher = ?', query.publisher);
  if (query.lineItemId !== undefined) add('line_item_id = ?', query.lineItemId);
  if (query.status !== undefined) add('status = ?', query.status);
  if (query.from !== undefined) add('day >= CAST(? AS date)', query.from);
  if (query.to !== undefined) add('day <= CAST(? AS date)', query.to);
  return { clause: conditions.length === 0 ? 'TRUE' : conditions.join(' AND '), params };
}

async function applySnapshot(tx: SqlExecutor, snapshot: CampaignSnapshot): Promise<void> {
  const { campaignId, campaign, cause } = snapshot;
  const block = cause.blockNumber.toString();
  if (campaign === undefined) {
    await tx.query('DELETE FROM reconciliation_rows WHERE campaign_id = $1', [campaignId]);
    await tx.query('DELETE FROM invoices WHERE campaign_id = $1', [campaignId]);
    await tx.query('DELETE FROM campaigns WHERE campaign_id = $1', [campaignId]);
    return;
  }
  const document = JSON.stringify(campaign);
  await tx.query(
    `INSERT INTO campaigns (campaign_id, name, status, advertiser, agency, currency, version, document, block_number, tx_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS jsonb), $9, $10)
     ON CONFLICT (campaign_id) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status,
       advertiser = EXCLUDED.advertiser, agency = EXCLUDED.agency, currency = EXCLUDED.currency,
       version = EXCLUDED.version, document = EXCLUDED.document, block_number = EXCLUDED.block_number,
       tx_id = EXCLUDED.tx_id
     WHERE campaigns.document IS DISTINCT FROM EXCLUDED.document`,
    [
      campaignId,
      campaign.name,
      campaign.status,
      campaign.advertiser,
      campaign.agency,
      campaign.currency,
      campaign.version,
      document,
      block,
      cause.transactionId,
    ],
  );
  const rows = JSON.stringify(snapshot.rows);
  await tx.query(UPSERT_ROWS, [rows, block, cause.transactionId]);
  const lineItems = snapshot.coverage?.lineItems;
  if (lineItems === undefined) {
    await tx.query(DELETE_GONE_ROWS, [rows, campaignId]);
  } else {
    for (const [lineItemId, from] of lineItems) {
      await tx.query(DELETE_GONE_LINE_ITEM_ROWS, [rows, campaignId, lineItemId, from ?? null]);
    }
  }
  if (snapshot.coverage?.invoices === false) return;
  for (const invoice of snapshot.invoices) {
    await tx.query(
      `INSERT INTO invoices (invoice_id, campaign_id, line_item_id, publisher, status, currency, amount_micros,
         paid_micros, issued_at, due_date, document, block_number, tx_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CAST($10 AS date), CAST($11 AS jsonb), $12, $13)
       ON CONFLICT (invoice_id) DO UPDATE SET status = EXCLUDED.status, paid_micros = EXCLUDED.paid_micros,
         document = EXCLUDED.document, block_number = EXCLUDED.block_number, tx_id = EXCLUDED.tx_id
       WHERE invoices.document IS DISTINCT FROM EXCLUDED.document`,
      [
        invoice.invoiceId,
        invoice.campaignId,
        invoice.lineItemId,
        invoice.publisher,
        invoice.status,
        invoice.currency,
        invoice.amountMicros,
        invoice.paidMicros,
        invoice.issuedAt,
        invoice.dueDate,
        JSON.stringify(invoice),
        block,
        cause.transactionId,
      ],
    );
  }
}

/**
 * When the planner's statistics are refreshed: after this many rows written plus a tenth of the rows at the last
 * refresh (autovacuum's rule). The embedded PostgreSQL runs no autovacuum, and without statistics it sorts a
 * campaign's rows instead of reading them in key order from the index (about 3x slower for 10,000 rows).
 */
const ANALYZE_AFTER_ROWS = 500;
const ANALYZE_AFTER_SHARE = 0.1;

class SqlReportStore implements ReportStore {
  readonly #db: SqlDriver;
  /** Rows written at the last statistics refresh (an upper bound: rewrites count again) and since then. */
  #rowsAtAnalyze: number;
  #rowsSinceAnalyze = 0;

  constructor(db: SqlDriver, rows: number) {
    this.#db = db;
    this.#rowsAtAnalyze = rows;
  }

  get backend() {
    return this.#db.backend;
  }

  checkpoint(): Promise<bigint | undefined> {
    return checkpointOf(this.#db);
  }

  async apply(batch: Readonly<AppliedBatch>): Promise<void> {
    await this.#db.transaction(async (tx) => {
      for (const t of batch.transactions) {
        await tx.query(
          // No ON CONFLICT: applying a transaction twice is a bug the primary key must make loud.
          'INSERT INTO ledger_transactions (tx_id, block_number, event_name, campaign_id) VALUES ($1, $2, $3, $4)',
          [t.transactionId, t.blockNumber.toString(), t.eventName, t.campaignId ?? null],
        );
      }
      for (const snapshot of batch.snapshots) await applySnapshot(tx, snapshot);
      await tx.query(
        `INSERT INTO listener_checkpoint (id, block_number, updated_at) VALUES (1, $1, now())
         ON CONFLICT (id) DO UPDATE SET block_number = EXCLUDED.block_number, updated_at = now()`,
        [batch.lastBlock.toString()],
      );
    });
    this.#rowsSinceAnalyze += batch.snapshots.reduce((sum, snapshot) => sum + snapshot.rows.length, 0);
    if (this.#rowsSinceAnalyze > ANALYZE_AFTER_ROWS + ANALYZE_AFTER_SHARE * this.#rowsAtAnalyze) {
      await this.#db.exec('ANALYZE reconciliation_rows');
      this.#rowsAtAnalyze += this.#rowsSinceAnalyze;
      this.#rowsSinceAnalyze = 0;
    }
  }

  async transactionBlock(transactionId: string): Promise<bigint | undefined> {
    const rows = await this.#db.query<{ block: unknown }>(
      'SELECT block_number AS block FROM ledger_transactions WHERE tx_id = $1',
      [transactionId],
    );
    return rows[0] === undefined ? undefined : toBigInt(rows[0].block);
  }

  /**
   * Runs a read in one snapshot of the store (REPEATABLE READ): its checkpoint, totals and rows describe the same
   * applied blocks even while the listener writes.
   */
  #snapshot<T>(read: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#db.transaction(async (tx) => {
      await tx.exec(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; ${READ_SETTINGS}`);
      return read(tx);
    });
  }

  /** The selection's filter and, after the cursor, the page's; with the parameters of each. */
  #clauses(query: Readonly<StoreReportQuery>) {
    const { clause, params } = whereOf(query);
    const pageParams = [...params];
    let pageClause = clause;
    if (query.cursor !== undefined && query.cursor !== '') {
      const after = decodeCursor(query.cursor);
      if (after === undefined) throw new InvalidCursorError();
      pageParams.push(...after);
      const n = pageParams.length;
      pageClause += ` AND (campaign_id, line_item_id, period_start) > ($${n - 2}, $${n - 1}, $${n})`;
    }
    return { clause, params, pageClause, pageParams, whole: pageParams.length === params.length };
  }

  report(query: Readonly<StoreReportQuery>): Promise<StoreReport> {
    return this.#snapshot(async (tx) => {
      const { clause, params, pageClause, pageParams } = this.#clauses(query);
      const asOfBlock = await checkpointOf(tx);
      const { rowCount, totals } = await selectionTotals(tx, clause, params);
      pageParams.push(query.limit + 1);
      const raw = await tx.query(
        `SELECT ${SELECT_ROW} FROM reconciliation_rows WHERE ${pageClause}
         ORDER BY campaign_id, line_item_id, period_start LIMIT $${pageParams.length}`,
        pageParams,
      );
      const rows = raw.slice(0, query.limit).map(rowOf);
      const last = rows[rows.length - 1];
      return {
        rows,
        totals,
        rowCount,
        asOfBlock,
        nextCursor: raw.length > query.limit && last !== undefined ? encodeCursor(last) : '',
      };
    });
  }

  reportJson(query: Readonly<StoreReportQuery>): Promise<StoreReportJson> {
    return this.#snapshot(async (tx) => {
      const { clause, params, pageClause, pageParams, whole } = this.#clauses(query);
      const asOfBlock = await checkpointOf(tx);
      // The page's last key and whether a row follows it (two keys from the index); then the page's rows up to that
      // key joined in key order: the index gives the order, so nothing is sorted, not even a page of 10,000 rows.
      const edge = await tx.query<{ campaignId: string; lineItemId: string; periodStart: string }>(
        `SELECT campaign_id AS "campaignId", line_item_id AS "lineItemId", period_start AS "periodStart"
         FROM reconciliation_rows WHERE ${pageClause}
         ORDER BY campaign_id, line_item_id, period_start OFFSET $${pageParams.length + 1} - 1 LIMIT 2`,
        [...pageParams, query.limit],
      );
      const last = edge[0];
      const nextCursor = edge.length > 1 && last !== undefined ? encodeCursor(last) : '';
      if (whole && nextCursor === '') {
        // The page is the whole selection: its rows and totals in one scan.
        const [all] = await tx.query<{ rows: string | null }>(
          `SELECT ${ROWS_JSON} AS rows, ${TOTALS} FROM reconciliation_rows WHERE ${clause}`,
          params,
        );
        const { rows, ...sums } = all ?? { rows: null };
        return { rowsJson: arrayOf(rows), ...totalsOf(sums), asOfBlock, nextCursor };
      }
      const { rowCount, totals } = await selectionTotals(tx, clause, params);
      const n = pageParams.length;
      const [page] = await tx.query<{ rows: string | null }>(
        `SELECT ${ROWS_JSON} AS rows FROM reconciliation_rows WHERE ${pageClause}${
          last === undefined
            ? ''
            : ` AND (campaign_id, line_item_id, period_start) <= ($${n + 1}, $${n + 2}, $${n + 3})`
        }`,
        last === undefined ? pageParams : [...pageParams, last.campaignId, last.lineItemId, last.periodStart],
      );
      return { rowsJson: arrayOf(page?.rows), totals, rowCount, asOfBlock, nextCursor };
    });
  }

  async campaigns(): Promise<CampaignSummary[]> {
    const raw = await this.#db.query(
      `SELECT c.campaign_id, c.document, c.block_number, c.tx_id,
         COALESCE(SUM(r.billable_impressions), 0) AS billable,
         COALESCE(SUM(r.amount_micros), 0) AS amount,
         COUNT(r.status) FILTER (WHERE r.status = 'DISPUTED') AS disputed
       FROM campaigns c LEFT JOIN reconciliation_rows r ON r.campaign_id = c.campaign_id
       GROUP BY c.campaign_id, c.document, c.block_number, c.tx_id ORDER BY c.campaign_id`,
    );
    return raw.map((row) => {
      const campaign = parseJsonColumn(row.document) as Campaign;
      return {
        campaignId: campaign.campaignId,
        name: campaign.name,
        status: campaign.status,
        advertiser: campaign.advertiser,
        agency: campaign.agency,
        currency: campaign.currency,
        version: campaign.version,
        bookedImpressions: campaign.lineItems.reduce((sum, item) => sum + item.bookedImpressions, 0),
        billableImpressions: toNumber(row.billable),
        disputedDays: toNumber(row.disputed),
        amountMicros: toNumber(row.amount),
        lineItems: campaign.lineItems,
        discrepancyToleranceBps: campaign.discrepancyToleranceBps,
        blockNumber: toBigInt(row.block_number),
        transactionId: String(row.tx_id),
      };
    });
  }

  async invoices(asOfDate: string, campaignId?: string): Promise<StoredInvoice[]> {
    const raw = await this.#db.query(
      `SELECT document, block_number, tx_id, (CAST($1 AS date) - due_date) AS days_past_due FROM invoices
       WHERE ($2::text IS NULL OR campaign_id = $2) ORDER BY due_date, invoice_id`,
      [asOfDate, campaignId ?? null],
    );
    return raw.map((row) => {
      const invoice = parseJsonColumn(row.document) as Invoice;
      const pastDue = toNumber(row.days_past_due);
      const aging =
        invoice.status === 'PAID'
          ? 'PAID'
          : pastDue > 0
            ? 'OVERDUE'
            : invoice.status === 'PARTIALLY_PAID'
              ? 'PARTIALLY_PAID'
              : 'ISSUED';
      return {
        invoice,
        aging,
        daysOverdue: aging === 'OVERDUE' ? pastDue : 0,
        blockNumber: toBigInt(row.block_number),
        transactionId: String(row.tx_id),
      };
    });
  }

  async counts() {
    const [row] = await this.#db.query(
      `SELECT (SELECT COUNT(*) FROM reconciliation_rows) AS rows, (SELECT COUNT(*) FROM campaigns) AS campaigns,
         (SELECT COUNT(*) FROM invoices) AS invoices, (SELECT COUNT(*) FROM ledger_transactions) AS transactions`,
    );
    return {
      rows: toNumber(row?.rows ?? 0),
      campaigns: toNumber(row?.campaigns ?? 0),
      invoices: toNumber(row?.invoices ?? 0),
      transactions: toNumber(row?.transactions ?? 0),
    };
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

/**
 * The report store over a migrated SQL driver (either backend), with every stored row's JSON text rendered.
 * @throws {Error} when the database refuses the rendering.
 */
export async function openSqlReportStore(db: SqlDriver): Promise<ReportStore> {
  await db.exec(RENDER_MISSING_ROW_JSON);
  await db.exec('ANALYZE reconciliation_rows');
  // The row count ANALYZE just estimated from its sample (exact for a small table): no scan of the whole table.
  const [estimate] = await db.query<{ rows: unknown }>(
    "SELECT reltuples AS rows FROM pg_class WHERE oid = CAST('reconciliation_rows' AS regclass)",
  );
  return new SqlReportStore(db, Math.max(0, toNumber(estimate?.rows ?? 0)));
}
