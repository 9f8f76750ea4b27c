import {
  decodeArguments,
  describeIssues,
  validationIssues,
  type ArgumentValues,
  type ResultOf,
  type TransactionDefinition,
} from '@adrecon/contract';
import type { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import { ValidationError } from './errors.js';

/**
 * Parses a transaction's string arguments with the shared contract's schemas: the one place the chaincode turns
 * untrusted input into typed values.
 *
 * @throws ValidationError naming the argument and field, e.g. `campaign.lineItems.0.cpmMicros: must be …`.
 */
export function parseTransactionArguments<T extends TransactionDefinition>(
  definition: T,
  texts: readonly string[],
): ArgumentValues<T> {
  const decoded = decodeArguments(definition, texts);
  if (!decoded.success) {
    throw new ValidationError(decoded.detail);
  }
  return decoded.values;
}

/**
 * The canonical (sorted-key) JSON of a transaction's result; its type is the contract's result schema, so the
 * compiler holds the chaincode to what the gateway expects.
 */
export function encodeResult<T extends TransactionDefinition>(_definition: T, result: ResultOf<T>): string {
  return canonicalJson(result);
}

/**
 * A parser of stored records for {@link Ledger} reads: the bytes on the ledger are checked like any input.
 *
 * @throws ValidationError when the stored value does not match the schema.
 */
export function recordParser<S extends z.ZodType>(schema: S, root: string): (value: unknown) => z.output<S> {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new ValidationError(describeIssues(validationIssues(parsed.error, root), root));
    }
    return parsed.data;
  };
}
