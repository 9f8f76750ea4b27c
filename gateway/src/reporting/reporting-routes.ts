import {
  dateSchema,
  idSchema,
  jsonObject,
  mspIdSchema,
  RECONCILIATION_STATUSES,
  checkDayRange,
} from '@adrecon/contract';
import { z } from 'zod';
import { AppError } from '../errors';
import { minBlockOf } from '../http/consistency';
import type { RegisterRoute } from '../http/route';
import { REPORTING_LIMITS } from './report-limits';
import { EXPORT_COLUMNS, streamCsv, streamXlsx } from './report-export';
import type { ReportTotals, StoreReportQuery } from './report-store';
import type { Reporting, ReportingParts } from './reporting-service';
import { InvalidCursorError } from './sql-report-store';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const pageRows = z.preprocess(
  (value) => (typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : value),
  z.int().min(1).max(REPORTING_LIMITS.maxPageRows).default(REPORTING_LIMITS.defaultPageRows),
);

/** Query of `GET /reports/reconciliation` served from the store. */
export const storeReportQuery = jsonObject({
  campaignId: idSchema.optional(),
  publisher: mspIdSchema.optional(),
  lineItemId: idSchema.optional(),
  status: z.enum(RECONCILIATION_STATUSES).optional(),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  /** A calendar month `YYYY-MM` (month-end report): its first to last day; not with from/to. */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
    .optional(),
  pageSize: pageRows,
  cursor: z.string().max(1_000).optional(),
  /** Waits until the store reflects this transaction (read-your-writes after a submit). */
  waitForTransaction: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/)
    .optional(),
  format: z.enum(['json', 'csv', 'xlsx']).optional(),
})
  .superRefine(checkDayRange)
  .superRefine((q, ctx) => {
    if (q.month !== undefined && (q.from !== undefined || q.to !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either month or from/to', path: ['month'] });
    }
  });

const invoiceQuery = jsonObject({ campaignId: idSchema.optional() });

function monthRange(month: string): { from: string; to: string } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

function behind(what: string, retryAfterSeconds: number): AppError {
  return new AppError('LEDGER_BEHIND', `the reporting store has not applied ${what} yet; retry`, {
    retryAfterSeconds,
  });
}

async function* pagesOf(parts: ReportingParts, query: StoreReportQuery, totals: { value?: ReportTotals }) {
  let cursor = '';
  do {
    const page = await parts.store.report({ ...query, cursor, limit: REPORTING_LIMITS.exportChunkRows });
    totals.value ??= page.totals;
    yield page.rows;
    cursor = page.nextCursor;
  } while (cursor !== '');
}

/**
 * The reports served from the organization's reporting store: `GET /reports/reconciliation` (JSON pages, streamed
 * CSV and XLSX), the dashboard's reads (`/reporting/campaigns`, `/reporting/invoices`) and the listener's status.
 */
export function registerReportingRoutes(register: RegisterRoute, reporting: Reporting, retryAfterSeconds: number) {
  register({
    method: 'get',
    path: '/reports/reconciliation',
    summary:
      "Reconciliation report from the organization's reporting store (JSON pages, CSV or XLSX); the ledger's evaluated report is at /reports/reconciliation/ledger",
    tag: 'Reports',
    permission: 'read',
    query: storeReportQuery,
    responses: {
      '200': {
        description:
          'JSON `{"data": {rows, totals, rowCount, asOfBlock, nextCursor}}` (totals over every selected row), or the whole selection streamed as CSV or XLSX with a TOTAL row',
        content: {
          'application/json': { schema: z.object({ data: z.object({ rows: z.array(z.object({})) }) }) },
          'text/csv': { schema: z.string() },
          [XLSX_TYPE]: { schema: z.string() },
        },
      },
    },
    handler: async (ctx) => {
      const parts = await reporting.ready(REPORTING_LIMITS.openWaitMs);
      const { format, month, pageSize, cursor, waitForTransaction, ...filter } = ctx.query;
      const wanted = format ?? ctx.req.accepts(['application/json', 'text/csv', XLSX_TYPE]);
      if (wanted === false) {
        throw new AppError('NOT_ACCEPTABLE', 'the report is available as application/json, text/csv or XLSX');
      }
      const minBlock = minBlockOf(ctx.req);
      if (minBlock !== undefined && !(await parts.listener.waitForBlock(minBlock, REPORTING_LIMITS.maxWaitMs))) {
        throw behind(`block ${minBlock}`, retryAfterSeconds);
      }
      if (waitForTransaction !== undefined) {
        const block = await parts.listener.waitForTransaction(waitForTransaction, REPORTING_LIMITS.maxWaitMs);
        if (block === undefined) throw behind(`transaction ${waitForTransaction}`, retryAfterSeconds);
      }
      const query: StoreReportQuery = { ...filter, ...(month === undefined ? {} : monthRange(month)), limit: pageSize };
      if (wanted === 'json' || wanted === 'application/json') {
        try {
          // The rows arrive as JSON text built by the database and are sent as they are (docs/reporting.md).
          const page = await parts.store.reportJson({ ...query, cursor });
          const rest = JSON.stringify({
            totals: page.totals,
            rowCount: page.rowCount,
            asOfBlock: page.asOfBlock?.toString() ?? null,
            nextCursor: page.nextCursor,
          });
          // Written in three parts, not send(): send() would join megabytes into one more string and hash them for an
          // ETag no client of a report uses (10,000 rows: about 10 ms less CPU per page, docs/reporting.md).
          ctx.res.status(200).type('application/json; charset=utf-8');
          ctx.res.write('{"data":{"rows":');
          ctx.res.write(page.rowsJson);
          ctx.res.end(`,${rest.slice(1)}}`);
          return undefined;
        } catch (err) {
          if (err instanceof InvalidCursorError)
            throw new AppError('VALIDATION_FAILED', `query.cursor: ${err.message}`);
          throw err;
        }
      }
      const asOfBlock = (await parts.store.checkpoint())?.toString() ?? '';
      const totals: { value?: ReportTotals } = {};
      const csv = wanted === 'csv' || wanted === 'text/csv';
      ctx.res
        .status(200)
        .type(csv ? 'text/csv; charset=utf-8' : XLSX_TYPE)
        .set('X-As-Of-Block', asOfBlock)
        .set('Content-Disposition', `attachment; filename="reconciliation-report.${csv ? 'csv' : 'xlsx'}"`);
      const emptyTotals = Object.fromEntries(
        EXPORT_COLUMNS.filter((c) => c.endsWith('Micros') || c.endsWith('Impressions')).map((c) => [c, 0]),
      ) as unknown as ReportTotals;
      const stream = csv ? streamCsv : streamXlsx;
      await stream(ctx.res, pagesOf(parts, query, totals), () => totals.value ?? emptyTotals);
      return undefined;
    },
  });

  register({
    method: 'get',
    path: '/reporting/status',
    summary: "The reporting listener's progress: checkpoint, peer height, lag in blocks, backend",
    tag: 'Reports',
    permission: 'read',
    handler: (ctx) => {
      const status = reporting.status();
      const organization = ctx.principal.mspId;
      return Promise.resolve({
        data:
          status === undefined
            ? { state: 'opening', organization }
            : {
                state: 'running',
                organization,
                backend: status.backend,
                checkpoint: status.checkpoint?.toString() ?? null,
                peerHeight: status.peerHeight?.toString() ?? null,
                lagBlocks: status.lagBlocks ?? null,
                rowsApplied: status.rowsApplied,
                applyMs: status.applyMs,
                lastError: status.lastError ?? null,
              },
      });
    },
  });

  register({
    method: 'get',
    path: '/reporting/campaigns',
    summary: "The organization's campaigns from the store: status, delivery against booking, disputed days",
    tag: 'Reports',
    permission: 'read',
    handler: async () => {
      const { store } = await reporting.ready(REPORTING_LIMITS.openWaitMs);
      const campaigns = await store.campaigns();
      return {
        data: {
          campaigns: campaigns.map((c) => ({ ...c, blockNumber: c.blockNumber.toString() })),
          asOfBlock: (await store.checkpoint())?.toString() ?? null,
        },
      };
    },
  });

  register({
    method: 'get',
    path: '/reporting/invoices',
    summary: 'Invoices from the store with their aging (ISSUED, PARTIALLY_PAID, PAID, OVERDUE) as of today (UTC)',
    tag: 'Reports',
    permission: 'read',
    query: invoiceQuery,
    handler: async (ctx) => {
      const { store } = await reporting.ready(REPORTING_LIMITS.openWaitMs);
      const today = new Date().toISOString().slice(0, 10);
      const invoices = await store.invoices(today, ctx.query.campaignId);
      return {
        data: {
          invoices: invoices.map((i) => ({ ...i, blockNumber: i.blockNumber.toString() })),
          asOfDate: today,
        },
      };
    },
  });
}
