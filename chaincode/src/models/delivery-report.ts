import { deliveryReportSchema, reportPointerSchema } from '@adrecon/contract';
import { recordParser } from '../arguments.js';

export type { DeliveryReport, DeliveryReportInput, ReportPointer, ReportSource } from '@adrecon/contract';

/**
 * Validates a stored report record.
 *
 * @throws ValidationError when the stored bytes are not a valid report.
 */
export const parseDeliveryReport = recordParser(deliveryReportSchema, 'report');

/**
 * Validates a stored `reportById` pointer.
 *
 * @throws ValidationError when the stored bytes are not a valid pointer.
 */
export const parseReportPointer = recordParser(reportPointerSchema, 'reportPointer');
