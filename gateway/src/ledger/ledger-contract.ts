import {
  encodeArgument,
  qualifiedName,
  TRANSACTIONS,
  type ArgumentInputs,
  type ResultOf,
  type TransactionDefinition,
  type Transactions,
} from '@adrecon/contract';
import type { LedgerClient, SubmitResult } from './ledger-client';

/** A committed write with its typed result. */
export type Submitted<R> = Omit<SubmitResult, 'result'> & { readonly result: R };

/** One transaction as a typed method: the caller's organization, then the contract's arguments in order. */
export type TransactionCall<T extends TransactionDefinition> = T['kind'] extends 'submit'
  ? (org: string, ...args: ArgumentInputs<T>) => Promise<Submitted<ResultOf<T>>>
  : (org: string, ...args: ArgumentInputs<T>) => Promise<ResultOf<T>>;

/**
 * The chaincode as typed methods, one per transaction of the contract: `ledger.delivery.submit(org, report)`.
 * A renamed transaction or a changed argument is a compile error in every caller.
 */
export type LedgerContract = {
  readonly [C in keyof Transactions]: {
    readonly [N in keyof Transactions[C] as Uncapitalize<N & string>]: Transactions[C][N] extends TransactionDefinition
      ? TransactionCall<Transactions[C][N]>
      : never;
  };
};

function uncapitalize(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function callOf(client: LedgerClient, definition: TransactionDefinition) {
  const name = qualifiedName(definition);
  const encode = (args: readonly unknown[]): string[] =>
    definition.arguments.map((argument, index) => encodeArgument(argument, args[index]));
  return definition.kind === 'submit'
    ? (org: string, ...args: unknown[]) => client.submit(org, name, encode(args))
    : (org: string, ...args: unknown[]) => client.evaluate(org, name, encode(args));
}

/**
 * Builds the typed facade over the string-level {@link LedgerClient}, which stays the transport underneath.
 * Results are the chaincode's JSON, whose shape the chaincode's encoder is typed against the same schemas.
 *
 * @throws nothing itself; each call throws what {@link LedgerClient.submit} or {@link LedgerClient.evaluate} throws.
 */
export function createLedgerContract(client: LedgerClient): LedgerContract {
  const contracts = Object.entries(TRANSACTIONS).map(([contract, transactions]) => [
    contract,
    Object.fromEntries(
      Object.entries(transactions).map(([name, definition]) => [
        uncapitalize(name),
        callOf(client, definition as TransactionDefinition),
      ]),
    ),
  ]);
  return Object.fromEntries(contracts) as LedgerContract;
}
