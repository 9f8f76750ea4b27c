import { createCipheriv, createHash } from 'node:crypto';
import { SEAL_NONCE_BYTES, TRANSIENT_KEYS } from '@adrecon/contract';
import * as grpc from '@grpc/grpc-js';
import { CommitStatusError, EndorseError, GatewayError, StatusCode, type Gateway } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import * as sinon from 'sinon';
import { AppError } from '../../../src/errors';
import { newFabricLedgerClient, type PeerGateway } from '../../../src/ledger/fabric-ledger-client';
import type { NetworkProfile } from '../../../src/ledger/network-profile';

const profile: NetworkProfile = {
  channel: 'adrecon',
  chaincode: 'adrecon',
  organizations: [
    {
      mspId: 'AdvertiserMSP',
      role: 'ADVERTISER',
      peers: [
        { endpoint: '127.0.0.1:7101', hostAlias: 'peer0', tlsRootCertPath: '/x' },
        { endpoint: '127.0.0.1:7102', hostAlias: 'peer1', tlsRootCertPath: '/x' },
      ],
      identity: { certPath: '/c', keyPath: '/k' },
    },
  ],
};

function unavailable(): EndorseError {
  const cause = Object.assign(new Error('14 UNAVAILABLE'), {
    code: grpc.status.UNAVAILABLE,
    details: 'down',
    metadata: new grpc.Metadata(),
  });
  return new EndorseError({ code: grpc.status.UNAVAILABLE, details: [], cause, transactionId: 't', message: 'down' });
}

function serviceError(code: grpc.status, message: string) {
  return Object.assign(new Error(message), { code, details: message, metadata: new grpc.Metadata() });
}

/** The peer died (UNAVAILABLE) or gave no status in time (DEADLINE_EXCEEDED) after the transaction was submitted. */
function commitStatusLost(code: grpc.status, txId: string): CommitStatusError {
  const cause = serviceError(code, 'lost');
  return new CommitStatusError({ code, details: [], cause, transactionId: txId, message: 'lost' });
}

/** A failed `Submit`: with `message` 'no orderer nodes available', certainly not ordered. */
function submitFailed(code: grpc.status, message: string): GatewayError {
  const err = new GatewayError({ code, details: [], cause: serviceError(code, message), message });
  err.name = 'SubmitError';
  return Object.assign(err, { transactionId: 'tx-s' });
}

interface FakeContract {
  evaluateTransaction: sinon.SinonStub;
  newProposal: sinon.SinonStub;
}

/** A peer's Gateway whose chaincode is `contract` (and the query system chaincode `qscc`, when given). */
function fakePeer(
  endpoint: string,
  contract: FakeContract,
  qscc: FakeContract = contract,
  resent?: ReturnType<typeof submitted>,
): PeerGateway {
  const network = {
    getContract: sinon.stub().callsFake((name: string) => (name === 'qscc' ? qscc : contract)),
    getChaincodeEvents: sinon.stub(),
  };
  // A transaction sent again through this peer: `resent`, else what the chaincode endorsed last.
  const gateway = {
    getNetwork: () => network,
    close: sinon.stub(),
    newTransaction: sinon.stub().callsFake(() => resent ?? lastEndorsed(contract)),
  } as unknown as Gateway;
  return { endpoint, gateway };
}

type Status = Readonly<{ code: number; successful: boolean; transactionId: string; blockNumber: bigint }>;

/** The transaction the contract's last proposal endorsed. */
function lastEndorsed(contract: FakeContract): unknown {
  if (contract.newProposal.callCount === 0) return undefined;
  return (contract.newProposal.lastCall.returnValue as { transaction?: unknown }).transaction;
}

/** An endorsed transaction whose submission commits with `code` (or answers `getStatus`). */
function submitted(
  code: number,
  txId: string,
  result = '{"ok":true}',
  getStatus: () => Promise<Status> = () =>
    Promise.resolve({ code, successful: code === StatusCode.VALID, transactionId: txId, blockNumber: 1n }),
) {
  return {
    getResult: () => new TextEncoder().encode(result),
    getTransactionId: () => txId,
    getBytes: () => new TextEncoder().encode(`envelope ${txId}`),
    submit: sinon.stub().callsFake(() => Promise.resolve({ getStatus })),
  };
}

/** A proposal that endorses into `transaction`. */
function proposing(transaction: ReturnType<typeof submitted>) {
  return { transaction, endorse: () => Promise.resolve(transaction) };
}

/**
 * What a chaincode does with a confidential write's response: seals it with the transient seal key, with the nonce
 * from the transaction ID.
 */
function sealing(response: ReturnType<typeof submitted>) {
  return (_name: string, options: { transientData: Record<string, Uint8Array> }) => {
    const nonce = createHash('sha256').update(response.getTransactionId()).digest().subarray(0, SEAL_NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', options.transientData[TRANSIENT_KEYS.sealKey]!, nonce);
    const plain = Buffer.from(response.getResult());
    const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString('base64');
    return proposing({ ...response, getResult: () => new TextEncoder().encode(sealed) });
  };
}

function committedIn(blockNumber: bigint) {
  return Promise.resolve({ code: StatusCode.VALID, successful: true, transactionId: 'tx-9', blockNumber });
}

function newContract(): FakeContract {
  return { evaluateTransaction: sinon.stub(), newProposal: sinon.stub() };
}

function client(peers: PeerGateway[], mvccRetries = 2, commitStatusMs = 1) {
  return newFabricLedgerClient({
    profile,
    timeouts: { evaluateMs: 1, endorseMs: 1, submitMs: 1, commitStatusMs },
    mvccRetries,
    retryAfterSeconds: 3,
    mvccBackoffMs: 1,
    connectPeers: () => peers,
  });
}

describe('Fabric ledger client', () => {
  it('evaluates and parses the JSON result', async () => {
    const contract = newContract();
    contract.evaluateTransaction.resolves(new TextEncoder().encode('[{"mspId":"AdvertiserMSP"}]'));
    const ledger = client([fakePeer('a', contract)]);
    expect(await ledger.evaluate('AdvertiserMSP', 'roles:ListRoles', [])).to.deep.equal([{ mspId: 'AdvertiserMSP' }]);
    expect(contract.evaluateTransaction.firstCall.args).to.deep.equal(['roles:ListRoles']);
  });

  it('fails over to the next peer when one is UNAVAILABLE, and keeps using the good one', async () => {
    const first = newContract();
    const second = newContract();
    first.evaluateTransaction.rejects(unavailable());
    second.evaluateTransaction.resolves(new TextEncoder().encode('{"a":1}'));
    const ledger = client([fakePeer('a', first), fakePeer('b', second)]);
    expect(await ledger.evaluate('AdvertiserMSP', 'campaigns:Get', ['c-1'])).to.deep.equal({ a: 1 });
    expect(await ledger.evaluate('AdvertiserMSP', 'campaigns:Get', ['c-1'])).to.deep.equal({ a: 1 });
    expect(first.evaluateTransaction.callCount).to.equal(1);
    expect(second.evaluateTransaction.callCount).to.equal(2);
  });

  it('answers 503 when every peer is unavailable', async () => {
    const first = newContract();
    const second = newContract();
    first.evaluateTransaction.rejects(unavailable());
    second.evaluateTransaction.rejects(unavailable());
    const ledger = client([fakePeer('a', first), fakePeer('b', second)]);
    const err = await ledger.evaluate('AdvertiserMSP', 'campaigns:Get', ['c-1']).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AppError);
    expect((err as AppError).status).to.equal(503);
    expect((err as AppError).retryAfterSeconds).to.equal(3);
  });

  it('retries an MVCC_READ_CONFLICT with a new proposal, then succeeds', async () => {
    const contract = newContract();
    contract.newProposal.onFirstCall().callsFake(sealing(submitted(StatusCode.MVCC_READ_CONFLICT, 'tx-1')));
    contract.newProposal.onSecondCall().callsFake(sealing(submitted(StatusCode.VALID, 'tx-2')));
    const ledger = client([fakePeer('a', contract)]);
    const result = await ledger.submit('AdvertiserMSP', 'delivery:Submit', ['{}']);
    expect(result).to.deep.equal({ result: { ok: true }, transactionId: 'tx-2', blockNumber: 1n });
    expect(contract.newProposal.callCount).to.equal(2);
    // The arguments travel in the transient map (never on a block), with empty placeholders in the proposal.
    const [name, options] = contract.newProposal.firstCall.args as [
      string,
      { arguments: string[]; transientData: Record<string, Uint8Array | string> },
    ];
    expect(name).to.equal('delivery:Submit');
    expect(options.arguments).to.deep.equal(['']);
    expect(options.transientData[TRANSIENT_KEYS.args]).to.equal('["{}"]');
    expect(options.transientData[TRANSIENT_KEYS.sealKey]).to.have.length(32);
    expect(options.transientData[TRANSIENT_KEYS.salt]).to.have.length(32);
  });

  it('gives up after the configured MVCC retries with 409', async () => {
    const contract = newContract();
    contract.newProposal.returns(proposing(submitted(StatusCode.MVCC_READ_CONFLICT, 'tx-x')));
    const ledger = client([fakePeer('a', contract)], 2);
    const err = (await ledger.submit('AdvertiserMSP', 'delivery:Submit', ['{}']).catch((e: unknown) => e)) as AppError;
    expect(err.code).to.equal('MVCC_READ_CONFLICT');
    expect(err.status).to.equal(409);
    expect(contract.newProposal.callCount).to.equal(3);
  });

  it('retries a commit refused by a key-level policy the winner of a race set, then answers 502', async () => {
    const contract = newContract();
    contract.newProposal.returns(proposing(submitted(StatusCode.ENDORSEMENT_POLICY_FAILURE, 'tx-p')));
    const ledger = client([fakePeer('a', contract)], 2);
    const err = (await ledger
      .submit('AdvertiserMSP', 'campaigns:Accept', ['c', '1'])
      .catch((e: unknown) => e)) as AppError;
    expect([err.code, err.transactionId]).to.deep.equal(['TRANSACTION_INVALID', 'tx-p']);
    expect(contract.newProposal.callCount).to.equal(3);
  });

  it('does not retry another invalid commit', async () => {
    const contract = newContract();
    contract.newProposal.returns(proposing(submitted(StatusCode.BAD_PAYLOAD, 'tx-b')));
    const ledger = client([fakePeer('a', contract)]);
    const err = (await ledger
      .submit('AdvertiserMSP', 'campaigns:Accept', ['c', '1'])
      .catch((e: unknown) => e)) as AppError;
    expect([err.code, err.transactionId]).to.deep.equal(['TRANSACTION_INVALID', 'tx-b']);
    expect(contract.newProposal.callCount).to.equal(1);
  });

  it('sends the same envelope again through the next peer when its own peer dies after the submission', async () => {
    const contract = newContract();
    const original = submitted(StatusCode.VALID, 'tx-r', '{"ok":true}', () =>
      Promise.reject(commitStatusLost(grpc.status.UNAVAILABLE, 'tx-r')),
    );
    contract.newProposal.callsFake(sealing(original));
    const [a, b] = [fakePeer('a', contract), fakePeer('b', newContract())];
    const resent = submitted(StatusCode.VALID, 'tx-r', 'unused', () => committedIn(7n));
    (b.gateway.newTransaction as sinon.SinonStub).returns(resent);
    const ledger = client([a, b], 2, 10_000);
    const written = await ledger.submit('AdvertiserMSP', 'delivery:Submit', ['{}']);
    expect(written).to.deep.equal({ result: { ok: true }, transactionId: 'tx-r', blockNumber: 7n });
    const sentAgain = (b.gateway.newTransaction as sinon.SinonStub).firstCall.args[0] as Uint8Array;
    expect(new TextDecoder().decode(sentAgain), 'the same signed envelope, same transaction ID').to.equal(
      'envelope tx-r',
    );
    expect(contract.newProposal.callCount, 'endorsed once').to.equal(1);
  });

  it('sends the envelope again when no status comes in time (an orderer lost it), then answers its status', async () => {
    const contract = newContract();
    const original = submitted(StatusCode.VALID, 'tx-l', '{"ok":true}', () =>
      Promise.reject(commitStatusLost(grpc.status.DEADLINE_EXCEEDED, 'tx-l')),
    );
    contract.newProposal.callsFake(sealing(original));
    const [a, b] = [fakePeer('a', contract), fakePeer('b', newContract())];
    (b.gateway.newTransaction as sinon.SinonStub).returns(
      submitted(StatusCode.VALID, 'tx-l', '', () => committedIn(3n)),
    );
    const written = await client([a, b], 2, 10_000).submit('AdvertiserMSP', 'delivery:Submit', ['{}']);
    expect(written.blockNumber).to.equal(3n);
  });

  it('answers 504 with the transaction ID when no peer tells the status before the commit-status deadline', async () => {
    const contract = newContract();
    const lost = () => Promise.reject(commitStatusLost(grpc.status.DEADLINE_EXCEEDED, 'tx-u'));
    contract.newProposal.callsFake(sealing(submitted(StatusCode.VALID, 'tx-u', '{}', lost)));
    const [a, b] = [fakePeer('a', contract), fakePeer('b', newContract())];
    (b.gateway.newTransaction as sinon.SinonStub).returns(submitted(StatusCode.VALID, 'tx-u', '', lost));
    const err = (await client([a, b], 2, 1_200)
      .submit('AdvertiserMSP', 'delivery:Submit', ['{}'])
      .catch((e: unknown) => e)) as AppError;
    expect([err.code, err.status, err.transactionId]).to.deep.equal(['COMMIT_STATUS_UNKNOWN', 504, 'tx-u']);
  });

  it('answers 504, not 503, when a later copy certainly reached no orderer but an earlier one may have', async () => {
    const contract = newContract();
    const original = submitted(StatusCode.VALID, 'tx-m', '{}', () =>
      Promise.reject(commitStatusLost(grpc.status.UNAVAILABLE, 'tx-m')),
    );
    contract.newProposal.callsFake(sealing(original));
    const [a, b] = [fakePeer('a', contract), fakePeer('b', newContract())];
    const refused = submitted(StatusCode.VALID, 'tx-m');
    refused.submit.rejects(submitFailed(grpc.status.UNAVAILABLE, 'no orderer nodes available'));
    (b.gateway.newTransaction as sinon.SinonStub).returns(refused);
    const err = (await client([a, b], 2, 600)
      .submit('AdvertiserMSP', 'delivery:Submit', ['{}'])
      .catch((e: unknown) => e)) as AppError;
    expect([err.code, err.transactionId]).to.deep.equal(['COMMIT_STATUS_UNKNOWN', 'tx-m']);
  });

  it('answers 503 when no orderer ever accepted the transaction (no Raft leader), after sending it again', async () => {
    const contract = newContract();
    const refused = submitted(StatusCode.VALID, 'tx-n');
    refused.submit.rejects(submitFailed(grpc.status.UNAVAILABLE, 'no orderer nodes available'));
    contract.newProposal.callsFake(sealing(refused));
    const [a, b] = [fakePeer('a', contract), fakePeer('b', newContract())];
    (b.gateway.newTransaction as sinon.SinonStub).returns(refused);
    const err = (await client([a, b], 2, 700)
      .submit('AdvertiserMSP', 'delivery:Submit', ['{}'])
      .catch((e: unknown) => e)) as AppError;
    expect([err.code, err.status]).to.deep.equal(['LEDGER_UNAVAILABLE', 503]);
    expect(refused.submit.callCount, 'sent through a, then b').to.be.at.least(2);
  });

  it('does not send again a transaction the ordering service refused (ABORTED)', async () => {
    const contract = newContract();
    const refused = submitted(StatusCode.VALID, 'tx-a');
    refused.submit.rejects(submitFailed(grpc.status.ABORTED, 'bad envelope'));
    contract.newProposal.callsFake(sealing(refused));
    const [a, b] = [fakePeer('a', contract), fakePeer('b', newContract())];
    const err = (await client([a, b], 2, 10_000)
      .submit('AdvertiserMSP', 'delivery:Submit', ['{}'])
      .catch((e: unknown) => e)) as AppError;
    expect(err.code).to.equal('TRANSACTION_INVALID');
    expect((b.gateway.newTransaction as sinon.SinonStub).called).to.equal(false);
  });

  describe('a write refused by a party whose peer is behind the caller’s own', () => {
    /** Fabric's Gateway refusing an endorsement: one detail per refusing peer, with its organization. */
    function refusedBy(...refusals: [mspId: string, message: string][]): EndorseError {
      const cause = serviceError(grpc.status.ABORTED, 'failed to endorse transaction');
      return new EndorseError({
        code: grpc.status.ABORTED,
        details: refusals.map(([mspId, message]) => ({ address: `peer0.${mspId}`, mspId, message })),
        cause,
        transactionId: 'tx-r',
        message: 'failed to endorse transaction, see attached details for more info',
      });
    }
    const notFound = 'chaincode response 500, CAMPAIGN_NOT_FOUND: campaign c1 does not exist';

    /** A client of AdvertiserMSP in a channel with AgencyMSP and PublisherMSP; qscc answers each one's heights in turn. */
    function clientWithHeights(contract: FakeContract, heights: Record<string, number[]>, lagWaitMs = 5_000) {
      const qscc = newContract();
      qscc.newProposal.callsFake((_name: string, options: { endorsingOrganizations: string[] }) => ({
        evaluate: () => {
          const [target = ''] = options.endorsingOrganizations;
          const left = heights[target] ?? [];
          const info = new common.BlockchainInfo();
          info.setHeight(left.length > 1 ? left.shift()! : (left[0] ?? 0));
          return Promise.resolve(info.serializeBinary());
        },
      }));
      const ledger = newFabricLedgerClient({
        profile,
        timeouts: { evaluateMs: 1_000, endorseMs: 1, submitMs: 1, commitStatusMs: 1 },
        mvccRetries: 2,
        retryAfterSeconds: 3,
        mvccBackoffMs: 1,
        endorserLagWaitMs: lagWaitMs,
        otherOrganizations: ['AgencyMSP', 'PublisherMSP'],
        connectPeers: () => [fakePeer('a', contract, qscc)],
      });
      return { ledger, qscc };
    }
    const heightsAsked = (qscc: FakeContract) =>
      qscc.newProposal
        .getCalls()
        .map((call) => (call.args[1] as { endorsingOrganizations: string[] }).endorsingOrganizations[0]);

    it('endorses it again once every party’s peer has the blocks of its own peer, and commits', async () => {
      const contract = newContract();
      contract.newProposal.onFirstCall().returns({ endorse: () => Promise.reject(refusedBy(['AgencyMSP', notFound])) });
      contract.newProposal.onSecondCall().callsFake(sealing(submitted(StatusCode.VALID, 'tx-2')));
      // Its own peer is at height 12; the agency's at 11, then 12.
      const { ledger, qscc } = clientWithHeights(contract, { AdvertiserMSP: [12], AgencyMSP: [11, 12] });
      const written = await ledger.submit('AdvertiserMSP', 'campaigns:Accept', ['c1', '1']);
      expect(written.transactionId).to.equal('tx-2');
      expect(contract.newProposal.callCount, 'one new proposal').to.equal(2);
      expect(
        heightsAsked(qscc).filter((o) => o === 'AgencyMSP'),
        'asked until the agency reached 12',
      ).to.have.length(2);
      expect(heightsAsked(qscc), 'only the organization that refused is waited for').to.not.include('PublisherMSP');
    });

    it('answers the refusal when the caught-up peer refuses again: one new proposal, no more', async () => {
      const contract = newContract();
      contract.newProposal.returns({ endorse: () => Promise.reject(refusedBy(['AgencyMSP', notFound])) });
      const { ledger } = clientWithHeights(contract, { AdvertiserMSP: [12], AgencyMSP: [12] });
      const err = (await ledger
        .submit('AdvertiserMSP', 'campaigns:Accept', ['c1', '1'])
        .catch((e: unknown) => e)) as AppError;
      expect(err.code).to.equal('CAMPAIGN_NOT_FOUND');
      expect(err.status).to.equal(404);
      expect(contract.newProposal.callCount).to.equal(2);
    });

    it('answers 503 LEDGER_BEHIND when a party’s peer does not catch up within the wait', async () => {
      const contract = newContract();
      contract.newProposal.returns({ endorse: () => Promise.reject(refusedBy(['AgencyMSP', notFound])) });
      const { ledger } = clientWithHeights(contract, { AdvertiserMSP: [12], AgencyMSP: [11] }, 150);
      const err = (await ledger
        .submit('AdvertiserMSP', 'campaigns:Accept', ['c1', '1'])
        .catch((e: unknown) => e)) as AppError;
      expect(err.code).to.equal('LEDGER_BEHIND');
      expect(err.status).to.equal(503);
      expect(err.retryAfterSeconds).to.equal(3);
      expect(contract.newProposal.callCount, 'not endorsed again').to.equal(1);
    });

    it('does not wait when its own organization’s peer refused, or a party refused for another reason', async () => {
      for (const refusal of [
        refusedBy(['AdvertiserMSP', notFound]),
        refusedBy(['AgencyMSP', notFound], ['AdvertiserMSP', notFound]),
        refusedBy(['AgencyMSP', 'chaincode response 500, INVALID_STATE: campaign c1 is not ACTIVE']),
      ]) {
        const contract = newContract();
        contract.newProposal.returns({ endorse: () => Promise.reject(refusal) });
        const { ledger, qscc } = clientWithHeights(contract, { AdvertiserMSP: [12], AgencyMSP: [11] });
        const err = (await ledger
          .submit('AdvertiserMSP', 'campaigns:Accept', ['c1', '1'])
          .catch((e: unknown) => e)) as AppError;
        expect(err).to.be.instanceOf(AppError);
        expect(contract.newProposal.callCount, refusal.details.map((d) => d.mspId).join()).to.equal(1);
        expect(qscc.newProposal.callCount).to.equal(0);
      }
    });
  });

  it('refuses an organization it holds no identity for', async () => {
    const ledger = client([fakePeer('a', newContract())]);
    const err = (await ledger.evaluate('OtherMSP', 'roles:ListRoles', []).catch((e: unknown) => e)) as AppError;
    expect(err.code).to.equal('FORBIDDEN');
  });

  it('waits for a block by asking qscc GetChainInfo on the named organization, and trusts its own commits', async () => {
    const contract = newContract();
    const qscc = newContract();
    const heights = [5, 9];
    qscc.newProposal.callsFake(() => ({
      evaluate: () => {
        const info = new common.BlockchainInfo();
        info.setHeight(heights.shift() ?? 9);
        return Promise.resolve(info.serializeBinary());
      },
    }));
    const peer = fakePeer('a', contract, qscc);
    const ledger = client([peer]);
    await ledger.awaitBlock('AdvertiserMSP', 8n, { scope: 'organization', timeoutMs: 5_000 });
    expect(qscc.newProposal.callCount, 'height 5, then 9 > block 8').to.equal(2);
    expect(qscc.newProposal.firstCall.args).to.deep.equal([
      'GetChainInfo',
      { arguments: ['adrecon'], endorsingOrganizations: ['AdvertiserMSP'] },
    ]);
    const network = peer.gateway.getNetwork('adrecon') as unknown as { getContract: sinon.SinonStub };
    expect(network.getContract.calledWith('qscc')).to.equal(true);

    contract.newProposal.callsFake(sealing(submitted(StatusCode.VALID, 'tx-9', '{"ok":true}', () => committedIn(42n))));
    const written = await ledger.submit('AdvertiserMSP', 'delivery:Submit', ['{}']);
    expect(written.blockNumber).to.equal(42n);
    await ledger.awaitBlock('AdvertiserMSP', 42n, { scope: 'organization', timeoutMs: 5_000 });
    expect(qscc.newProposal.callCount, 'its own commit in block 42 needs no query').to.equal(2);
  });

  it('refuses to wait for an organization it holds no identity for', async () => {
    const ledger = client([fakePeer('a', newContract())]);
    const err = (await ledger
      .awaitBlock('OtherMSP', 1n, { scope: 'organization', timeoutMs: 10 })
      .catch((e: unknown) => e)) as AppError;
    expect(err.code).to.equal('FORBIDDEN');
  });

  it('closes every gateway', () => {
    const peer = fakePeer('a', newContract());
    client([peer]).close();
    expect((peer.gateway.close as sinon.SinonStub).calledOnce).to.be.true;
  });
});
