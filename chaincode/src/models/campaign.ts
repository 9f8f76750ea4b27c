import { plainToInstance, Type } from 'class-transformer';
import { Object as DataType, Property } from 'fabric-contract-api';
import { ValidationError } from '../errors.js';
import { dateToEpochMs, FieldReader } from '../validation.js';

export const BILLING_SOURCES = ['THIRD_PARTY', 'FIRST_PARTY'] as const;
/** Whose counts are billed when the two sides agree within tolerance. */
export type BillingSource = (typeof BILLING_SOURCES)[number];

export const CAMPAIGN_STATUSES = ['PROPOSED', 'ACTIVE', 'COMPLETED', 'CANCELLED'] as const;
/** A campaign's lifecycle status. */
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Most line items one campaign may hold (bounds the work of every transaction on it). */
export const MAX_LINE_ITEMS = 100;
const MAX_TOLERANCE_BPS = 10_000;
const MAX_PAYMENT_TERMS_DAYS = 3650;

/** A line item of an insertion order: one publisher, one price, one cap, one flight. */
@DataType()
export class LineItem {
  @Property('lineItemId', 'string')
  lineItemId = '';

  @Property('publisher', 'string')
  publisher = '';

  @Property('cpmMicros', 'number')
  cpmMicros = 0;

  @Property('bookedImpressions', 'number')
  bookedImpressions = 0;

  @Property('flightStart', 'string')
  flightStart = '';

  @Property('flightEnd', 'string')
  flightEnd = '';
}

/** One party's acceptance of a campaign version. */
@DataType()
export class Acceptance {
  @Property('mspId', 'string')
  mspId = '';

  @Property('version', 'number')
  version = 0;

  @Property('acceptedAt', 'string')
  acceptedAt = '';

  @Property('txId', 'string')
  txId = '';
}

/** The terms a client sends to propose or amend a campaign, after defaults. */
export interface CampaignTerms {
  name: string;
  currency: string;
  billingSource: BillingSource;
  discrepancyToleranceBps: number;
  paymentTermsDays: number;
  lineItems: LineItem[];
}

/** The insertion order as stored: terms, version, status and acceptances. */
@DataType()
export class Campaign implements CampaignTerms {
  @Property('campaignId', 'string')
  campaignId = '';

  @Property('name', 'string')
  name = '';

  @Property('advertiser', 'string')
  advertiser = '';

  @Property('agency', 'string')
  agency = '';

  @Property('currency', 'string')
  currency = '';

  @Property('billingSource', 'string')
  billingSource: BillingSource = 'THIRD_PARTY';

  @Property('discrepancyToleranceBps', 'number')
  discrepancyToleranceBps = 1000;

  @Property('paymentTermsDays', 'number')
  paymentTermsDays = 30;

  @Property('lineItems', 'LineItem[]')
  @Type(() => LineItem)
  lineItems: LineItem[] = [];

  @Property('version', 'number')
  version = 1;

  @Property('status', 'string')
  status: CampaignStatus = 'PROPOSED';

  @Property('acceptances', 'Acceptance[]')
  @Type(() => Acceptance)
  acceptances: Acceptance[] = [];

  @Property('parties', 'string[]')
  parties: string[] = [];

  @Property('createdAt', 'string')
  createdAt = '';

  @Property('updatedAt', 'string')
  updatedAt = '';

  @Property('proposedBy', 'string')
  proposedBy = '';

  @Property('cancelReason', 'string')
  cancelReason?: string;
}

function readLineItem(value: unknown, path: string): LineItem {
  const reader = new FieldReader(value, path);
  const plain = {
    lineItemId: reader.id('lineItemId'),
    publisher: reader.mspId('publisher'),
    cpmMicros: reader.count('cpmMicros'),
    bookedImpressions: reader.count('bookedImpressions'),
    flightStart: reader.date('flightStart'),
    flightEnd: reader.date('flightEnd'),
  };
  reader.done();
  if (dateToEpochMs(plain.flightEnd, `${path}.flightEnd`) < dateToEpochMs(plain.flightStart, `${path}.flightStart`)) {
    throw new ValidationError(`${path}.flightEnd must not be before flightStart`);
  }
  return plainToInstance(LineItem, plain);
}

/** Reads the term fields shared by the input and the record (the reader's other fields are the caller's). */
function readTerms(reader: FieldReader, withDefaults: boolean): CampaignTerms {
  const read = <T>(name: string, fallback: T, fn: () => T): T => (withDefaults && !reader.has(name) ? fallback : fn());
  const terms: CampaignTerms = {
    name: reader.string('name', 1, 200),
    currency: reader.currency('currency'),
    billingSource: read('billingSource', 'THIRD_PARTY', () => reader.oneOf('billingSource', BILLING_SOURCES)),
    discrepancyToleranceBps: read('discrepancyToleranceBps', 1000, () =>
      reader.count('discrepancyToleranceBps', MAX_TOLERANCE_BPS),
    ),
    paymentTermsDays: read('paymentTermsDays', 30, () => reader.count('paymentTermsDays', MAX_PAYMENT_TERMS_DAYS)),
    lineItems: reader.array('lineItems', 1, MAX_LINE_ITEMS, readLineItem),
  };
  const ids = new Set<string>();
  for (const item of terms.lineItems) {
    if (ids.has(item.lineItemId)) {
      throw new ValidationError(`${reader.at('lineItems')} has line item ${item.lineItemId} twice`);
    }
    ids.add(item.lineItemId);
  }
  return terms;
}

/** The Propose input: identity fields plus terms. */
export interface CampaignProposal extends CampaignTerms {
  campaignId: string;
  advertiser: string;
  agency: string;
}

/**
 * Validates the `campaigns:Propose` input and applies the defaults.
 *
 * @throws ValidationError on a missing, malformed or unknown field.
 */
export function parseCampaignProposal(value: unknown): CampaignProposal {
  const reader = new FieldReader(value, 'campaign');
  const campaignId = reader.id('campaignId');
  const advertiser = reader.mspId('advertiser');
  const agency = reader.mspId('agency');
  const terms = readTerms(reader, true);
  reader.done();
  if (advertiser === agency) {
    throw new ValidationError('campaign.agency must differ from campaign.advertiser');
  }
  return { campaignId, advertiser, agency, ...terms };
}

/**
 * Validates the `campaigns:Amend` terms (the Propose input without campaignId, advertiser and agency).
 *
 * @throws ValidationError on a missing, malformed or unknown field.
 */
export function parseCampaignTerms(value: unknown): CampaignTerms {
  const reader = new FieldReader(value, 'terms');
  const terms = readTerms(reader, true);
  reader.done();
  return terms;
}

function readAcceptance(value: unknown, path: string): Acceptance {
  const reader = new FieldReader(value, path);
  const plain = {
    mspId: reader.mspId('mspId'),
    version: reader.positive('version'),
    acceptedAt: reader.timestamp('acceptedAt'),
    txId: reader.string('txId', 1, 256),
  };
  reader.done();
  return plainToInstance(Acceptance, plain);
}

/**
 * Validates a stored campaign record.
 *
 * @throws ValidationError when the stored bytes are not a valid campaign.
 */
export function parseCampaign(value: unknown): Campaign {
  const reader = new FieldReader(value, 'campaign');
  const plain = {
    campaignId: reader.id('campaignId'),
    advertiser: reader.mspId('advertiser'),
    agency: reader.mspId('agency'),
    ...readTerms(reader, false),
    version: reader.positive('version'),
    status: reader.oneOf('status', CAMPAIGN_STATUSES),
    acceptances: reader.array('acceptances', 0, MAX_LINE_ITEMS + 2, readAcceptance),
    parties: reader.array('parties', 2, MAX_LINE_ITEMS + 2, (item, path) => {
      const entry = new FieldReader({ mspId: item }, path);
      return entry.mspId('mspId');
    }),
    createdAt: reader.timestamp('createdAt'),
    updatedAt: reader.timestamp('updatedAt'),
    proposedBy: reader.mspId('proposedBy'),
    cancelReason: reader.optionalString('cancelReason', 0, 500),
  };
  reader.done();
  return plainToInstance(Campaign, plain);
}
