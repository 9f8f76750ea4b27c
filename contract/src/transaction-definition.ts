import type { z } from 'zod';
import type { ChaincodeErrorCode } from './error-codes.js';

/**
 * How one argument crosses the wire as a string: `json` (JSON text of the schema's value), `text` (the string
 * itself) or `integer` (the decimal text of a non-negative safe integer).
 */
export type ArgumentEncoding = 'json' | 'text' | 'integer';

/** One positional argument of a transaction: its name (the root of error paths), encoding and schema. */
export interface TransactionArgument<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly encoding: ArgumentEncoding;
  readonly schema: S;
}

/** One chaincode transaction: where it lives, how it is called, what it takes, returns and may refuse with. */
export interface TransactionDefinition<
  A extends readonly TransactionArgument[] = readonly TransactionArgument[],
  R extends z.ZodType = z.ZodType,
> {
  /** The contract (namespace) name, e.g. `delivery`. */
  readonly contract: string;
  /** The transaction name, e.g. `Submit`. */
  readonly name: string;
  /** `submit` writes (endorsed, ordered, committed); `evaluate` only reads. */
  readonly kind: 'submit' | 'evaluate';
  readonly arguments: A;
  readonly result: R;
  /** The codes its error messages may start with. */
  readonly errors: readonly ChaincodeErrorCode[];
}

/** An argument whose value is JSON text. */
export function jsonArgument<S extends z.ZodType>(
  name: string,
  schema: S,
): TransactionArgument<S> & { readonly encoding: 'json' } {
  return { name, encoding: 'json', schema };
}

/** An argument that is a plain string. */
export function textArgument<S extends z.ZodType<string, string>>(
  name: string,
  schema: S,
): TransactionArgument<S> & { readonly encoding: 'text' } {
  return { name, encoding: 'text', schema };
}

/** An argument that is a non-negative integer, sent as its decimal text. */
export function integerArgument<S extends z.ZodType<number, number>>(
  name: string,
  schema: S,
): TransactionArgument<S> & { readonly encoding: 'integer' } {
  return { name, encoding: 'integer', schema };
}

/** The schema inputs of a list of arguments, as a tuple. */
export type InputsOf<A extends readonly TransactionArgument[]> = {
  -readonly [K in keyof A]: A[K] extends TransactionArgument<infer S> ? z.input<S> : never;
};

/** The schema outputs of a list of arguments, as a tuple. */
export type OutputsOf<A extends readonly TransactionArgument[]> = {
  -readonly [K in keyof A]: A[K] extends TransactionArgument<infer S> ? z.output<S> : never;
};

/** The values a caller passes for a transaction's arguments, in order (schema inputs). */
export type ArgumentInputs<T extends TransactionDefinition> = InputsOf<T['arguments']>;

/** The values a transaction works with after parsing its arguments, in order (schema outputs). */
export type ArgumentValues<T extends TransactionDefinition> = OutputsOf<T['arguments']>;

/** What a transaction returns, parsed. */
export type ResultOf<T extends TransactionDefinition> = z.output<T['result']>;

/** `<contract>:<Name>`, the name Fabric dispatches on. */
export function qualifiedName(definition: TransactionDefinition): string {
  return `${definition.contract}:${definition.name}`;
}

/** Encodes one argument value as the string the chaincode receives. */
export function encodeArgument(argument: TransactionArgument, value: unknown): string {
  if (argument.encoding === 'json') return JSON.stringify(value);
  if (argument.encoding === 'integer') return String(value);
  return value as string;
}
