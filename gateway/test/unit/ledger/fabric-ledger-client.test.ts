import { createCipheriv, createHash } from 'node:crypto';
import { SEAL_NONCE_BYTES, TRANSIENT_KEYS } from '@adrecon/contract';
import * as grpc from '@grpc/grpc-js';
import { EndorseError, StatusCode, type Gateway } from '@hyperledger/fabric-gateway';
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

interface FakeContract {
  evaluateTransaction: sinon.SinonStub;
  submitAsync: sinon.SinonStub;
  newProposal: sinon.SinonStub;
}

function fakePeer(endpoint: string, contract: FakeContract): PeerGateway {
  const network = { getContract: sinon.stub().returns(contract), getChaincodeEvents: sinon.stub() };
  const gateway = { getNetwork: () => network, close: sinon.stub() } as unknown as Gateway;
  return { endpoint, gateway };
}

function submitted(code: number, txId: string, result = '{"ok":true}') {
  return {
    getStatus: () =>
      Promise.resolve({ code, successful: code === StatusCode.VALID, transactionId: txId, blockNumber: 1n }),
    getResult: () => new TextEncoder().encode(result),
    getTransactionId: () => txId,
  };
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
    return Promise.resolve({ ...response, getResult: () => new TextEncoder().encode(sealed) });
  };
}

function committedIn(blockNumber: bigint) {
  return Promise.resolve({ code: StatusCode.VALID, successful: true, transactionId: 'tx-9', blockNumber });
}

function newContract(): FakeContract {
  return { evaluateTransaction: sinon.stub(), submitAsync: sinon.stub(), newProposal: sinon.stub() };
}

function client(peers: PeerGateway[], mvccRetries = 2) {
  return newFabricLedgerClient({
    profile,
    timeouts: { evaluateMs: 1, endorseMs: 1, submitMs: 1, commitStatusMs: 1 },
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
    contract.submitAsync.onFirstCall().callsFake(sealing(submitted(StatusCode.MVCC_READ_CONFLICT, 'tx-1')));
    contract.submitAsync.onSecondCall().callsFake(sealing(submitted(StatusCode.VALID, 'tx-2')));
    const ledger = client([fakePeer('a', contract)]);
    const result = await ledger.submit('AdvertiserMSP', 'delivery:Submit', ['{}']);
    expect(result).to.deep.equal({ result: { ok: true }, transactionId: 'tx-2', blockNumber: 1n });
    expect(contract.submitAsync.callCount).to.equal(2);
    // The arguments travel in the transient map (never on a block), with empty placeholders in the proposal.
    const [name, options] = contract.submitAsync.firstCall.args as [
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
    contract.submitAsync.resolves(submitted(StatusCode.MVCC_READ_CONFLICT, 'tx-x'));
    const ledger = client([fakePeer('a', contract)], 2);
    const err = (await ledger.submit('AdvertiserMSP', 'delivery:Submit', ['{}']).catch((e: unknown) => e)) as AppError;
    expect(err.code).to.equal('MVCC_READ_CONFLICT');
    expect(err.status).to.equal(409);
    expect(contract.submitAsync.callCount).to.equal(3);
  });

  it('retries a commit refused by a key-level policy the winner of a race set, then answers 502', async () => {
    const contract = newContract();
    contract.submitAsync.resolves(submitted(StatusCode.ENDORSEMENT_POLICY_FAILURE, 'tx-p'));
    const ledger = client([fakePeer('a', contract)], 2);
    const err = (await ledger
      .submit('AdvertiserMSP', 'campaigns:Accept', ['c', '1'])
      .catch((e: unknown) => e)) as AppError;
    expect([err.code, err.transactionId]).to.deep.equal(['TRANSACTION_INVALID', 'tx-p']);
    expect(contract.submitAsync.callCount).to.equal(3);
  });

  it('does not retry another invalid commit', async () => {
    const contract = newContract();
    contract.submitAsync.resolves(submitted(StatusCode.BAD_PAYLOAD, 'tx-b'));
    const ledger = client([fakePeer('a', contract)]);
    const err = (await ledger
      .submit('AdvertiserMSP', 'campaigns:Accept', ['c', '1'])
      .catch((e: unknown) => e)) as AppError;
    expect([err.code, err.transactionId]).to.deep.equal(['TRANSACTION_INVALID', 'tx-b']);
    expect(contract.submitAsync.callCount).to.equal(1);
  });

  it('refuses an organization it holds no identity for', async () => {
    const ledger = client([fakePeer('a', newContract())]);
    const err = (await ledger.evaluate('OtherMSP', 'roles:ListRoles', []).catch((e: unknown) => e)) as AppError;
    expect(err.code).to.equal('FORBIDDEN');
  });

  it('waits for a block by asking qscc GetChainInfo on the named organization, and trusts its own commits', async () => {
    const contract = newContract();
    const heights = [5, 9];
    contract.newProposal.callsFake(() => ({
      evaluate: () => {
        const info = new common.BlockchainInfo();
        info.setHeight(heights.shift() ?? 9);
        return Promise.resolve(info.serializeBinary());
      },
    }));
    const peer = fakePeer('a', contract);
    const ledger = client([peer]);
    await ledger.awaitBlock('AdvertiserMSP', 8n, { scope: 'organization', timeoutMs: 5_000 });
    expect(contract.newProposal.callCount, 'height 5, then 9 > block 8').to.equal(2);
    expect(contract.newProposal.firstCall.args).to.deep.equal([
      'GetChainInfo',
      { arguments: ['adrecon'], endorsingOrganizations: ['AdvertiserMSP'] },
    ]);
    const network = peer.gateway.getNetwork('adrecon') as unknown as { getContract: sinon.SinonStub };
    expect(network.getContract.calledWith('qscc')).to.equal(true);

    contract.submitAsync.callsFake(
      sealing({ ...submitted(StatusCode.VALID, 'tx-9'), getStatus: () => committedIn(42n) }),
    );
    const written = await ledger.submit('AdvertiserMSP', 'delivery:Submit', ['{}']);
    expect(written.blockNumber).to.equal(42n);
    await ledger.awaitBlock('AdvertiserMSP', 42n, { scope: 'organization', timeoutMs: 5_000 });
    expect(contract.newProposal.callCount, 'its own commit in block 42 needs no query').to.equal(2);
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
