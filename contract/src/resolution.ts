import { z } from 'zod';
import { RESOLUTION_SIDES, RESOLUTION_STATUSES } from './enums.js';
import {
  countSchema,
  idSchema,
  instantSchema,
  jsonObject,
  mspIdSchema,
  rule,
  timestampSchema,
  txIdSchema,
} from './primitives.js';

/** The settlement of one disputed reconciliation day: an agreed impression count. */
export const resolutionSchema = jsonObject({
  campaignId: idSchema,
  lineItemId: idSchema,
  periodStart: instantSchema,
  agreedImpressions: countSchema,
  status: z.enum(RESOLUTION_STATUSES, rule(`must be one of ${RESOLUTION_STATUSES.join(', ')}`)),
  proposedBy: mspIdSchema,
  proposerSide: z.enum(RESOLUTION_SIDES, rule(`must be one of ${RESOLUTION_SIDES.join(', ')}`)),
  proposedAt: timestampSchema,
  proposalTxId: txIdSchema,
  acceptedBy: mspIdSchema.optional(),
  acceptedAt: timestampSchema.optional(),
  acceptanceTxId: txIdSchema.optional(),
});
/** A stored resolution. */
export type Resolution = z.output<typeof resolutionSchema>;
