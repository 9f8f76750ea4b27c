import { connect, hash, type Network } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import type { OrganizationProfile, PeerProfile } from '../ledger/network-profile';
import { loadOrganizationIdentity } from '../ledger/organization-identity';
import { newPeerClient } from '../ledger/peer-client';
import { decodeBlock, type AuditedBlock } from './audited-block';
import type { PeerLedger } from './peer-ledger';

/** Options for {@link connectPeerLedger}. */
export interface QsccPeerLedgerOptions {
  readonly channel: string;
  readonly organization: OrganizationProfile;
  readonly peer: PeerProfile;
  /** Deadline of each query. */
  readonly timeoutMs: number;
}

/** A {@link PeerLedger} that must be closed after use. */
export interface ClosablePeerLedger extends PeerLedger {
  close(): void;
}

class QsccPeerLedger implements ClosablePeerLedger {
  readonly peer: string;
  readonly mspId: string;
  readonly #network: Network;
  readonly #channel: string;
  readonly #timeoutMs: number;
  readonly #close: () => void;

  constructor(options: Readonly<QsccPeerLedgerOptions>) {
    this.peer = options.peer.hostAlias;
    this.mspId = options.organization.mspId;
    this.#channel = options.channel;
    this.#timeoutMs = options.timeoutMs;
    const client = newPeerClient(options.peer);
    const gateway = connect({ client, ...loadOrganizationIdentity(options.organization), hash: hash.sha256 });
    this.#network = gateway.getNetwork(options.channel);
    this.#close = () => {
      gateway.close();
      client.close();
    };
  }

  async height(): Promise<bigint> {
    const bytes = await this.#query('GetChainInfo', [this.#channel]);
    return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
  }

  async block(number: bigint): Promise<AuditedBlock> {
    return decodeBlock(await this.#query('GetBlockByNumber', [this.#channel, number.toString()]));
  }

  close(): void {
    this.#close();
  }

  /** Fabric's Gateway evaluates on a peer of the named organization, the connected peer first at equal heights. */
  #query(transaction: string, args: string[]): Promise<Uint8Array> {
    return this.#network
      .getContract('qscc')
      .newProposal(transaction, { arguments: args, endorsingOrganizations: [this.mspId] })
      .evaluate({ deadline: Date.now() + this.#timeoutMs });
  }
}

/**
 * Reads one peer's ledger through the query system chaincode (`qscc GetChainInfo`, `GetBlockByNumber`), as the
 * peer's own organization: a Gateway connection to that peer with the organization's client identity.
 * @throws {Error} when the identity or TLS files cannot be read.
 */
export function connectPeerLedger(options: Readonly<QsccPeerLedgerOptions>): ClosablePeerLedger {
  return new QsccPeerLedger(options);
}
