import type { AuditedBlock } from './audited-block';

/** One peer's copy of the channel's ledger, read as its organization's own identity. */
export interface PeerLedger {
  /** The peer's name, as the network profile gives its endpoint and host alias. */
  readonly peer: string;
  /** The organization that owns the peer and whose identity reads it. */
  readonly mspId: string;
  /**
   * Committed blocks (last block number + 1).
   * @throws {Error} when the peer cannot answer.
   */
  height(): Promise<bigint>;
  /**
   * One committed block.
   * @throws {Error} when the peer cannot answer or the answer is not a block.
   */
  block(number: bigint): Promise<AuditedBlock>;
}
