import { confidentialProposal, openSealedResponse } from '@adrecon/gateway';
import type { Contract } from '@hyperledger/fabric-gateway';

/**
 * Submits a write as the REST gateway does (issue 8): arguments in the transient map, a salt, and a sealed response,
 * which it opens. Throws when the transaction does not commit as valid.
 */
export async function submitConfidential(
  contract: Contract,
  name: string,
  args: readonly string[],
): Promise<Uint8Array> {
  const { options, sealKey } = confidentialProposal(args);
  const submitted = await contract.submitAsync(name, options);
  const status = await submitted.getStatus();
  if (!status.successful) {
    throw new Error(`transaction ${status.transactionId} failed to commit with status code ${String(status.code)}`);
  }
  return openSealedResponse(submitted.getResult(), sealKey, submitted.getTransactionId());
}
