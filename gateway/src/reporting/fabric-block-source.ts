import { connect, hash } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import type { OrganizationProfile } from '../ledger/network-profile';
import { loadOrganizationIdentity } from '../ledger/organization-identity';
import { newPeerClient } from '../ledger/peer-client';
import type { BlockSource, LedgerBlockStream } from './block-source';
import { decodeLedgerBlock } from './ledger-block';

/** Options of {@link newFabricBlockSource}. */
export interface FabricBlockSourceOptions {
  readonly organization: OrganizationProfile;
  readonly channel: string;
  readonly evaluateTimeoutMs: number;
}

/**
 * Block events of the organization's own first peer, as its own identity (`@hyperledger/fabric-gateway`
 * `getBlockEvents`), on a gRPC connection of its own so that the listener never competes with the REST API's calls.
 * @throws {Error} when the identity or the peer's TLS root cannot be read.
 */
export function newFabricBlockSource(options: Readonly<FabricBlockSourceOptions>): BlockSource {
  const peerProfile = options.organization.peers[0];
  if (peerProfile === undefined) throw new Error(`${options.organization.mspId} has no peer`);
  const client = newPeerClient(peerProfile);
  const { identity, signer } = loadOrganizationIdentity(options.organization);
  const gateway = connect({ client, identity, signer, hash: hash.sha256 });
  const network = gateway.getNetwork(options.channel);
  return {
    async blocks(startBlock: bigint): Promise<LedgerBlockStream> {
      const events = await network.getBlockEvents({ startBlock });
      return {
        close: () => {
          events.close();
        },
        async *[Symbol.asyncIterator]() {
          for await (const block of events) yield decodeLedgerBlock(block);
        },
      };
    },
    async height(): Promise<bigint> {
      const bytes = await network
        .getContract('qscc')
        .evaluateTransaction('GetChainInfo', options.channel)
        .catch((err: unknown) => {
          throw err;
        });
      return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
    },
    close(): void {
      gateway.close();
      client.close();
    },
  };
}
