import { z } from 'zod';
import type { AppError } from '../errors';
import { blockNumberSchema } from './consistency';
import type { RouteResult } from './route-definition';

/** The success body: `{"data": ..., "transactionId"?: ..., "block"?: ...}` (the block as decimal text). */
export function envelopeOf(result: RouteResult): unknown {
  return {
    data: result.data,
    ...(result.transactionId === undefined ? {} : { transactionId: result.transactionId }),
    ...(result.block === undefined ? {} : { block: result.block.toString() }),
  };
}

/** The schema of the success body around a `data` schema, for the OpenAPI document. */
export function envelopeSchema(data: z.ZodType): z.ZodType {
  return z.object({ data, transactionId: z.string().optional(), block: blockNumberSchema.optional() });
}

/** The error body: `{"error": {code, message, transactionId?}}`. */
export function errorBodyOf(err: AppError): unknown {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.transactionId === undefined ? {} : { transactionId: err.transactionId }),
    },
  };
}
