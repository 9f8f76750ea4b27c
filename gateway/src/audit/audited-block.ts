import { common } from '@hyperledger/fabric-protos';

/** What the audit reads of one block: its header fields, its transactions and its validation codes. */
export interface AuditedBlock {
  readonly number: bigint;
  readonly previousHash: Uint8Array;
  /** The data hash recorded in the header (signed by the orderer). */
  readonly dataHash: Uint8Array;
  /** The transaction envelopes, in order. */
  readonly data: readonly Uint8Array[];
  /** The peer's validation code of each transaction (block metadata TRANSACTIONS_FILTER); empty when absent. */
  readonly transactionsFilter: Uint8Array;
}

/**
 * Decodes a serialized `common.Block` (as `qscc GetBlockByNumber` returns it).
 * @throws {Error} when the bytes are not a block with a header.
 */
export function decodeBlock(bytes: Uint8Array): AuditedBlock {
  const block = common.Block.deserializeBinary(bytes);
  const header = block.getHeader();
  if (header === undefined) throw new Error('the block has no header');
  const metadata = block.getMetadata()?.getMetadataList_asU8() ?? [];
  return {
    number: BigInt(header.getNumber()),
    previousHash: header.getPreviousHash_asU8(),
    dataHash: header.getDataHash_asU8(),
    data: block.getData()?.getDataList_asU8() ?? [],
    transactionsFilter: metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array(0),
  };
}

/** The transaction ID of an envelope, or undefined when its bytes do not decode (e.g. they were altered). */
export function transactionIdOf(envelope: Uint8Array): string | undefined {
  try {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelope).getPayload_asU8());
    const channelHeader = payload.getHeader()?.getChannelHeader_asU8();
    if (channelHeader === undefined) return undefined;
    const id = common.ChannelHeader.deserializeBinary(channelHeader).getTxId();
    return id === '' ? undefined : id;
  } catch {
    return undefined;
  }
}
