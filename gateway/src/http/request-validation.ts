import { validationIssues } from '@adrecon/contract';
import { z } from 'zod';
import { AppError } from '../errors';

/**
 * Validates one part of a request (`params`, `query`, `body`) with its schema.
 *
 * @throws {AppError} VALIDATION_FAILED `body.lineItems.0.cpmMicros: …`, with every issue in `details`.
 */
export function validateRequestPart<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = validationIssues(parsed.error, where);
    const first = details[0];
    throw new AppError('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : `invalid ${where}`, {
      details,
    });
  }
  return parsed.data;
}

/** The schema of an absent part of a request (no params, no query, no body fields). */
export const emptyObjectSchema = z.strictObject({});
