import { reconciliationReportSchema } from '@adrecon/contract';
import { z } from 'zod';
import { AppError } from '../../errors';
import { actorField, toCsv } from '../csv';
import type { RegisterRoute } from '../route';
import { reportQuery } from '../schemas';
import { REPORT_COLUMNS } from '../../reporting/report-columns';

/**
 * The finance report as the chaincode evaluates it, as JSON or CSV: at `path` (`/reports/reconciliation`, or
 * `/reports/reconciliation/ledger` when the gateway serves that path from its reporting store).
 */
export function registerReportRoutes(register: RegisterRoute, path = '/reports/reconciliation'): void {
  register({
    method: 'get',
    path,
    summary: 'Reconciliation report with totals; CSV with `Accept: text/csv` or `?format=csv`',
    tag: 'Reports',
    permission: 'read',
    query: reportQuery,
    response: reconciliationReportSchema,
    responses: {
      '200': {
        description:
          'JSON `{"data": {rows, totals, asOf, bookmark, fetchedCount}}` (without campaignId: one page of the caller\'s campaigns), or CSV: a header row, a row per line item and period, a TOTAL row (the page\'s)',
        content: {
          'application/json': { schema: z.object({ data: reconciliationReportSchema }) },
          'text/csv': { schema: z.string() },
        },
      },
    },
    handler: async (ctx) => {
      const { format, ...filter } = ctx.query;
      const wantsCsv = format ?? ctx.req.accepts(['application/json', 'text/csv']);
      if (wantsCsv === false)
        throw new AppError('NOT_ACCEPTABLE', 'the report is available as application/json or text/csv');
      const report = await ctx.contract.reconciliation.report(ctx.principal.mspId, filter);
      if (wantsCsv !== 'csv' && wantsCsv !== 'text/csv') return { data: report };
      const totalsRow = { ...report.totals, campaignId: 'TOTAL' };
      // Audit columns: the users (enrollment ID at MSP) who proposed and accepted the day's agreed count and who
      // invoiced it.
      const rows = report.rows.map((row) => ({
        ...row,
        resolutionProposedBy: actorField(row.resolution?.proposer),
        resolutionAcceptedBy: actorField(row.resolution?.acceptor),
        invoicedBy: actorField(row.invoicedBy),
      }));
      const csv = toCsv(REPORT_COLUMNS, [...rows, totalsRow]);
      ctx.res
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', 'attachment; filename="reconciliation-report.csv"')
        .send(csv);
      return undefined;
    },
  });
}
