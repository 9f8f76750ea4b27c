import { actorSchema } from './actor.js';
import { z } from 'zod';
import { RESOLUTION_SIDES, RESOLUTION_STATUSES } from './enums.js';
import { LIMITS } from './limits.js';
import {
  countSchema,
  idSchema,
  instantSchema,
  integerIn,
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
  /** 1 for the first proposal of the day, +1 for each counter-proposal; an acceptance names it. Records written
   * before proposals were versioned hold the first proposal. */
  version: integerIn(1, LIMITS.version).default(1),
  status: z.enum(RESOLUTION_STATUSES, rule(`must be one of ${RESOLUTION_STATUSES.join(', ')}`)),
  proposedBy: mspIdSchema,
  /** The user who proposed the agreed count. */
  proposer: actorSchema.optional(),
  proposerSide: z.enum(RESOLUTION_SIDES, rule(`must be one of ${RESOLUTION_SIDES.join(', ')}`)),
  proposedAt: timestampSchema,
  proposalTxId: txIdSchema,
  acceptedBy: mspIdSchema.optional(),
  /** The user who accepted it. */
  acceptor: actorSchema.optional(),
  acceptedAt: timestampSchema.optional(),
  acceptanceTxId: txIdSchema.optional(),
});
/** A stored resolution. */
export type Resolution = z.output<typeof resolutionSchema>;
