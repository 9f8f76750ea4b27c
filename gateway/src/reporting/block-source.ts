import type { LedgerBlock } from './ledger-block';

/** A stream of blocks that must be closed when the consumer stops reading. */
export interface LedgerBlockStream extends AsyncIterable<LedgerBlock> {
  close(): void;
}

/** The organization's own peer as the listener sees it: its blocks in order, and its height. */
export interface BlockSource {
  /** Blocks from `startBlock` on, in order, without end. */
  blocks(startBlock: bigint): Promise<LedgerBlockStream>;
  /** The peer's ledger height (last block number + 1). */
  height(): Promise<bigint>;
  close(): void;
}
