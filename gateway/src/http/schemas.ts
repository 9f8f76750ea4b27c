import { z } from 'zod';

/** `[A-Za-z0-9._-]{1,64}`: campaign, line item, report, invoice and payment IDs. */
export const idSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must match [A-Za-z0-9._-]{1,64}');
/** An MSP ID. */
export const mspIdSchema = z.string().regex(/^[A-Za-z0-9.-]{1,64}$/, 'must match [A-Za-z0-9.-]{1,64}');
/** A count or an amount in micros: a non-negative safe integer. */
export const countSchema = z.int().min(0);
/** A UTC date `YYYY-MM-DD`. */
export const dateSchema = z.iso.date();
/** A UTC instant `YYYY-MM-DDTHH:mm:ssZ`. */
export const instantSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'must be YYYY-MM-DDTHH:mm:ssZ');
const dateOrInstantSchema = z.union([dateSchema, instantSchema]);

const pageQuery = {
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
  bookmark: z.string().max(4096).optional(),
};

export const lineItemSchema = z.strictObject({
  lineItemId: idSchema,
  publisher: mspIdSchema,
  cpmMicros: countSchema,
  bookedImpressions: countSchema,
  flightStart: dateSchema,
  flightEnd: dateSchema,
});

const termsShape = {
  name: z.string().min(1).max(200),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code'),
  billingSource: z.enum(['THIRD_PARTY', 'FIRST_PARTY']).optional(),
  discrepancyToleranceBps: z.int().min(0).max(10_000).optional(),
  paymentTermsDays: z.int().min(0).max(365).optional(),
  lineItems: z.array(lineItemSchema).min(1).max(200),
};

/** Body of `POST /campaigns`. */
export const campaignProposalSchema = z.strictObject({
  campaignId: idSchema,
  advertiser: mspIdSchema,
  agency: mspIdSchema,
  ...termsShape,
});
/** Body of `POST /campaigns/{campaignId}/amendments`. */
export const campaignTermsSchema = z.strictObject(termsShape);
export const acceptanceSchema = z.strictObject({ version: z.int().min(1) });
export const cancellationSchema = z.strictObject({ reason: z.string().max(500).optional() });
export const emptyBodySchema = z.strictObject({});

export const campaignParams = z.strictObject({ campaignId: idSchema });
export const campaignVersionParams = z.strictObject({
  campaignId: idSchema,
  version: z.coerce.number().int().min(1),
});
export const campaignListQuery = z.strictObject({
  status: z.enum(['PROPOSED', 'ACTIVE', 'COMPLETED', 'CANCELLED']).optional(),
  ...pageQuery,
});

/** A delivery report as a client sends it. */
export const deliveryReportSchema = z
  .strictObject({
    reportId: idSchema,
    campaignId: idSchema,
    lineItemId: idSchema,
    periodStart: instantSchema,
    periodEnd: instantSchema,
    impressions: countSchema,
    invalidImpressions: countSchema,
    viewableImpressions: countSchema.optional(),
    recordCount: countSchema.optional(),
    merkleRoot: z
      .string()
      .regex(/^[0-9a-f]{64}$/, '64 lowercase hex characters')
      .optional(),
  })
  .refine((r) => (r.recordCount === undefined) === (r.merkleRoot === undefined), {
    message: 'recordCount and merkleRoot go together',
    path: ['merkleRoot'],
  })
  .refine((r) => r.invalidImpressions <= r.impressions, {
    message: 'invalidImpressions cannot exceed impressions',
    path: ['invalidImpressions'],
  });

/** Most reports one batch may hold. */
export const MAX_BATCH_SIZE = 500;
export const deliveryBatchSchema = z.strictObject({
  reports: z.array(deliveryReportSchema).min(1).max(MAX_BATCH_SIZE),
});
export const deliveryReportParams = z.strictObject({ reporter: mspIdSchema, reportId: idSchema });
export const deliveryListQuery = z.strictObject({
  campaignId: idSchema,
  lineItemId: idSchema.optional(),
  source: z.enum(['FIRST_PARTY', 'THIRD_PARTY']).optional(),
  ...pageQuery,
});

export const reconciliationListQuery = z.strictObject({
  campaignId: idSchema,
  lineItemId: idSchema.optional(),
  from: dateOrInstantSchema.optional(),
  to: dateOrInstantSchema.optional(),
});
export const reconciliationParams = z.strictObject({
  campaignId: idSchema,
  lineItemId: idSchema,
  periodStart: instantSchema,
});
export const resolutionProposalSchema = z.strictObject({ agreedImpressions: countSchema });
/** Body of a resolution acceptance: the proposal it accepts (its agreed count and version, as read). */
export const resolutionAcceptanceSchema = z.strictObject({
  agreedImpressions: countSchema,
  version: z.int().min(1),
});

export const invoiceIssueSchema = z.strictObject({
  invoiceId: idSchema,
  campaignId: idSchema,
  lineItemId: idSchema,
  periodStart: dateSchema,
  periodEnd: dateSchema,
});
export const invoiceParams = z.strictObject({ invoiceId: idSchema });
export const invoiceListQuery = z.strictObject({
  campaignId: idSchema.optional(),
  status: z.enum(['ISSUED', 'PARTIALLY_PAID', 'PAID']).optional(),
  ...pageQuery,
});

export const paymentSchema = z.strictObject({
  paymentId: idSchema,
  invoiceId: idSchema,
  amountMicros: z.int().min(1),
  reference: z.string().min(1).max(200),
});
export const paymentListQuery = z.strictObject({ invoiceId: idSchema });

export const reportQuery = z.strictObject({
  campaignId: idSchema.optional(),
  publisher: mspIdSchema.optional(),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  format: z.enum(['json', 'csv']).optional(),
});

const hashHex = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex characters');
/** An inclusion proof (the `@adrecon/merkle` InclusionProof JSON): tree format version 1 (absent) or 2. */
export const inclusionProofSchema = z
  .strictObject({
    leafIndex: countSchema,
    treeSize: z.int().min(1),
    auditPath: z.array(hashHex).max(64),
    version: z.union([z.literal(1), z.literal(2)]).optional(),
  })
  .refine((p) => p.leafIndex < p.treeSize, { message: 'leafIndex must be below treeSize', path: ['leafIndex'] });
/** One log-level impression record (the `@adrecon/merkle` ImpressionRecord). */
export const impressionRecordSchema = z.strictObject({
  impressionId: z.string().min(1).max(128),
  timestamp: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
  campaignId: idSchema,
  lineItemId: idSchema,
  placementId: z.string().min(1).max(128).optional(),
  creativeId: z.string().min(1).max(128).optional(),
});
export const merkleVerificationSchema = z
  .strictObject({
    reporter: mspIdSchema,
    reportId: idSchema,
    proof: inclusionProofSchema,
    record: impressionRecordSchema.optional(),
    leafHash: hashHex.optional(),
  })
  .refine((b) => (b.record === undefined) !== (b.leafHash === undefined), {
    message: 'give exactly one of record and leafHash',
    path: ['record'],
  });

export const eventsQuery = z.strictObject({
  startBlock: z.coerce.number().int().min(0).optional(),
  lastEventId: z.string().max(200).optional(),
});

/** The error body every failure returns. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    transactionId: z.string().optional(),
    details: z.unknown().optional(),
  }),
});
