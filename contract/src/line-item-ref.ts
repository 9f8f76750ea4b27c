import { z } from 'zod';
import { BILLABLE_UNITS } from './enums.js';
import { dateSchema, hashHexSchema, idSchema, jsonObject, mspIdSchema, rule } from './primitives.js';

/** The caller-chosen name of one line item's terms record (random, so that its key name reveals nothing). */
export const termsIdSchema = idSchema;

/**
 * A line item as a campaign's all-parties record holds it (issue 8): who sells it and a salted commitment to its
 * terms, never its price, volume or flight, which only the advertiser, the agency and that line item's publisher
 * hold (`lineItemTerms`, in that line item's collection). `commitment` is the SHA-256 of the terms record's private
 * bytes (its value and a salt of 32 random bytes): the hash Fabric already writes into the block, which a
 * transaction endorsed by every party can check without reading the terms. `billableUnit` is shared because an
 * amendment, endorsed by every party, must refuse a change of it. `endsBefore`: the line item was left out of an
 * amendment and its flight ends the day before this date (its terms stay those of `termsId`).
 */
export const lineItemRefSchema = jsonObject({
  lineItemId: idSchema,
  publisher: mspIdSchema,
  billableUnit: z.enum(BILLABLE_UNITS, rule(`must be one of ${BILLABLE_UNITS.join(', ')}`)).optional(),
  termsId: termsIdSchema,
  commitment: hashHexSchema,
  endsBefore: dateSchema.optional(),
});
/** A line item of the all-parties record. */
export type LineItemRef = z.output<typeof lineItemRefSchema>;

/**
 * A line item of a `campaigns:Propose` whose terms were written beforehand by `campaigns:SetLineItemTerms` under
 * `termsId`: the proposal then carries no price or volume, so no other publisher's peer ever receives them.
 */
export const lineItemRefInputSchema = jsonObject({
  lineItemId: idSchema,
  publisher: mspIdSchema,
  billableUnit: lineItemRefSchema.shape.billableUnit,
  termsId: termsIdSchema,
});
/** A line item of a proposal by reference. */
export type LineItemRefInput = z.output<typeof lineItemRefInputSchema>;
