import { common } from '@hyperledger/fabric-protos';
import { CommitError } from '@hyperledger/fabric-gateway';
import type { OrgConnection } from './fabric-connection';

/** A committed transaction: its result and the block that committed it on the submitter's peer. */
export interface Committed {
  readonly result: Uint8Array;
  readonly transactionId: string;
  readonly blockNumber: bigint;
}

/**
 * Submits a transaction and waits for its commit on the submitting organization's own peer (which is all that
 * Fabric's commit status says).
 * @throws {CommitError} when the transaction was committed as invalid.
 */
export async function submitCommitted(conn: OrgConnection, name: string, ...args: string[]): Promise<Committed> {
  const submitted = await conn.contract.submitAsync(name, { arguments: args });
  const status = await submitted.getStatus();
  if (!status.successful) {
    throw new CommitError({
      code: status.code,
      transactionId: status.transactionId,
      message: `transaction ${status.transactionId} failed to commit with status code ${status.code}`,
    });
  }
  return { result: submitted.getResult(), transactionId: status.transactionId, blockNumber: status.blockNumber };
}

/** The ledger height (last committed block + 1) of the organization's own peer, from qscc GetChainInfo. */
export async function ledgerHeight(conn: OrgConnection): Promise<bigint> {
  const bytes = await conn.network
    .getContract('qscc')
    .evaluate('GetChainInfo', { arguments: [conn.network.getName()], endorsingOrganizations: [conn.mspId] });
  return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
}

/**
 * Waits until each organization's own peer has committed `block`: the step to take before the test moves from
 * the organization that wrote to another one (each peer pulls and commits blocks on its own, hundreds of
 * milliseconds apart on a slow disk). Polls with a short pause; fails with a message naming the lagging peer.
 */
export async function awaitCommitted(
  block: bigint,
  conns: readonly OrgConnection[],
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const conn of conns) {
    let pause = 10;
    for (;;) {
      const height = await ledgerHeight(conn);
      if (height > block) break;
      if (Date.now() > deadline) {
        throw new Error(`the peer of ${conn.mspId} is at height ${height}, block ${block} not committed in time`);
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 200);
    }
  }
}
