import { expect } from 'chai';
import fc from 'fast-check';

import {
  EMPTY_MERKLE_ROOT,
  hashLeaf,
  MerkleInputError,
  merkleRoot,
  merkleRootOfRecords,
  MerkleTree,
  verifyInclusion,
  type ImpressionRecord,
} from '../../src/index.js';
import { hex, impressionRecord, leafList } from './support/arbitraries.js';
import { referencePath } from './support/rfc6962-reference.js';

const RFC6962_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((text) => Buffer.from(text, 'hex'));

describe('MerkleTree', () => {
  it('has the same root as merkleRoot and the leaf hashes of its leaves', () => {
    fc.assert(
      fc.property(leafList(0, 100), (leaves) => {
        const tree = MerkleTree.fromLeaves(leaves);
        expect(tree.size).to.equal(leaves.length);
        expect(tree.root).to.equal(merkleRoot(leaves));
        leaves.forEach((leaf, index) => {
          expect(tree.leafHash(index)).to.equal(hex(hashLeaf(leaf)));
        });
      }),
      { numRuns: 100 },
    );
  });

  it('gives the RFC 6962 PATH(m, D[n]) as the audit path, for leaves of random trees of 1 to 300 leaves', () => {
    fc.assert(
      fc.property(leafList(1, 300), fc.array(fc.nat(), { maxLength: 12 }), (leaves, picks) => {
        const tree = MerkleTree.fromLeaves(leaves);
        const indexes = [0, leaves.length - 1, ...picks.map((pick) => pick % leaves.length)];
        for (const index of indexes) {
          const proof = tree.proof(index);
          expect(proof.leafIndex).to.equal(index);
          expect(proof.treeSize).to.equal(leaves.length);
          expect(proof.auditPath).to.deep.equal(referencePath(index, leaves).map(hex));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('gives the RFC 6962 PATH(m, D[n]) for every leaf of every tree of 1 to 40 leaves', () => {
    const leaves = Array.from({ length: 40 }, (_, index) => Buffer.from([index]));
    for (let size = 1; size <= leaves.length; size++) {
      const tree = MerkleTree.fromLeaves(leaves.slice(0, size));
      for (let index = 0; index < size; index++) {
        expect(tree.proof(index).auditPath, `leaf ${index} of ${size}`).to.deep.equal(
          referencePath(index, leaves.slice(0, size)).map(hex),
        );
      }
    }
  });

  it('matches the Certificate Transparency audit path of leaf 5 in the 8-leaf test tree', () => {
    expect(MerkleTree.fromLeaves(RFC6962_LEAVES).proof(5).auditPath).to.deep.equal([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('proves leaf 2 of 3 with the root of the first two leaves', () => {
    expect(MerkleTree.fromLeaves(RFC6962_LEAVES.slice(0, 3)).proof(2).auditPath).to.deep.equal([
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    ]);
  });

  it('gives an empty path for a one-leaf tree', () => {
    const tree = MerkleTree.fromLeaves([Buffer.from('only')]);
    expect(tree.proof(0)).to.deep.equal({ leafIndex: 0, treeSize: 1, auditPath: [] });
    expect(verifyInclusion(tree.root, tree.leafHash(0), tree.proof(0))).to.be.true;
  });

  it('builds from records with the root merkleRootOfRecords gives', () => {
    fc.assert(
      fc.property(fc.array(impressionRecord, { minLength: 1, maxLength: 30 }), (records) => {
        expect(MerkleTree.fromRecords(records).root).to.equal(merkleRootOfRecords(records));
      }),
      { numRuns: 30 },
    );
  });

  it('has the empty root and no proofs when empty', () => {
    const tree = MerkleTree.fromLeaves([]);
    expect(tree.root).to.equal(EMPTY_MERKLE_ROOT);
    expect(tree.size).to.equal(0);
    expect(() => tree.proof(0)).to.throw(MerkleInputError, 'index: must be an integer from 0 to -1');
  });

  for (const index of [-1, 3, 1.5, Number.NaN]) {
    it(`rejects index ${index} with a MerkleInputError`, () => {
      const tree = MerkleTree.fromLeaves([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]);
      expect(() => tree.proof(index))
        .to.throw(MerkleInputError, `index: must be an integer from 0 to 2 (tree of 3 leaves), got ${index}`)
        .with.property('field', 'index');
      expect(() => tree.leafHash(index)).to.throw(MerkleInputError);
    });
  }

  it('rejects an invalid record, naming it', () => {
    const good: ImpressionRecord = {
      impressionId: 'i',
      timestamp: '2026-01-01T00:00:00.000Z',
      campaignId: 'c',
      lineItemId: 'l',
    };
    expect(() => MerkleTree.fromRecords([good, { ...good, campaignId: 'bad id' }]))
      .to.throw(MerkleInputError)
      .with.property('field', 'records[1].campaignId');
  });
});
