import {
  cancelReasonSchema,
  campaignListQuerySchema,
  countSchema,
  dayStartSchema,
  deliveryBatchSchema,
  deliveryListQuerySchema,
  exactlyOneLeaf,
  idSchema,
  inclusionProofSchema,
  invoiceListQuerySchema,
  jsonObject,
  leafShape,
  mspIdSchema,
  reportQueryShape,
  checkDayRange,
  versionSchema,
} from '@adrecon/contract';
import { z } from 'zod';

/**
 * The REST request schemas. Bodies and queries ARE the contract's schemas (`@adrecon/contract`); this module adds
 * only what HTTP needs: path parameters, numbers that arrive as query-string text, and the body wrappers of
 * transactions whose arguments are not one JSON object.
 */

/** A query-string number: decimal text becomes a number before the contract's schema sees it. */
function fromQueryText<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^[0-9]{1,16}$/.test(value) ? Number(value) : value),
    schema,
  );
}

const pageSizeQuery = { pageSize: fromQueryText(campaignListQuerySchema.shape.pageSize) };

/** Body of `POST /campaigns/{campaignId}/acceptances`. */
export const acceptanceBodySchema = jsonObject({ version: versionSchema });
/** Body of `POST /campaigns/{campaignId}/cancellation`. */
export const cancellationBodySchema = jsonObject({ reason: cancelReasonSchema.optional() });
/** Body of a POST that takes no fields. */
export const emptyBodySchema = jsonObject({});

/** `{campaignId}`. */
export const campaignParams = jsonObject({ campaignId: idSchema });
/** `{campaignId}/versions/{version}`. */
export const campaignVersionParams = jsonObject({ campaignId: idSchema, version: fromQueryText(versionSchema) });
/** `GET /campaigns`. */
export const campaignListQuery = campaignListQuerySchema.extend(pageSizeQuery);

/** Body of `POST /delivery-reports/batch`. */
export const deliveryBatchBodySchema = jsonObject({ reports: deliveryBatchSchema });
/** `{reporter}/{reportId}`. */
export const deliveryReportParams = jsonObject({ reporter: mspIdSchema, reportId: idSchema });
/** `GET /delivery-reports`. */
export const deliveryListQuery = deliveryListQuerySchema.extend(pageSizeQuery);

/** `{campaignId}/{lineItemId}/{periodStart}` of a reconciliation row (the start of a UTC day). */
export const reconciliationParams = jsonObject({
  campaignId: idSchema,
  lineItemId: idSchema,
  periodStart: dayStartSchema,
});
/** Body of a resolution proposal. */
export const resolutionProposalSchema = jsonObject({ agreedImpressions: countSchema });
/** Body of a resolution acceptance: the proposal it accepts (its agreed count and version, as read). */
export const resolutionAcceptanceSchema = jsonObject({ agreedImpressions: countSchema, version: versionSchema });

/** `{invoiceId}`. */
export const invoiceParams = jsonObject({ invoiceId: idSchema });
/** `{campaignId}/line-items/{lineItemId}/make-goods/{makeGoodId}`. */
export const makeGoodParams = jsonObject({ campaignId: idSchema, lineItemId: idSchema, makeGoodId: idSchema });
/** `{invoiceId}/credit-notes/{creditNoteId}`. */
export const creditNoteParams = jsonObject({ invoiceId: idSchema, creditNoteId: idSchema });
/** `GET /invoices`. */
export const invoiceListQuery = invoiceListQuerySchema.extend(pageSizeQuery);

/** `GET /reports/reconciliation`: the contract's report query (paged over the caller's campaigns) plus the response format. */
export const reportQuery = jsonObject({
  ...reportQueryShape,
  ...pageSizeQuery,
  format: z.enum(['json', 'csv']).optional(),
}).superRefine(checkDayRange);

/** Body of `POST /merkle/verifications`: which report, the inclusion proof, and exactly one leaf. */
export const merkleVerificationSchema = jsonObject({
  reporter: mspIdSchema,
  reportId: idSchema,
  proof: inclusionProofSchema,
  ...leafShape,
}).superRefine(exactlyOneLeaf);

/** `GET /events`. */
export const eventsQuery = jsonObject({
  startBlock: fromQueryText(z.int().min(0)).optional(),
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
