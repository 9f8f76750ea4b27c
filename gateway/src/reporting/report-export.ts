import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { actorField, csvField } from '../http/csv';
import { NUMERIC_REPORT_COLUMNS, REPORT_COLUMNS } from './report-columns';
import type { ReportTotals, StoredReportRow } from './report-store';

/** Columns of the store's report exports, in order: the ledger report's CSV columns, then the provenance. */
export const EXPORT_COLUMNS = [...REPORT_COLUMNS, 'blockNumber', 'transactionId'] as const;

const NUMBER_COLUMNS = new Set<string>([...NUMERIC_REPORT_COLUMNS, 'blockNumber']);
const DATE_COLUMNS = new Set<string>(['periodStart', 'periodEnd']);

/** A row of an export: the stored row plus the per-row overdue amount. */
function exportRecord(row: StoredReportRow): Record<string, unknown> {
  return {
    ...row,
    overdueMicros: row.overdue ? row.outstandingMicros : 0,
    resolutionProposedBy: actorField(row.resolution?.proposer),
    resolutionAcceptedBy: actorField(row.resolution?.acceptor),
    invoicedBy: actorField(row.invoicedBy),
    blockNumber: row.blockNumber.toString(),
  };
}

/** The totals as an export row (campaignId `TOTAL`). */
function totalsRecord(totals: ReportTotals): Record<string, unknown> {
  return { ...totals, campaignId: 'TOTAL' };
}

/** Writes the report as CSV (RFC 4180, CRLF), page by page: rows reach the client while later pages are read. */
export async function streamCsv(
  out: Writable,
  pages: AsyncIterable<readonly StoredReportRow[]>,
  totals: () => ReportTotals,
): Promise<void> {
  const write = (line: string) =>
    out.write(line)
      ? Promise.resolve()
      : new Promise<void>((resolve) =>
          out.once('drain', () => {
            resolve();
          }),
        );
  await write(`${EXPORT_COLUMNS.map(csvField).join(',')}\r\n`);
  const lineOf = (record: Record<string, unknown>) => `${EXPORT_COLUMNS.map((c) => csvField(record[c])).join(',')}\r\n`;
  for await (const page of pages) await write(page.map((row) => lineOf(exportRecord(row))).join(''));
  await write(lineOf(totalsRecord(totals())));
  out.end();
}

function cellValue(column: string, value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (NUMBER_COLUMNS.has(column)) return Number(value);
  if (DATE_COLUMNS.has(column) && typeof value === 'string') return new Date(value);
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * Writes the report as an XLSX workbook, streamed (ExcelJS's streaming writer): numeric cells are numbers, days are
 * date cells (`yyyy-mm-dd hh:mm` UTC), one sheet "Reconciliation" with a TOTAL row.
 */
export async function streamXlsx(
  out: Writable,
  pages: AsyncIterable<readonly StoredReportRow[]>,
  totals: () => ReportTotals,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = workbook.addWorksheet('Reconciliation');
  sheet.columns = EXPORT_COLUMNS.map((key) => ({
    header: key,
    key,
    width: DATE_COLUMNS.has(key) ? 18 : 16,
    style: DATE_COLUMNS.has(key) ? { numFmt: 'yyyy-mm-dd hh:mm' } : {},
  }));
  const add = (record: Record<string, unknown>) => {
    sheet.addRow(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, cellValue(c, record[c])]))).commit();
  };
  for await (const page of pages) for (const row of page) add(exportRecord(row));
  add(totalsRecord(totals()));
  sheet.commit();
  await workbook.commit();
}
