import { ReportPeriod, type PeriodKey } from '../domain/report-period.js';
import type { DeliveryReport, ReportPointer } from '../models/delivery-report.js';

/** The fields of a report that make its key. */
export type ReportKeyFields = Pick<
  DeliveryReport,
  'campaignId' | 'lineItemId' | 'periodStart' | 'periodEnd' | 'source' | 'reporter' | 'reportId' | 'day'
>;

/**
 * `[campaignId, lineItemId, dayStart, granularity, periodStart, source, reporter, reportId]`: the granularity comes
 * before the period so that a report reads only the other granularity's reports of its day (see `ReportWriter`).
 */
export function reportKey(report: ReportKeyFields, period: PeriodKey = ReportPeriod.keyOf(report)): string[] {
  return [
    report.campaignId,
    report.lineItemId,
    period.day,
    period.granularity,
    report.periodStart,
    report.source,
    report.reporter,
    report.reportId,
  ];
}

/** `[campaignId, lineItemId, dayStart, granularity]`: the range of one granularity's reports of one day. */
export function reportDayRange(
  campaignId: string,
  lineItemId: string,
  period: PeriodKey,
  granularity = period.granularity,
): string[] {
  return [campaignId, lineItemId, period.day, granularity];
}

/**
 * `[campaignId, lineItemId, dayStart, granularity, periodStart, source]`: the key of the count in force for one side
 * and one period. Every report of that side and period writes it; a later one restates the earlier.
 */
export function countKey(
  report: Pick<DeliveryReport, 'campaignId' | 'lineItemId' | 'source'>,
  period: ReportPeriod,
): string[] {
  return [report.campaignId, report.lineItemId, period.day, period.granularity, period.periodStart, report.source];
}

/** `[reporter, reportId]`: the key of a report's `reportById` pointer. */
export function reportPointerKey(reporter: string, reportId: string): string[] {
  return [reporter, reportId];
}

/** What `reportById` stores: enough to rebuild the report's key. */
export function pointerOf(report: DeliveryReport): ReportPointer {
  return {
    campaignId: report.campaignId,
    lineItemId: report.lineItemId,
    periodStart: report.periodStart,
    periodEnd: report.periodEnd,
    source: report.source,
    ...(report.day === undefined ? {} : { day: report.day }),
  };
}
