import { actorSchema } from './actor.js';
import { z } from 'zod';
import { BILLABLE_UNITS, BILLING_SOURCES, CAMPAIGN_STATUSES, type BillableUnit } from './enums.js';
import { LIMITS } from './limits.js';
import { lineItemRefInputSchema, lineItemRefSchema, termsIdSchema, type LineItemRefInput } from './line-item-ref.js';
import {
  countSchema,
  currencySchema,
  DAY_MS,
  dateSchema,
  dateToEpochMs,
  idSchema,
  integerIn,
  jsonObject,
  mspIdSchema,
  rule,
  textOf,
  timestampSchema,
  txIdSchema,
} from './primitives.js';
import { DEFAULT_TIME_ZONE, timeZoneSchema } from './time-zone.js';

/**
 * Whether the amount of every booked impression, bookedImpressions × cpmMicros / 1000 rounded half up, is a safe
 * integer: then no row, invoice or total of the line item can overflow (billed counts never pass the booking).
 */
export function fullAmountFits(bookedImpressions: number, cpmMicros: number): boolean {
  return (BigInt(bookedImpressions) * BigInt(cpmMicros) + 500n) / 1000n <= BigInt(Number.MAX_SAFE_INTEGER);
}

const billableUnitSchema = z.enum(BILLABLE_UNITS, rule(`must be one of ${BILLABLE_UNITS.join(', ')}`));

/** The billable unit of a line item: absent means `IMPRESSIONS` (line items stored before units existed). */
export function billableUnitOf(lineItem: { billableUnit?: BillableUnit | undefined }): BillableUnit {
  return lineItem.billableUnit ?? 'IMPRESSIONS';
}

/**
 * A line item of an insertion order: one publisher, one price, one cap, one flight (UTC dates, inclusive). The price
 * is `cpmMicros` per thousand billable units (impressions, or viewable impressions for `VIEWABLE_IMPRESSIONS`), or
 * `flatFeeMicros` for the whole flight (`FLAT_FEE`, whose `cpmMicros` must be 0).
 */
export const lineItemSchema = jsonObject({
  lineItemId: idSchema,
  publisher: mspIdSchema,
  cpmMicros: countSchema,
  bookedImpressions: countSchema,
  flightStart: dateSchema,
  flightEnd: dateSchema,
  /** What the line item bills; absent: `IMPRESSIONS`. */
  billableUnit: billableUnitSchema.optional(),
  /** The fee of the whole flight in micros; required with `FLAT_FEE`, refused otherwise. */
  flatFeeMicros: countSchema.optional(),
})
  .refine((item) => (billableUnitOf(item) === 'FLAT_FEE') === (item.flatFeeMicros !== undefined), {
    message: 'must be given with billableUnit FLAT_FEE, and only then',
    path: ['flatFeeMicros'],
  })
  .refine((item) => billableUnitOf(item) !== 'FLAT_FEE' || item.cpmMicros === 0, {
    message: 'must be 0 with billableUnit FLAT_FEE (the flat fee is the price)',
    path: ['cpmMicros'],
  })
  .refine((item) => (dateToEpochMs(item.flightEnd) ?? 0) >= (dateToEpochMs(item.flightStart) ?? 0), {
    message: 'must not be before flightStart',
    path: ['flightEnd'],
  })
  .refine(
    (item) =>
      ((dateToEpochMs(item.flightEnd) ?? 0) - (dateToEpochMs(item.flightStart) ?? 0)) / DAY_MS < LIMITS.flightDays,
    { message: `must be at most ${LIMITS.flightDays} days after flightStart`, path: ['flightEnd'] },
  )
  .refine((item) => fullAmountFits(item.bookedImpressions, item.cpmMicros), {
    message: 'times cpmMicros / 1000 (the amount of the whole booking) must be a safe integer',
    path: ['bookedImpressions'],
  });
/** One line item. */
export type LineItem = z.output<typeof lineItemSchema>;

const billingSourceSchema = z.enum(BILLING_SOURCES, rule(`must be one of ${BILLING_SOURCES.join(', ')}`));
const toleranceSchema = integerIn(0, LIMITS.toleranceBps);
const paymentTermsSchema = integerIn(0, LIMITS.paymentTermsDays);
const reportingWindowSchema = integerIn(0, LIMITS.reportingWindowDays);
function lineItemListOf<T extends z.ZodType<{ lineItemId: string }>>(item: T) {
  return z
    .array(item, rule(`must be an array of 1 to ${LIMITS.lineItems} items`))
    .min(1, rule(`must be an array of 1 to ${LIMITS.lineItems} items`))
    .max(LIMITS.lineItems, rule(`must be an array of 1 to ${LIMITS.lineItems} items`))
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      for (const { lineItemId } of items) {
        if (seen.has(lineItemId)) {
          ctx.addIssue({ code: 'custom', message: `has line item ${lineItemId} twice` });
          return;
        }
        seen.add(lineItemId);
      }
    });
}
const lineItemsSchema = lineItemListOf(lineItemSchema);

/** The terms a client sends to propose or amend a campaign; omitted optional terms take their defaults. */
const termsInputShape = {
  name: textOf(1, LIMITS.nameLength),
  currency: currencySchema,
  billingSource: billingSourceSchema.default('THIRD_PARTY'),
  discrepancyToleranceBps: toleranceSchema.default(LIMITS.defaultToleranceBps),
  paymentTermsDays: paymentTermsSchema.default(LIMITS.defaultPaymentTermsDays),
  reportingWindowDays: reportingWindowSchema.default(LIMITS.defaultReportingWindowDays),
  /** Under-delivery, in basis points of the booking, past which the publisher may propose a make-good (absent: 500). */
  makeGoodThresholdBps: toleranceSchema.optional(),
  lineItems: lineItemsSchema,
};

/**
 * The `campaigns:Amend` terms (the proposal without campaignId, advertiser and agency) and, for an ACTIVE campaign,
 * the date from which they apply once every affected party accepted them (`effectiveFrom`, default the date of the
 * amendment; never before it).
 */
export const campaignTermsSchema = jsonObject({ ...termsInputShape, effectiveFrom: dateSchema.optional() });
/** Campaign terms after defaults. */
export type CampaignTerms = z.output<typeof campaignTermsSchema>;

/** The `campaigns:Propose` input: identity fields plus terms. */
export const campaignProposalSchema = jsonObject({
  campaignId: idSchema,
  advertiser: mspIdSchema,
  agency: mspIdSchema,
  /**
   * The reporting time zone (IANA name, default `UTC`): days, flights, reporting windows and billing periods are days
   * in this zone. Fixed for the campaign's life (an amendment keeps it).
   */
  timeZone: timeZoneSchema.default(DEFAULT_TIME_ZONE),
  ...termsInputShape,
}).refine((proposal) => proposal.agency !== proposal.advertiser, {
  message: 'must differ from advertiser',
  path: ['agency'],
});
/** A proposal after defaults. */
export type CampaignProposal = z.output<typeof campaignProposalSchema>;

function isLineItemRef(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'termsId' in value;
}

/** A line item in full, or by reference when it names a `termsId`; issues keep the field's path. */
function lineItemOrRefSchema() {
  return z
    .custom<unknown>(() => true)
    .superRefine((value, ctx) => {
      const parsed = (isLineItemRef(value) ? lineItemRefInputSchema : lineItemSchema).safeParse(value);
      for (const issue of parsed.error?.issues ?? []) {
        ctx.addIssue(
          issue.code === 'unrecognized_keys'
            ? { code: 'unrecognized_keys', keys: issue.keys, message: issue.message, path: issue.path }
            : { code: 'custom', message: issue.message, path: issue.path },
        );
      }
    })
    .transform((value): LineItem | LineItemRefInput => {
      // Reached with issues too (they are reported above): the value is then never used.
      const parsed = (isLineItemRef(value) ? lineItemRefInputSchema : lineItemSchema).safeParse(value);
      return parsed.success ? parsed.data : (value as LineItem);
    });
}

/**
 * The `campaigns:Propose` argument: a proposal whose line items are each either full terms (every endorser, every
 * party, receives them: fine for one publisher) or a reference to terms written beforehand by
 * `campaigns:SetLineItemTerms` (the REST gateway's way, so that no publisher's peer receives another's terms).
 */
export const committedProposalSchema = jsonObject({
  ...campaignProposalSchema.shape,
  lineItems: lineItemListOf(lineItemOrRefSchema()),
}).refine((proposal) => proposal.agency !== proposal.advertiser, {
  message: 'must differ from advertiser',
  path: ['agency'],
});
/** A `campaigns:Propose` argument after defaults. */
export type CommittedProposal = z.output<typeof committedProposalSchema>;

/**
 * The `campaigns:Amend` argument: the amendment's terms whose line items are each full terms or, as for a proposal,
 * a reference to terms written beforehand by `campaigns:SetLineItemTerms` (the REST gateway's way for a campaign
 * with several publishers, so that an amendment, endorsed by every party, carries no line item's terms).
 */
export const committedTermsSchema = jsonObject({
  ...campaignTermsSchema.shape,
  lineItems: lineItemListOf(lineItemOrRefSchema()),
});
/** A `campaigns:Amend` argument after defaults. */
export type CommittedTerms = z.output<typeof committedTermsSchema>;

/**
 * The `campaigns:SetLineItemTerms` input: one line item's full terms, stored under `termsId` in the collection of
 * the campaign's advertiser, agency and that line item's publisher, before the proposal that refers to them.
 */
export const lineItemTermsInputSchema = jsonObject({
  campaignId: idSchema,
  advertiser: mspIdSchema,
  agency: mspIdSchema,
  termsId: termsIdSchema,
  lineItem: lineItemSchema,
});
/** A `campaigns:SetLineItemTerms` input. */
export type LineItemTermsInput = z.output<typeof lineItemTermsInputSchema>;

/** One party's acceptance of a campaign version. */
export const acceptanceSchema = jsonObject({
  mspId: mspIdSchema,
  version: integerIn(1, LIMITS.version),
  acceptedAt: timestampSchema,
  txId: txIdSchema,
  /** The user who accepted. */
  acceptedBy: actorSchema.optional(),
});
/** One acceptance. */
export type Acceptance = z.output<typeof acceptanceSchema>;

/** A campaign version number. */
export const versionSchema = integerIn(1, LIMITS.version);

const campaignShape = {
  campaignId: idSchema,
  advertiser: mspIdSchema,
  agency: mspIdSchema,
  name: termsInputShape.name,
  currency: currencySchema,
  /** The reporting time zone; campaigns stored before zones existed read as `UTC`. */
  timeZone: timeZoneSchema.default(DEFAULT_TIME_ZONE),
  billingSource: billingSourceSchema,
  discrepancyToleranceBps: toleranceSchema,
  paymentTermsDays: paymentTermsSchema,
  /** Campaigns stored before the reporting window existed read with the default window. */
  reportingWindowDays: reportingWindowSchema.default(LIMITS.defaultReportingWindowDays),
  makeGoodThresholdBps: toleranceSchema.optional(),
  version: versionSchema,
  status: z.enum(CAMPAIGN_STATUSES, rule(`must be one of ${CAMPAIGN_STATUSES.join(', ')}`)),
  acceptances: z.array(acceptanceSchema).max(LIMITS.lineItems + 2),
  parties: z
    .array(mspIdSchema)
    .min(2)
    .max(LIMITS.lineItems + 2),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  proposedBy: mspIdSchema,
  /** The user who proposed these terms. */
  proposer: actorSchema.optional(),
  cancelReason: textOf(0, LIMITS.reasonLength).optional(),
  /**
   * The first UTC day these terms apply to. Absent: from the start (the version the campaign was activated with).
   * An accepted amendment of an ACTIVE campaign applies from its effective date only; earlier days keep the terms
   * in force on them.
   */
  effectiveFrom: dateSchema.optional(),
  /** The version these terms replaced (absent for the version the campaign was activated with). */
  previousVersion: versionSchema.optional(),
  /** The UTC date an ACTIVE campaign was cancelled: its flights end that day; earlier days stay billable. */
  cancelledOn: dateSchema.optional(),
};

/** The insertion order as a party reads it: terms (the line items it may see), version, status, acceptances. */
export const campaignSchema = jsonObject({ ...campaignShape, lineItems: lineItemsSchema });
/** A campaign as read. */
export type Campaign = z.output<typeof campaignSchema>;

/**
 * The insertion order as its all-parties record stores it (and as transactions endorsed by every party answer):
 * everything but the line items' terms, which each line item's collection holds (see {@link lineItemRefSchema}).
 */
export const campaignRecordSchema = jsonObject({ ...campaignShape, lineItems: lineItemListOf(lineItemRefSchema) });
/** A campaign's all-parties record. */
export type CampaignRecord = z.output<typeof campaignRecordSchema>;

/** A campaign's make-good threshold in basis points (see `makeGoodThresholdBps`). */
export function makeGoodThresholdOf(campaign: { makeGoodThresholdBps?: number | undefined }): number {
  return campaign.makeGoodThresholdBps ?? LIMITS.defaultMakeGoodThresholdBps;
}

/** A cancellation reason (`campaigns:Cancel`; empty for none). */
export const cancelReasonSchema = textOf(0, LIMITS.reasonLength);
