import { MerkleInputError, parseImpressionRecord, parseInclusionProof } from '@adrecon/merkle';
import { z } from 'zod';
import { countSchema, hashHexSchema, idSchema, jsonObject, mspIdSchema, positiveSchema } from './primitives.js';

function merkleCheck<T>(parse: (value: T) => unknown) {
  return (value: T, ctx: z.RefinementCtx): void => {
    try {
      parse(value);
    } catch (err) {
      if (!(err instanceof MerkleInputError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
    }
  };
}

/**
 * One log-level impression record (the `@adrecon/merkle` ImpressionRecord); its rules are the Merkle library's,
 * which this schema applies.
 */
export const impressionRecordSchema = jsonObject({
  impressionId: z.string(),
  timestamp: z.string(),
  campaignId: idSchema,
  lineItemId: idSchema,
  placementId: z.string().optional(),
  creativeId: z.string().optional(),
}).superRefine(merkleCheck(parseImpressionRecord));

const inclusionProofShape = {
  leafIndex: countSchema,
  treeSize: positiveSchema,
  auditPath: z.array(hashHexSchema),
  /** The tree format version (absent means 1); which versions exist is the Merkle library's rule. */
  version: z.int().optional(),
};

/**
 * An inclusion proof (the `@adrecon/merkle` InclusionProof JSON, tree format version 1 or 2), checked by the Merkle
 * library.
 */
export const inclusionProofSchema = jsonObject(inclusionProofShape).superRefine(merkleCheck(parseInclusionProof));

/** The proof and the leaf to check: exactly one of `record` and `leafHash`. */
export const leafShape = { record: impressionRecordSchema.optional(), leafHash: hashHexSchema.optional() };

/** Refuses a value with both or neither of `record` and `leafHash`. */
export function exactlyOneLeaf(value: { record?: unknown; leafHash?: unknown }, ctx: z.RefinementCtx): void {
  if ((value.record === undefined) === (value.leafHash === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'give exactly one of record and leafHash', path: ['record'] });
  }
}

/** The `delivery:VerifyProof` proof argument: the inclusion proof's fields plus the leaf. */
export const proofArgumentSchema = jsonObject({ ...inclusionProofShape, ...leafShape }).superRefine((value, ctx) => {
  exactlyOneLeaf(value, ctx);
  merkleCheck(parseInclusionProof)(
    {
      leafIndex: value.leafIndex,
      treeSize: value.treeSize,
      auditPath: value.auditPath,
      ...(value.version === undefined ? {} : { version: value.version }),
    },
    ctx,
  );
});

/** The `delivery:VerifyProof` result. */
export const proofResultSchema = z.object({
  valid: z.boolean(),
  merkleRoot: hashHexSchema,
  reportId: idSchema,
  reporter: mspIdSchema,
});
