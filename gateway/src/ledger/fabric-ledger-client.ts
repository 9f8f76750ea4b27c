import type * as grpc from '@grpc/grpc-js';
import {
  CommitError,
  connect,
  hash,
  StatusCode,
  type Gateway,
  type Status,
  type Transaction,
} from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import { AppError } from '../errors';
import { newBlockWaiter, type BlockWaiter } from './block-waiter';
import { actingUser } from './acting-user';
import { confidentialProposal, openSealedResponse } from './confidential-proposal';
import {
  isCertainlyNotOrdered,
  isConcurrentWriteConflict,
  isOrderingInDoubt,
  isPeerUnavailable,
  isPlanRefusal,
  laggingEndorsers,
  toAppError,
} from './fabric-error-adapter';
import type { AwaitBlockOptions, LedgerClient, LedgerEvent, LedgerEventStream, SubmitResult } from './ledger-client';
import type { NetworkProfile, OrganizationProfile } from './network-profile';
import { loadOrganizationIdentity, type OrganizationIdentity } from './organization-identity';
import { newPeerClient, type ReconnectBackoff } from './peer-client';

/** One organization identity connected through one peer endpoint. */
export interface PeerGateway {
  readonly endpoint: string;
  readonly gateway: Gateway;
}

/** Connects an organization's identity through each of its peers; replaceable in tests. */
export type PeerGatewayFactory = (organization: OrganizationProfile) => PeerGateway[];

/** Options for {@link newFabricLedgerClient}. */
export interface FabricLedgerClientOptions {
  readonly profile: NetworkProfile;
  readonly timeouts: Readonly<{ evaluateMs: number; endorseMs: number; submitMs: number; commitStatusMs: number }>;
  /**
   * Retries of a write that lost a race with a concurrent writer (MVCC or phantom read conflict, or a key-level
   * endorsement policy changed by the winner), each with a new proposal endorsed on the winner's state.
   */
  readonly mvccRetries: number;
  readonly retryAfterSeconds: number;
  /** Base of the jittered exponential pause before an MVCC retry (default 50 ms). */
  readonly mvccBackoffMs?: number;
  /**
   * How long one peer is asked for a submitted transaction's commit status before the same envelope is sent again
   * through the organization's next peer (default {@link DEFAULT_COMMIT_PROBE_MS}); the whole wait stays within
   * `timeouts.commitStatusMs`.
   */
  readonly commitProbeMs?: number;
  /**
   * How long a write refused by a lagging party's peer (see {@link laggingEndorsers}) waits for the other
   * organizations' peers to reach its own peer's height before it is endorsed again (default
   * {@link DEFAULT_ENDORSER_LAG_WAIT_MS}); past it, LEDGER_BEHIND.
   */
  readonly endorserLagWaitMs?: number;
  /** Bound of the gRPC reconnect backoff to a peer that is down (default: first retry after 250 ms, then every 2 s at most). */
  readonly reconnectBackoff?: ReconnectBackoff;
  /** How peers are connected; by default TLS gRPC clients from the profile. */
  readonly connectPeers?: PeerGatewayFactory;
  /**
   * MSP IDs of the channel's organizations that this client holds no identity for but whose peers endorse writes
   * too: a write carrying a consistency token waits for their peers as well (asked through the caller's own peer).
   */
  readonly otherOrganizations?: readonly string[];
  /**
   * The identities of the organization's enrolled users. A call made while a request acts as a user
   * ({@link actingUser}) is signed with that user's own certificate and key, through the same gRPC connections.
   */
  readonly userIdentity?: (enrollmentId: string) => OrganizationIdentity | undefined;
}

/**
 * Default of {@link FabricLedgerClientOptions.commitProbeMs}: a commit normally takes well under a second (a 50 ms
 * batch timeout), and a Raft election a few seconds, so a transaction without a status after 5 s was most likely
 * lost with the peer or the orderer it went through.
 */
export const DEFAULT_COMMIT_PROBE_MS = 5_000;

/**
 * Default of {@link FabricLedgerClientOptions.endorserLagWaitMs}: peers commit a block within milliseconds of each
 * other, so one still behind after 5 s is not merely behind (down, cut off, or catching up after a restart).
 */
export const DEFAULT_ENDORSER_LAG_WAIT_MS = 5_000;

/** The least time between two rounds of sending an envelope again, when every peer fails at once. */
const RESEND_PAUSE_MS = 500;

interface Organization {
  readonly peers: readonly PeerGateway[];
  preferred: number;
}

const decoder = new TextDecoder();

function parseJson(bytes: Uint8Array): unknown {
  const text = decoder.decode(bytes);
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('INTERNAL', 'the chaincode returned a response that is not JSON', { cause: err });
  }
}

function deadline(ms: number): () => grpc.CallOptions {
  return () => ({ deadline: Date.now() + ms });
}

function newTlsPeerFactory(
  clients: Map<string, grpc.Client>,
  timeouts: FabricLedgerClientOptions['timeouts'],
  backoff: ReconnectBackoff | undefined,
): PeerGatewayFactory {
  return (org) => {
    const { identity, signer } = loadOrganizationIdentity(org);
    return org.peers.map((peer): PeerGateway => {
      let client = clients.get(peer.endpoint);
      if (client === undefined) {
        client = newPeerClient(peer, backoff);
        clients.set(peer.endpoint, client);
      }
      const gateway = connect({
        client,
        identity,
        signer,
        hash: hash.sha256,
        evaluateOptions: deadline(timeouts.evaluateMs),
        endorseOptions: deadline(timeouts.endorseMs),
        submitOptions: deadline(timeouts.submitMs),
        commitStatusOptions: deadline(timeouts.commitStatusMs),
      });
      return { endpoint: peer.endpoint, gateway };
    });
  };
}

class FabricLedgerClient implements LedgerClient {
  readonly #options: Readonly<FabricLedgerClientOptions>;
  readonly #clients: ReadonlyMap<string, grpc.Client>;
  readonly #organizations: ReadonlyMap<string, Organization>;
  readonly #blocks: BlockWaiter;
  readonly #userGateways = new Map<string, Gateway>();

  constructor(options: Readonly<FabricLedgerClientOptions>) {
    this.#options = options;
    const clients = new Map<string, grpc.Client>();
    const connectPeers = options.connectPeers ?? newTlsPeerFactory(clients, options.timeouts, options.reconnectBackoff);
    const organizations = new Map<string, Organization>();
    for (const org of options.profile.organizations) {
      organizations.set(org.mspId, { peers: connectPeers(org), preferred: 0 });
    }
    this.#clients = clients;
    this.#organizations = organizations;
    this.#blocks = newBlockWaiter({
      queryHeight: (caller, target, timeoutMs) => this.#ledgerHeight(caller, target, timeoutMs),
      organizations: () => [...this.organizations(), ...(options.otherOrganizations ?? [])],
      retryAfterSeconds: options.retryAfterSeconds,
    });
  }

  organizations(): readonly string[] {
    return [...this.#organizations.keys()];
  }

  async evaluate(org: string, transaction: string, args: readonly string[]): Promise<unknown> {
    let bytes: Uint8Array;
    try {
      bytes = await this.#withPeer(org, (gateway) => this.#contract(gateway).evaluateTransaction(transaction, ...args));
    } catch (err) {
      throw this.#convert(err);
    }
    return parseJson(bytes);
  }

  async submit(org: string, transaction: string, args: readonly string[]): Promise<SubmitResult> {
    let waitedForLag = false;
    for (let conflicts = 0; ;) {
      try {
        const endorsed = await this.#withPeer(org, (gateway) => this.#endorseConfidential(gateway, transaction, args));
        const status = await this.#order(org, endorsed.transaction);
        if (!status.successful) {
          throw new CommitError({
            code: status.code,
            transactionId: status.transactionId,
            message: `transaction ${status.transactionId} failed to commit with status code ${status.code}`,
          });
        }
        this.#blocks.observed(org, status.blockNumber);
        const transactionId = endorsed.transaction.getTransactionId();
        return {
          result: parseJson(openSealedResponse(endorsed.transaction.getResult(), endorsed.sealKey, transactionId)),
          transactionId,
          blockNumber: status.blockNumber,
        };
      } catch (err) {
        // A party's peer behind the caller's own: endorsed again, once, when every party's peer has caught up.
        const lagging = waitedForLag ? undefined : laggingEndorsers(err, org);
        if (lagging !== undefined) {
          waitedForLag = true;
          await this.#awaitOwnHeight(org, lagging);
          continue;
        }
        if (!isConcurrentWriteConflict(err) || conflicts >= this.#options.mvccRetries) throw this.#convert(err);
        const base = this.#options.mvccBackoffMs ?? 50;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * base * 2 ** conflicts));
        conflicts++;
      }
    }
  }

  awaitBlock(org: string, block: bigint, options: Readonly<AwaitBlockOptions>): Promise<void> {
    if (!this.#organizations.has(org)) {
      return Promise.reject(new AppError('FORBIDDEN', `the gateway holds no identity for organization ${org}`));
    }
    return this.#blocks.awaitBlock(org, block, options);
  }

  async chaincodeEvents(org: string, startBlock?: bigint): Promise<LedgerEventStream> {
    const events = await this.#withPeer(org, (gateway) =>
      gateway
        .getNetwork(this.#options.profile.channel)
        .getChaincodeEvents(this.#options.profile.chaincode, startBlock === undefined ? {} : { startBlock }),
    ).catch((err: unknown) => {
      throw this.#convert(err);
    });
    const convert = (err: unknown): AppError => this.#convert(err);
    return {
      close: () => {
        events.close();
      },
      async *[Symbol.asyncIterator](): AsyncIterator<LedgerEvent> {
        try {
          for await (const event of events) {
            let payload: unknown = null;
            try {
              payload = JSON.parse(decoder.decode(event.payload)) as unknown;
            } catch {
              payload = null;
            }
            yield {
              blockNumber: event.blockNumber,
              transactionId: event.transactionId,
              eventName: event.eventName,
              payload,
            };
          }
        } catch (err) {
          throw convert(err);
        }
      },
    };
  }

  close(): void {
    for (const gateway of this.#userGateways.values()) gateway.close();
    for (const org of this.#organizations.values()) {
      for (const peer of org.peers) peer.gateway.close();
    }
    for (const client of this.#clients.values()) client.close();
  }

  /**
   * Endorses a write with its inputs in transient data, returning the endorsed transaction and the key its response
   * is sealed with. The Fabric Gateway plans the endorsers from the collections the transaction writes; when it
   * cannot (a line item's records in a campaign with another publisher: it will not send transient data outside the
   * collections), the caller's own peer runs the write as an evaluation that answers the members of the collections
   * it writes (the parties), and the write is endorsed by exactly those organizations.
   */
  async #endorseConfidential(
    gateway: Gateway,
    transaction: string,
    args: readonly string[],
  ): Promise<{ transaction: Transaction; sealKey: Buffer }> {
    const contract = this.#contract(gateway);
    let proposal = confidentialProposal(args);
    let endorsed: Transaction;
    try {
      endorsed = await contract.newProposal(transaction, proposal.options).endorse();
    } catch (err) {
      if (!isPlanRefusal(err)) throw err;
      const plan = confidentialProposal(args, undefined, true);
      const answer = (await contract
        .evaluate(transaction, plan.options)
        .then(parseJson)
        .catch(() => {
          throw err;
        })) as { endorsers?: unknown } | null;
      const endorsers = answer?.endorsers;
      if (!Array.isArray(endorsers) || endorsers.length === 0 || !endorsers.every((e) => typeof e === 'string')) {
        throw err;
      }
      proposal = confidentialProposal(args, endorsers);
      endorsed = await contract.newProposal(transaction, proposal.options).endorse();
    }
    // Opened only once the commit is known valid: a failed commit reports its status, not its payload.
    return { transaction: endorsed, sealKey: proposal.sealKey };
  }

  /**
   * Orders an endorsed transaction and waits for its commit status, surviving the death of the peer it went
   * through or of the orderer that accepted it: while the outcome is in doubt ({@link isOrderingInDoubt}), the same
   * signed envelope is sent again through the organization's next peer and its status asked there, until a status
   * is known or `timeouts.commitStatusMs` has passed. The envelope keeps its transaction ID, so it commits at most
   * once: Fabric invalidates a later copy as DUPLICATE_TXID and reports a transaction ID's first occurrence.
   */
  async #order(org: string, transaction: Transaction): Promise<Status> {
    const organization = this.#organizations.get(org);
    if (organization === undefined)
      throw new AppError('FORBIDDEN', `the gateway holds no identity for organization ${org}`);
    const envelope = transaction.getBytes();
    const { submitMs, commitStatusMs } = this.#options.timeouts;
    const probeMs = Math.min(this.#options.commitProbeMs ?? DEFAULT_COMMIT_PROBE_MS, commitStatusMs);
    const giveUpAt = Date.now() + commitStatusMs;
    const first = organization.preferred;
    let inDoubt: unknown;
    let lastError: unknown;
    for (let round = 0; ; round++) {
      const startedAt = Date.now();
      const index = (first + round) % organization.peers.length;
      const peer = organization.peers[index];
      try {
        if (peer === undefined) throw new AppError('INTERNAL', 'no peer');
        const copy = round === 0 ? transaction : this.#gatewayFor(peer).newTransaction(envelope);
        const submitted = await copy.submit({ deadline: Date.now() + submitMs });
        const status = await submitted.getStatus({ deadline: Math.min(Date.now() + probeMs, giveUpAt) });
        if (round > 0 && status.code === StatusCode.DUPLICATE_TXID) {
          // Not expected (the first occurrence's status is reported), but then the original's own fate is unknown.
          throw new AppError('COMMIT_STATUS_UNKNOWN', 'the transaction was sent again and found already ordered', {
            transactionId: status.transactionId,
          });
        }
        organization.preferred = index;
        return status;
      } catch (err) {
        if (!isOrderingInDoubt(err)) throw err;
        lastError = err;
        if (!isCertainlyNotOrdered(err)) inDoubt = err;
      }
      if (Date.now() >= giveUpAt) throw inDoubt ?? lastError;
      const elapsed = Date.now() - startedAt;
      if (elapsed < RESEND_PAUSE_MS) await new Promise((resolve) => setTimeout(resolve, RESEND_PAUSE_MS - elapsed));
    }
  }

  #contract(gateway: Gateway) {
    return gateway.getNetwork(this.#options.profile.channel).getContract(this.#options.profile.chaincode);
  }

  /**
   * Waits until the peers of `others` (that answer) have committed every block the caller's own peer has.
   * @throws {AppError} LEDGER_BEHIND when one has not within the lag wait; LEDGER_UNAVAILABLE when the own peer fails.
   */
  async #awaitOwnHeight(org: string, others: readonly string[]): Promise<void> {
    const timeoutMs = this.#options.endorserLagWaitMs ?? DEFAULT_ENDORSER_LAG_WAIT_MS;
    const height = await this.#ledgerHeight(org, org, timeoutMs);
    if (height > 0n) await this.#blocks.awaitBlock(org, height - 1n, { scope: 'endorsers', timeoutMs, only: others });
  }

  /**
   * The height of `target`'s peer from the query system chaincode (`qscc GetChainInfo`), asked through `caller`'s
   * connection: Fabric's Gateway routes an evaluation to the named organization's peer, highest height first.
   */
  async #ledgerHeight(caller: string, target: string, timeoutMs: number): Promise<bigint> {
    const bytes = await this.#withPeer(caller, (gateway) =>
      gateway
        .getNetwork(this.#options.profile.channel)
        .getContract('qscc')
        .newProposal('GetChainInfo', { arguments: [this.#options.profile.channel], endorsingOrganizations: [target] })
        .evaluate({ deadline: Date.now() + Math.min(timeoutMs, this.#options.timeouts.evaluateMs) }),
    ).catch((err: unknown) => {
      throw this.#convert(err);
    });
    return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
  }

  #convert(err: unknown): AppError {
    return toAppError(err, { retryAfterSeconds: this.#options.retryAfterSeconds });
  }

  /**
   * The Gateway of the acting user on one peer (made on first use over the peer's shared gRPC client), or the
   * organization's own when no user acts.
   * @throws {AppError} FORBIDDEN when the acting user has no enrolled identity in this gateway.
   */
  #gatewayFor(peer: PeerGateway): Gateway {
    const user = actingUser();
    if (user === undefined) return peer.gateway;
    const key = `${peer.endpoint}\u0000${user.enrollmentId}`;
    const existing = this.#userGateways.get(key);
    if (existing !== undefined) return existing;
    const identity = this.#options.userIdentity?.(user.enrollmentId);
    const client = this.#clients.get(peer.endpoint);
    if (identity === undefined || client === undefined) {
      throw new AppError('FORBIDDEN', `user ${user.enrollmentId} has no enrolled identity in this gateway`);
    }
    const { timeouts } = this.#options;
    const gateway = connect({
      client,
      ...identity,
      hash: hash.sha256,
      evaluateOptions: deadline(timeouts.evaluateMs),
      endorseOptions: deadline(timeouts.endorseMs),
      submitOptions: deadline(timeouts.submitMs),
      commitStatusOptions: deadline(timeouts.commitStatusMs),
    });
    this.#userGateways.set(key, gateway);
    return gateway;
  }

  /** Runs a call on the organization's preferred peer, failing over to the next one when a peer is unreachable. */
  async #withPeer<T>(org: string, call: (gateway: Gateway) => Promise<T>): Promise<T> {
    const organization = this.#organizations.get(org);
    if (organization === undefined) {
      throw new AppError('FORBIDDEN', `the gateway holds no identity for organization ${org}`);
    }
    const count = organization.peers.length;
    let lastError: unknown;
    for (let i = 0; i < count; i++) {
      const index = (organization.preferred + i) % count;
      const peer = organization.peers[index];
      if (peer === undefined) continue;
      try {
        const result = await call(this.#gatewayFor(peer));
        organization.preferred = index;
        return result;
      } catch (err) {
        if (!isPeerUnavailable(err)) throw err;
        lastError = err;
      }
    }
    throw lastError;
  }
}

/**
 * Connects to the peers of every organization in the profile: one gRPC client per peer endpoint (TLS, host alias)
 * and one Gateway per organization identity and peer, so that a call can fail over to the next peer.
 * grpc-js reconnects on its own after a peer restarts, within the bounded reconnect backoff; no broken state is
 * cached here.
 * @throws {Error} when a certificate or key file cannot be read.
 */
export function newFabricLedgerClient(options: Readonly<FabricLedgerClientOptions>): LedgerClient {
  return new FabricLedgerClient(options);
}
