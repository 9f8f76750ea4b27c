import { decodeBlock, transactionIdOf } from '@adrecon/gateway';
import type { OrgConnection } from '../fabric-connection';

/** One transaction of a block as the peer committed it. */
export interface CommittedTransaction {
  readonly block: bigint;
  readonly transactionId: string;
  /** The peer's validation code: 0 is VALID, anything else left the world state unchanged. */
  readonly validationCode: number;
}

/**
 * Every transaction in blocks `from` (inclusive) to `to` (exclusive) of the organization's own peer, read with
 * qscc GetBlockByNumber, with its validation code from the block's TRANSACTIONS_FILTER metadata.
 */
export async function committedTransactions(
  conn: OrgConnection,
  from: bigint,
  to: bigint,
): Promise<CommittedTransaction[]> {
  const qscc = conn.network.getContract('qscc');
  const found: CommittedTransaction[] = [];
  for (let number = from; number < to; number++) {
    const bytes = await qscc.evaluate('GetBlockByNumber', {
      arguments: [conn.network.getName(), number.toString()],
      endorsingOrganizations: [conn.mspId],
    });
    const block = decodeBlock(bytes);
    block.data.forEach((envelope, index) => {
      found.push({
        block: number,
        transactionId: transactionIdOf(envelope) ?? '',
        validationCode: block.transactionsFilter[index] ?? 255,
      });
    });
  }
  return found;
}
