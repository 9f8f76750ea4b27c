import { z } from 'zod';
import type { AppError } from '../errors';
import type { RouteResult } from './route-definition';

/** The success body: `{"data": ..., "transactionId"?: ...}`. */
export function envelopeOf(result: RouteResult): unknown {
  return result.transactionId === undefined
    ? { data: result.data }
    : { data: result.data, transactionId: result.transactionId };
}

/** The schema of the success body around a `data` schema, for the OpenAPI document. */
export function envelopeSchema(data: z.ZodType): z.ZodType {
  return z.object({ data, transactionId: z.string().optional() });
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
