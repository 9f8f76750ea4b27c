import { plainToInstance } from 'class-transformer';
import { Object as DataType, Property } from 'fabric-contract-api';
import { FieldReader } from '../validation.js';

export const RESOLUTION_SIDES = ['PUBLISHER', 'BUYER'] as const;
/** PUBLISHER: the line item's publisher; BUYER: the campaign's advertiser or agency. */
export type ResolutionSide = (typeof RESOLUTION_SIDES)[number];

export const RESOLUTION_STATUSES = ['PROPOSED', 'ACCEPTED'] as const;
/** PROPOSED until the other side accepts the agreed count. */
export type ResolutionStatus = (typeof RESOLUTION_STATUSES)[number];

/** The settlement of one disputed reconciliation period: an agreed impression count. */
@DataType()
export class Resolution {
  @Property('campaignId', 'string')
  campaignId = '';

  @Property('lineItemId', 'string')
  lineItemId = '';

  @Property('periodStart', 'string')
  periodStart = '';

  @Property('agreedImpressions', 'number')
  agreedImpressions = 0;

  /** 1 for the first proposal of the day, +1 for each counter-proposal; an acceptance names it. */
  @Property('version', 'number')
  version = 1;

  @Property('status', 'string')
  status: ResolutionStatus = 'PROPOSED';

  @Property('proposedBy', 'string')
  proposedBy = '';

  @Property('proposerSide', 'string')
  proposerSide: ResolutionSide = 'PUBLISHER';

  @Property('proposedAt', 'string')
  proposedAt = '';

  @Property('proposalTxId', 'string')
  proposalTxId = '';

  @Property('acceptedBy', 'string')
  acceptedBy?: string;

  @Property('acceptedAt', 'string')
  acceptedAt?: string;

  @Property('acceptanceTxId', 'string')
  acceptanceTxId?: string;
}

/**
 * Validates a stored resolution record.
 *
 * @throws ValidationError when the stored bytes are not a valid resolution.
 */
export function parseResolution(value: unknown): Resolution {
  const reader = new FieldReader(value, 'resolution');
  const plain = {
    campaignId: reader.id('campaignId'),
    lineItemId: reader.id('lineItemId'),
    periodStart: reader.instant('periodStart'),
    agreedImpressions: reader.count('agreedImpressions'),
    // Records written before proposals were versioned hold the first proposal.
    version: reader.has('version') ? reader.positive('version') : 1,
    status: reader.oneOf('status', RESOLUTION_STATUSES),
    proposedBy: reader.mspId('proposedBy'),
    proposerSide: reader.oneOf('proposerSide', RESOLUTION_SIDES),
    proposedAt: reader.timestamp('proposedAt'),
    proposalTxId: reader.string('proposalTxId', 1, 256),
    acceptedBy: reader.has('acceptedBy') ? reader.mspId('acceptedBy') : undefined,
    acceptedAt: reader.optionalTimestamp('acceptedAt'),
    acceptanceTxId: reader.optionalString('acceptanceTxId', 1, 256),
  };
  reader.done();
  return plainToInstance(Resolution, plain);
}
