import { z } from 'zod';
import { AppError } from '../../errors';
import { toCsv } from '../csv';
import type { RegisterRoute } from '../route';
import { reportQuery } from '../schemas';

/** Columns of the CSV reconciliation report, in order. */
export const REPORT_COLUMNS = [
  'campaignId',
  'lineItemId',
  'publisher',
  'periodStart',
  'periodEnd',
  'status',
  'firstPartyImpressions',
  'thirdPartyImpressions',
  'discrepancyBps',
  'agreedImpressions',
  'billableImpressions',
  'amountMicros',
  'invoiceId',
  'invoicedMicros',
  'paidMicros',
  'outstandingMicros',
  'overdue',
  'overdueMicros',
] as const;

const reportResultSchema = z.object({
  rows: z.array(z.record(z.string(), z.unknown())),
  totals: z.record(z.string(), z.unknown()),
  asOf: z.string().optional(),
});

/** The finance report, as JSON or CSV. */
export function registerReportRoutes(register: RegisterRoute): void {
  register({
    method: 'get',
    path: '/reports/reconciliation',
    summary: 'Reconciliation report with totals; CSV with `Accept: text/csv` or `?format=csv`',
    tag: 'Reports',
    permission: 'read',
    query: reportQuery,
    responses: {
      '200': {
        description:
          'JSON `{"data": {rows, totals, asOf}}`, or CSV: a header row, a row per line item and period, a TOTAL row',
        content: {
          'application/json': { schema: z.object({ data: reportResultSchema }) },
          'text/csv': { schema: z.string() },
        },
      },
    },
    handler: async (ctx) => {
      const { format, ...filter } = ctx.query;
      const wantsCsv = format ?? ctx.req.accepts(['application/json', 'text/csv']);
      if (wantsCsv === false)
        throw new AppError('NOT_ACCEPTABLE', 'the report is available as application/json or text/csv');
      const result = await ctx.ledger.evaluate(ctx.principal.mspId, 'reconciliation:Report', [JSON.stringify(filter)]);
      if (wantsCsv !== 'csv' && wantsCsv !== 'text/csv') return { data: result };
      const parsed = reportResultSchema.safeParse(result);
      if (!parsed.success) throw new AppError('INTERNAL', 'the chaincode returned an unexpected report shape');
      const totalsRow = { ...parsed.data.totals, campaignId: 'TOTAL' };
      const csv = toCsv(REPORT_COLUMNS, [...parsed.data.rows, totalsRow]);
      ctx.res
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', 'attachment; filename="reconciliation-report.csv"')
        .send(csv);
      return undefined;
    },
  });
}
