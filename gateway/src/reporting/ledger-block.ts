import { common, peer } from '@hyperledger/fabric-protos';

/** A chaincode event as a block records it (names only what the listener needs). */
export interface BlockEvent {
  readonly chaincodeName: string;
  readonly eventName: string;
  readonly payload: Uint8Array;
}

/** One transaction of a block: its ID, whether the peer validated it, and its chaincode events. */
export interface BlockTransaction {
  readonly transactionId: string;
  readonly valid: boolean;
  readonly events: readonly BlockEvent[];
}

/** What the listener reads of a block. */
export interface LedgerBlock {
  readonly number: bigint;
  readonly transactions: readonly BlockTransaction[];
}

function eventsOf(transaction: peer.Transaction): BlockEvent[] {
  const events: BlockEvent[] = [];
  for (const action of transaction.getActionsList()) {
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const responsePayload = actionPayload.getAction()?.getProposalResponsePayload_asU8();
    if (responsePayload === undefined || responsePayload.length === 0) continue;
    const extension = peer.ProposalResponsePayload.deserializeBinary(responsePayload).getExtension_asU8();
    const eventBytes = peer.ChaincodeAction.deserializeBinary(extension).getEvents_asU8();
    if (eventBytes.length === 0) continue;
    const event = peer.ChaincodeEvent.deserializeBinary(eventBytes);
    if (event.getEventName() === '') continue;
    events.push({
      chaincodeName: event.getChaincodeId(),
      eventName: event.getEventName(),
      payload: event.getPayload_asU8(),
    });
  }
  return events;
}

/**
 * Reads a block's endorser transactions: IDs, validation flags (block metadata TRANSACTIONS_FILTER) and chaincode
 * events. Configuration transactions and anything else are skipped. Nothing of the world state is decoded: the
 * listener learns *what* changed here and reads the records through the chaincode.
 * @throws {Error} when the block's envelopes do not decode.
 */
export function decodeLedgerBlock(block: common.Block): LedgerBlock {
  const header = block.getHeader();
  if (header === undefined) throw new Error('the block has no header');
  const metadata = block.getMetadata()?.getMetadataList_asU8() ?? [];
  const filter = metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array(0);
  const transactions: BlockTransaction[] = [];
  for (const [index, bytes] of (block.getData()?.getDataList_asU8() ?? []).entries()) {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
    const channelHeaderBytes = payload.getHeader()?.getChannelHeader_asU8();
    if (channelHeaderBytes === undefined) continue;
    const channelHeader = common.ChannelHeader.deserializeBinary(channelHeaderBytes);
    if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) continue;
    transactions.push({
      transactionId: channelHeader.getTxId(),
      valid: filter[index] === peer.TxValidationCode.VALID,
      events: eventsOf(peer.Transaction.deserializeBinary(payload.getData_asU8())),
    });
  }
  return { number: BigInt(header.getNumber()), transactions };
}
