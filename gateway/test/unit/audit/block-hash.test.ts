import { expect } from 'chai';
import { decodeBlock, transactionIdOf } from '../../../src/audit/audited-block';
import { blockDataHash, blockHeaderBytes, blockHeaderHash } from '../../../src/audit/block-hash';
import { headerNumber, realBlocks, tamperTransaction } from './block-chain-fixture';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('block hashes (Fabric protoutil.BlockHeaderBytes / BlockHeaderHash / BlockDataHash)', () => {
  it('encodes a genesis header as DER: SEQUENCE { INTEGER 0, empty OCTET STRING, OCTET STRING }', () => {
    const bytes = blockHeaderBytes({ number: 0n, previousHash: new Uint8Array(0), dataHash: Uint8Array.of(1, 1) });
    expect(hex(bytes)).to.equal('3009020100040004020101');
  });

  it('encodes numbers in the fewest bytes, with a leading zero when the high bit is set', () => {
    const header = (number: bigint) => ({ number, previousHash: Uint8Array.of(2), dataHash: Uint8Array.of(1, 1) });
    expect(hex(blockHeaderBytes(header(127n)))).to.equal('300a02017f04010204020101');
    expect(hex(blockHeaderBytes(header(128n)))).to.equal('300b0202008004010204020101');
    expect(hex(blockHeaderBytes(header(2n ** 64n - 1n))).slice(0, 26)).to.equal('3012020900ffffffffffffffff');
  });

  it('uses the long length form past 127 bytes (two SHA-256 hashes and a number always fit the short form)', () => {
    const bytes = blockHeaderBytes({ number: 1n, previousHash: new Uint8Array(100), dataHash: new Uint8Array(100) });
    expect(hex(bytes.subarray(0, 3))).to.equal('3081cf');
    expect(bytes.length).to.equal(3 + 0xcf);
  });

  it("verifies real Fabric blocks: block 2's previous hash is the hash of block 1's header", () => {
    const [one, two] = realBlocks().map(decodeBlock);
    if (one === undefined || two === undefined) throw new Error('fixture lacks blocks');
    expect([one.number, two.number]).to.deep.equal([1n, 2n]);
    expect(hex(blockHeaderHash(one))).to.equal(hex(two.previousHash));
  });

  it("verifies real Fabric blocks: the transactions hash to each header's data hash", () => {
    for (const bytes of realBlocks()) {
      const block = decodeBlock(bytes);
      expect(block.data.length, `block ${String(headerNumber(bytes))}`).to.be.greaterThan(0);
      expect(hex(blockDataHash(block.data))).to.equal(hex(block.dataHash));
      expect(block.transactionsFilter.length).to.equal(block.data.length);
    }
  });

  it('changes the data hash when one byte of one transaction changes', () => {
    const block = decodeBlock(realBlocks()[0] ?? new Uint8Array(0));
    const tampered = tamperTransaction(block, 0, 100);
    expect(hex(blockDataHash(tampered.data))).to.not.equal(hex(block.dataHash));
  });

  it('reads the transaction ID of a real envelope, and none from bytes that are not one', () => {
    const block = decodeBlock(realBlocks()[0] ?? new Uint8Array(0));
    expect(transactionIdOf(block.data[0] ?? new Uint8Array(0))).to.match(/^[0-9a-f]{64}$/);
    expect(transactionIdOf(Uint8Array.of(0xff, 0xff, 0xff))).to.be.undefined;
  });

  it('refuses bytes without a header', () => {
    expect(() => decodeBlock(new Uint8Array(0))).to.throw('no header');
  });
});
