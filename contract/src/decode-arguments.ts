import { describeValue } from './primitives.js';
import type { ArgumentValues, TransactionArgument, TransactionDefinition } from './transaction-definition.js';
import { describeIssues, validationIssues } from './validation-message.js';

/** The outcome of {@link decodeArguments}: the parsed values, or the detail of the first failure. */
export type Decoded<T extends TransactionDefinition> =
  { readonly success: true; readonly values: ArgumentValues<T> } | { readonly success: false; readonly detail: string };

const INTEGER_TEXT = /^(0|[1-9][0-9]{0,15})$/;

function decodeOne(argument: TransactionArgument, text: string): { value: unknown } | { detail: string } {
  let plain: unknown = text;
  if (argument.encoding === 'json') {
    try {
      plain = JSON.parse(text) as unknown;
    } catch {
      return { detail: `${argument.name} is not valid JSON` };
    }
  } else if (argument.encoding === 'integer') {
    plain = INTEGER_TEXT.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(plain)) {
      return { detail: `${argument.name}: must be the decimal text of an integer, got ${describeValue(text)}` };
    }
  }
  const parsed = argument.schema.safeParse(plain);
  if (!parsed.success) {
    return { detail: describeIssues(validationIssues(parsed.error, argument.name), argument.name) };
  }
  return { value: parsed.data };
}

/**
 * Decodes and validates the string arguments of a transaction with its schemas, as the chaincode receives them.
 * The detail names the argument and the field: `campaign.lineItems.0.cpmMicros: must be an integer from 0 to …`.
 */
export function decodeArguments<T extends TransactionDefinition>(definition: T, texts: readonly string[]): Decoded<T> {
  if (texts.length !== definition.arguments.length) {
    return {
      success: false,
      detail: `${definition.contract}:${definition.name} takes ${definition.arguments.length} arguments, got ${texts.length}`,
    };
  }
  const values: unknown[] = [];
  for (const [index, argument] of definition.arguments.entries()) {
    const outcome = decodeOne(argument, texts[index] ?? '');
    if ('detail' in outcome) return { success: false, detail: outcome.detail };
    values.push(outcome.value);
  }
  return { success: true, values: values as ArgumentValues<T> };
}
