import { GatewayError } from '@hyperledger/fabric-gateway';

/** Everything a Fabric error says, including each endorsing peer's chaincode message. */
export function errorText(err: unknown): string {
  if (err instanceof GatewayError) return [err.message, ...err.details.map((d) => d.message)].join(' | ');
  return err instanceof Error ? err.message : String(err);
}

/** Runs an operation that must fail and returns everything its error says; throws if it succeeded. */
export async function rejection(operation: () => Promise<unknown>): Promise<string> {
  try {
    await operation();
  } catch (err) {
    return errorText(err);
  }
  throw new Error('the operation succeeded but was expected to fail');
}
