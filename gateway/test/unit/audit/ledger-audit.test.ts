import { expect } from 'chai';
import { decodeBlock } from '../../../src/audit/audited-block';
import { blockDataHash, blockHeaderHash } from '../../../src/audit/block-hash';
import { auditLedgers } from '../../../src/audit/ledger-audit';
import type { PeerLedger } from '../../../src/audit/peer-ledger';
import { makeChain, memoryLedger, realBlocks, tamperTransaction } from './block-chain-fixture';

const peers = ['peer0.advertiser', 'peer0.publisher', 'peer0.agency'] as const;
const msps = ['AdvertiserMSP', 'PublisherMSP', 'AgencyMSP'] as const;

function network(chains: readonly (readonly ReturnType<typeof makeChain>[number][])[]): PeerLedger[] {
  return chains.map((chain, i) => memoryLedger(peers[i] ?? `peer${String(i)}`, msps[i] ?? `Org${String(i)}MSP`, chain));
}

describe('ledger audit', () => {
  it('reports agreement up to the last block when every copy verifies and matches', async () => {
    const chain = makeChain(12);
    const result = await auditLedgers(network([chain, chain, chain]), { window: 5 });
    expect(result.differences).to.deep.equal([]);
    expect(result.agreedThrough).to.equal(11n);
    expect(result.peers.map((p) => p.height)).to.deep.equal([12n, 12n, 12n]);
  });

  it('names the peer and block whose transaction changed after ordering, the transaction and the byte', async () => {
    const chain = makeChain(10);
    const tampered = chain.map((block) => (block.number === 6n ? tamperTransaction(block, 1, 4) : block));
    const result = await auditLedgers(network([chain, tampered, chain]));
    expect(result.agreedThrough).to.equal(5n);
    expect(result.differences).to.have.length(1);
    const [difference] = result.differences;
    expect(difference).to.include({ peer: 'peer0.publisher', mspId: 'PublisherMSP', block: 6n, kind: 'data-hash' });
    expect(difference?.detail).to.include('transaction 1 differs from the copy held by 2 other peers at byte 4');
  });

  it('names a peer whose block was rewritten with a matching data hash: its header differs from the majority', async () => {
    const chain = makeChain(8);
    const rewritten = chain.map((block) => {
      if (block.number !== 3n) return block;
      const changed = tamperTransaction(block, 0, 0);
      return { ...changed, dataHash: blockDataHash(changed.data) };
    });
    const result = await auditLedgers(network([chain, chain, rewritten]));
    expect(result.agreedThrough).to.equal(2n);
    expect(result.differences).to.have.length(1);
    expect(result.differences[0]).to.include({ peer: 'peer0.agency', block: 3n, kind: 'header' });
    expect(result.differences[0]?.detail).to.include('transaction 0 differs');
  });

  it('finds a broken hash chain even when every peer holds the same broken copy', async () => {
    const chain = makeChain(6);
    const broken = chain.map((block) =>
      block.number === 4n ? { ...block, previousHash: blockHeaderHash(chain[2] ?? block) } : block,
    );
    const result = await auditLedgers(network([broken, broken, broken]));
    expect(result.agreedThrough).to.equal(3n);
    expect(result.differences.map((d) => [d.peer, d.block, d.kind])).to.deep.equal([
      ['peer0.advertiser', 4n, 'previous-hash'],
      ['peer0.publisher', 4n, 'previous-hash'],
      ['peer0.agency', 4n, 'previous-hash'],
    ]);
  });

  it('names a peer that recorded other validation codes than the majority', async () => {
    const chain = makeChain(5);
    const flagged = chain.map((block) =>
      block.number === 2n ? { ...block, transactionsFilter: Uint8Array.of(0, 11) } : block,
    );
    const result = await auditLedgers(network([flagged, chain, chain]));
    expect(result.differences).to.have.length(1);
    expect(result.differences[0]).to.include({ peer: 'peer0.advertiser', block: 2n, kind: 'validation-codes' });
    expect(result.differences[0]?.detail).to.equal('transaction 1 has validation code 11, 2 other peers recorded 0');
  });

  it('with two peers and no majority, still names the one whose own copy does not verify', async () => {
    const chain = makeChain(4);
    const tampered = chain.map((block) => (block.number === 1n ? tamperTransaction(block, 0, 2) : block));
    const result = await auditLedgers(network([chain, tampered]));
    const kinds = result.differences.map((d) => [d.peer, d.kind]);
    expect(kinds).to.deep.include(['peer0.publisher', 'data-hash']);
    expect(kinds).to.not.deep.include(['peer0.advertiser', 'data-hash']);
  });

  it('says there is no majority when three peers hold three versions', async () => {
    const chain = makeChain(3);
    const version = (byte: number) =>
      chain.map((block) => {
        if (block.number !== 1n) return block;
        const changed = tamperTransaction(block, 0, byte);
        return { ...changed, dataHash: blockDataHash(changed.data) };
      });
    const result = await auditLedgers(network([chain, version(0), version(1)]));
    expect(result.differences.map((d) => d.kind)).to.deep.equal(['no-majority', 'no-majority', 'no-majority']);
  });

  it('compares up to the lowest height: a lagging peer is not a difference', async () => {
    const chain = makeChain(9);
    const result = await auditLedgers(network([chain, chain.slice(0, 7), chain]));
    expect(result.differences).to.deep.equal([]);
    expect(result.agreedThrough).to.equal(6n);
  });

  it('names a peer that answers with another block than the one asked for', async () => {
    const chain = makeChain(4);
    const shifted = [0, 1, 1, 3].map((n) => chain[n]).filter((block) => block !== undefined);
    const result = await auditLedgers(network([chain, chain, shifted]));
    expect(result.differences[0]).to.include({ peer: 'peer0.agency', block: 2n, kind: 'block-number' });
  });

  it('verifies real Fabric blocks 1 and 2, and names the peer whose block 2 lost a byte', async () => {
    const [one, two] = realBlocks().map(decodeBlock);
    if (one === undefined || two === undefined) throw new Error('fixture lacks blocks');
    const ledger = (peer: string, second = two): PeerLedger => ({
      peer,
      mspId: 'AdvertiserMSP',
      height: () => Promise.resolve(3n),
      block: (n) => Promise.resolve(n === 1n ? one : second),
    });
    const healthy = await auditLedgers([ledger('a'), ledger('b'), ledger('c')], { from: 1n });
    expect(healthy.differences).to.deep.equal([]);
    expect(healthy.agreedThrough).to.equal(2n);
    const bad = await auditLedgers([ledger('a'), ledger('b', tamperTransaction(two, 0, 1000)), ledger('c')], {
      from: 1n,
    });
    expect(bad.differences).to.have.length(1);
    expect(bad.differences[0]).to.include({ peer: 'b', block: 2n, kind: 'data-hash' });
    expect(bad.differences[0]?.detail).to.match(/transaction 0 \(tx [0-9a-f]{64}\) differs .* at byte 1000 of/);
  });

  it('names the peer that cannot be read', async () => {
    const chain = makeChain(2);
    const down: PeerLedger = {
      peer: 'peer0.agency',
      mspId: 'AgencyMSP',
      height: () => Promise.reject(new Error('14 UNAVAILABLE: No connection established')),
      block: () => Promise.reject(new Error('unreachable')),
    };
    await auditLedgers([...network([chain, chain]), down]).then(
      () => expect.fail('the audit should have failed'),
      (err: unknown) => {
        expect(String(err)).to.include('cannot read the chain height from peer0.agency (AgencyMSP)');
      },
    );
  });
});
