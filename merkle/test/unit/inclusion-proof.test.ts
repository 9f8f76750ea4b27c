import { expect } from 'chai';
import fc from 'fast-check';

import { auditPathLength, MerkleInputError, MerkleTree, parseInclusionProof } from '../../src/index.js';
import { leafList } from './support/arbitraries.js';

const HASH = 'ab'.repeat(32);

describe('parseInclusionProof', () => {
  it('accepts every proof a tree gives, round-tripped through JSON, and returns a copy', () => {
    fc.assert(
      fc.property(leafList(1, 200), fc.nat(), (leaves, pick) => {
        const proof = MerkleTree.fromLeaves(leaves).proof(pick % leaves.length);
        const parsed = parseInclusionProof(JSON.parse(JSON.stringify(proof)));
        expect(parsed).to.deep.equal(proof);
        expect(parsed.auditPath).to.not.equal(proof.auditPath);
      }),
      { numRuns: 100 },
    );
  });

  const cases: [string, unknown, string, string][] = [
    ['a string', '{"leafIndex":0}', 'proof', 'proof: must be an object with leafIndex, treeSize and auditPath'],
    ['null', null, 'proof', 'proof: must be an object'],
    ['an array', [0, 1, []], 'proof', 'proof: must be an object'],
    ['an unknown field', { leafIndex: 0, treeSize: 1, auditPath: [], root: HASH }, 'proof.root', 'is not a field'],
    ['a missing treeSize', { leafIndex: 0, auditPath: [] }, 'proof.treeSize', 'must be a positive safe integer'],
    ['a zero treeSize', { leafIndex: 0, treeSize: 0, auditPath: [] }, 'proof.treeSize', 'got number 0'],
    ['a string treeSize', { leafIndex: 0, treeSize: '2', auditPath: [HASH] }, 'proof.treeSize', 'got "2"'],
    ['an unsafe treeSize', { leafIndex: 0, treeSize: 2 ** 53, auditPath: [] }, 'proof.treeSize', 'safe integer'],
    [
      'leafIndex = treeSize',
      { leafIndex: 2, treeSize: 2, auditPath: [HASH] },
      'proof.leafIndex',
      'from 0 to treeSize - 1 (1)',
    ],
    ['a negative leafIndex', { leafIndex: -1, treeSize: 2, auditPath: [HASH] }, 'proof.leafIndex', 'got number -1'],
    ['a fractional leafIndex', { leafIndex: 0.5, treeSize: 2, auditPath: [HASH] }, 'proof.leafIndex', 'got number 0.5'],
    ['a missing path', { leafIndex: 0, treeSize: 2 }, 'proof.auditPath', 'must be an array'],
    ['a path string', { leafIndex: 0, treeSize: 2, auditPath: HASH }, 'proof.auditPath', 'must be an array'],
    ['a 63-char hash', { leafIndex: 0, treeSize: 2, auditPath: [HASH.slice(1)] }, 'proof.auditPath[0]', 'length 63'],
    [
      'an uppercase hash',
      { leafIndex: 0, treeSize: 2, auditPath: [HASH.toUpperCase()] },
      'proof.auditPath[0]',
      'lowercase',
    ],
    ['a numeric hash', { leafIndex: 0, treeSize: 3, auditPath: [HASH, 7] }, 'proof.auditPath[1]', 'got number 7'],
    [
      'a path too short',
      { leafIndex: 0, treeSize: 3, auditPath: [HASH] },
      'proof.auditPath',
      'must hold 2 hashes for leaf 0 of a tree of 3, got 1',
    ],
    [
      'a path too long',
      { leafIndex: 2, treeSize: 3, auditPath: [HASH, HASH] },
      'proof.auditPath',
      'must hold 1 hashes',
    ],
    [
      'a path for a 1-leaf tree',
      { leafIndex: 0, treeSize: 1, auditPath: [HASH] },
      'proof.auditPath',
      'must hold 0 hashes',
    ],
  ];
  for (const [name, value, field, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(() => parseInclusionProof(value))
        .to.throw(MerkleInputError, message)
        .with.property('field', field);
    });
  }
});

describe('auditPathLength', () => {
  it('equals the length of the path a tree gives', () => {
    fc.assert(
      fc.property(leafList(1, 300), fc.nat(), (leaves, pick) => {
        const index = pick % leaves.length;
        expect(auditPathLength(index, leaves.length)).to.equal(
          MerkleTree.fromLeaves(leaves).proof(index).auditPath.length,
        );
      }),
      { numRuns: 100 },
    );
  });

  it('handles sizes beyond 32-bit integers', () => {
    expect(auditPathLength(2 ** 40, 2 ** 40 + 1)).to.equal(1);
    expect(auditPathLength(0, 2 ** 40 + 1)).to.equal(41);
    expect(auditPathLength(2 ** 40 - 1, 2 ** 41)).to.equal(41);
  });

  it('rejects index ≥ size and non-positive sizes', () => {
    expect(() => auditPathLength(3, 3)).to.throw(
      MerkleInputError,
      'leafIndex: must be an integer from 0 to treeSize - 1 (2), got 3',
    );
    expect(() => auditPathLength(0, 0)).to.throw(MerkleInputError, 'treeSize: must be a positive safe integer, got 0');
  });
});
