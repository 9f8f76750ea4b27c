import { z } from 'zod';
import { actorSchema } from './actor.js';
import { MAKE_GOOD_STATUSES } from './enums.js';
import { LIMITS } from './limits.js';
import {
  countSchema,
  DAY_MS,
  dateSchema,
  dateToEpochMs,
  idSchema,
  jsonObject,
  mspIdSchema,
  positiveSchema,
  rule,
  timestampSchema,
  txIdSchema,
} from './primitives.js';

const makeGoodInputShape = {
  makeGoodId: idSchema,
  campaignId: idSchema,
  lineItemId: idSchema,
  /** Extra impressions (viewable ones on a vCPM line item) delivered at no charge. */
  impressions: positiveSchema,
  /** The extended flight (UTC dates, inclusive), after the line item's own. */
  flightStart: dateSchema,
  flightEnd: dateSchema,
};

function checkFlight(value: { flightStart: string; flightEnd: string }, ctx: z.RefinementCtx): void {
  const start = dateToEpochMs(value.flightStart) ?? 0;
  const end = dateToEpochMs(value.flightEnd) ?? 0;
  if (end < start) ctx.addIssue({ code: 'custom', message: 'must not be before flightStart', path: ['flightEnd'] });
  if ((end - start) / DAY_MS >= LIMITS.flightDays) {
    ctx.addIssue({
      code: 'custom',
      message: `must be at most ${LIMITS.flightDays} days after flightStart`,
      path: ['flightEnd'],
    });
  }
}

/** What the line item's publisher sends to propose a make-good (`campaigns:ProposeMakeGood`). */
export const makeGoodInputSchema = jsonObject(makeGoodInputShape).superRefine(checkFlight);
/** A make-good proposal. */
export type MakeGoodInput = z.output<typeof makeGoodInputSchema>;

/** One buyer's acceptance of a make-good. */
export const makeGoodAcceptanceSchema = jsonObject({
  mspId: mspIdSchema,
  acceptedAt: timestampSchema,
  acceptedBy: actorSchema.optional(),
  txId: txIdSchema,
});

/** A make-good as stored: the proposal, the shortfall it answers (computed by the chaincode) and the acceptances. */
export const makeGoodSchema = jsonObject({
  ...makeGoodInputShape,
  publisher: mspIdSchema,
  /** booked − delivered (billed) units of the line item when the make-good was proposed. */
  shortfallImpressions: positiveSchema,
  status: z.enum(MAKE_GOOD_STATUSES, rule(`must be one of ${MAKE_GOOD_STATUSES.join(', ')}`)),
  acceptances: z.array(makeGoodAcceptanceSchema).max(2),
  proposedAt: timestampSchema,
  proposedBy: actorSchema.optional(),
  txId: txIdSchema,
}).superRefine(checkFlight);
/** A stored make-good. */
export type MakeGood = z.output<typeof makeGoodSchema>;

/** The `campaigns:ListMakeGoods` query: one line item's make-goods. */
export const makeGoodListQuerySchema = jsonObject({ campaignId: idSchema, lineItemId: idSchema });

/** Units a make-good delivered so far, as `campaigns:ListMakeGoods` reports each one. */
export const makeGoodViewSchema = z.object({ makeGood: makeGoodSchema, deliveredImpressions: countSchema });
