import { plainToInstance } from 'class-transformer';
import { Object as DataType, Property } from 'fabric-contract-api';
import { ValidationError } from '../errors.js';
import { FieldReader } from '../validation.js';

export const REPORT_SOURCES = ['FIRST_PARTY', 'THIRD_PARTY'] as const;
/** FIRST_PARTY: the line item's publisher counted; THIRD_PARTY: the campaign's agency (its ad server) counted. */
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** What a reporter sends: one impression batch of one line item and one UTC hour or day. */
export interface DeliveryReportInput {
  reportId: string;
  campaignId: string;
  lineItemId: string;
  periodStart: string;
  periodEnd: string;
  impressions: number;
  invalidImpressions: number;
  viewableImpressions?: number | undefined;
  recordCount?: number | undefined;
  merkleRoot?: string | undefined;
}

/** A delivery report as stored: the input plus who reported it, as which side, and when. */
@DataType()
export class DeliveryReport implements DeliveryReportInput {
  @Property('reportId', 'string')
  reportId = '';

  @Property('campaignId', 'string')
  campaignId = '';

  @Property('lineItemId', 'string')
  lineItemId = '';

  @Property('periodStart', 'string')
  periodStart = '';

  @Property('periodEnd', 'string')
  periodEnd = '';

  @Property('impressions', 'number')
  impressions = 0;

  @Property('invalidImpressions', 'number')
  invalidImpressions = 0;

  @Property('viewableImpressions', 'number')
  viewableImpressions?: number;

  @Property('recordCount', 'number')
  recordCount?: number;

  @Property('merkleRoot', 'string')
  merkleRoot?: string;

  @Property('source', 'string')
  source: ReportSource = 'FIRST_PARTY';

  @Property('reporter', 'string')
  reporter = '';

  @Property('reportedAt', 'string')
  reportedAt = '';

  @Property('txId', 'string')
  txId = '';
}

function readInput(reader: FieldReader): DeliveryReportInput {
  const input: DeliveryReportInput = {
    reportId: reader.id('reportId'),
    campaignId: reader.id('campaignId'),
    lineItemId: reader.id('lineItemId'),
    periodStart: reader.instant('periodStart'),
    periodEnd: reader.instant('periodEnd'),
    impressions: reader.count('impressions'),
    invalidImpressions: reader.count('invalidImpressions'),
    viewableImpressions: reader.optionalCount('viewableImpressions'),
    recordCount: reader.optionalCount('recordCount'),
    merkleRoot: reader.has('merkleRoot') ? reader.merkleRoot('merkleRoot') : undefined,
  };
  if (input.invalidImpressions > input.impressions) {
    throw new ValidationError(`${reader.at('invalidImpressions')} must not exceed impressions`);
  }
  if (input.viewableImpressions !== undefined && input.viewableImpressions > input.impressions) {
    throw new ValidationError(`${reader.at('viewableImpressions')} must not exceed impressions`);
  }
  if ((input.recordCount === undefined) !== (input.merkleRoot === undefined)) {
    throw new ValidationError(`${reader.at('recordCount')} and merkleRoot must be given together`);
  }
  return input;
}

/**
 * Validates a report input (one item of `delivery:Submit`/`SubmitBatch`). Period alignment and the flight are
 * checked against the campaign by the delivery contract.
 *
 * @throws ValidationError on a missing, malformed or unknown field.
 */
export function parseDeliveryReportInput(value: unknown, path = 'report'): DeliveryReportInput {
  const reader = new FieldReader(value, path);
  const input = readInput(reader);
  reader.done();
  return input;
}

/**
 * Validates a stored report record.
 *
 * @throws ValidationError when the stored bytes are not a valid report.
 */
export function parseDeliveryReport(value: unknown): DeliveryReport {
  const reader = new FieldReader(value, 'report');
  const plain = {
    ...readInput(reader),
    source: reader.oneOf('source', REPORT_SOURCES),
    reporter: reader.mspId('reporter'),
    reportedAt: reader.timestamp('reportedAt'),
    txId: reader.string('txId', 1, 256),
  };
  reader.done();
  return plainToInstance(DeliveryReport, plain);
}
