import * as grpc from '@grpc/grpc-js';
import { connect, type Contract, type Gateway, hash, type Network, signers } from '@hyperledger/fabric-gateway';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { mspOf, type NetworkProfile } from './network-profile';

/** A raw Fabric Gateway connection as one organization's client identity, to one of its peers. */
export interface OrgConnection {
  readonly mspId: string;
  readonly gateway: Gateway;
  readonly network: Network;
  readonly contract: Contract;
  close(): void;
}

/**
 * Opens a TLS gRPC connection to an organization's peer and a Gateway as its profile identity (`user1`, role
 * admin), or as another enrolled user of the organization (`user`: its certificate and key files).
 */
export function connectAs(
  profile: NetworkProfile,
  mspId: string,
  peerIndex = 0,
  user?: Readonly<{ certPath: string; keyPath: string }>,
): OrgConnection {
  const org = profile.organizations.find((o) => o.mspId === mspId);
  if (!org) throw new Error(`no organization ${mspId} in the network profile`);
  const peer = org.peers[peerIndex];
  if (!peer) throw new Error(`${mspId} has no peer ${peerIndex}`);
  const client = new grpc.Client(peer.endpoint, grpc.credentials.createSsl(fs.readFileSync(peer.tlsRootCertPath)), {
    'grpc.ssl_target_name_override': peer.hostAlias,
  });
  const gateway = connect({
    client,
    identity: { mspId, credentials: fs.readFileSync((user ?? org.identity).certPath) },
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync((user ?? org.identity).keyPath))),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 10_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  const network = gateway.getNetwork(profile.channel);
  return {
    mspId,
    gateway,
    network,
    contract: network.getContract(profile.chaincode),
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

const utf8 = new TextDecoder();

/** Evaluates a transaction and parses its JSON result. */
export async function evaluateJson<T>(conn: OrgConnection, name: string, ...args: string[]): Promise<T> {
  return JSON.parse(utf8.decode(await conn.contract.evaluateTransaction(name, ...args))) as T;
}

/**
 * Retries an operation while the network settles after a restart (gossip membership, chaincode
 * servers reconnecting), up to a deadline; rethrows the last error.
 */
export async function eventually<T>(operation: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await operation();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** One connection per consortium role of the default network: the parties of a campaign. */
export interface PartyConnections {
  readonly advertiser: OrgConnection;
  readonly agency: OrgConnection;
  readonly publisher: OrgConnection;
  close(): void;
}

/** Connects as the first advertiser, agency and publisher organization of the profile. */
export function connectParties(profile: NetworkProfile): PartyConnections {
  const parties = {
    advertiser: connectAs(profile, mspOf(profile, 'ADVERTISER')),
    agency: connectAs(profile, mspOf(profile, 'AGENCY')),
    publisher: connectAs(profile, mspOf(profile, 'PUBLISHER')),
  };
  return {
    ...parties,
    close: () => {
      Object.values(parties).forEach((c) => {
        c.close();
      });
    },
  };
}
