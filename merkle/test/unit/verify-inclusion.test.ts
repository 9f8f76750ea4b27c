import { expect } from 'chai';
import fc from 'fast-check';

import {
  MerkleInputError,
  MerkleTree,
  verifyInclusion,
  verifyRecordInclusion,
  type ImpressionRecord,
  type InclusionProof,
} from '../../src/index.js';
import { impressionRecord, leafList } from './support/arbitraries.js';

/** A random tree of 1 to 300 leaves and one of its leaf positions. */
const treeAndIndex = leafList(1, 300).chain((leaves) =>
  fc.tuple(fc.constant(MerkleTree.fromLeaves(leaves)), fc.nat({ max: leaves.length - 1 })),
);

function flipHexDigit(text: string, position: number): string {
  const digit = text[position] === '0' ? '1' : '0';
  return text.slice(0, position) + digit + text.slice(position + 1);
}

describe('verifyInclusion', () => {
  it('accepts the proof of every leaf of random trees of 1 to 300 leaves', () => {
    fc.assert(
      fc.property(leafList(1, 300), (leaves) => {
        const tree = MerkleTree.fromLeaves(leaves);
        for (let index = 0; index < leaves.length; index++) {
          expect(verifyInclusion(tree.root, tree.leafHash(index), tree.proof(index)), `leaf ${index}`).to.be.true;
        }
      }),
      { numRuns: 60 },
    );
  });

  it('rejects a changed leaf', () => {
    fc.assert(
      fc.property(treeAndIndex, fc.nat({ max: 63 }), ([tree, index], position) => {
        const leafHash = flipHexDigit(tree.leafHash(index), position);
        expect(verifyInclusion(tree.root, leafHash, tree.proof(index))).to.be.false;
      }),
    );
  });

  it('rejects a changed root', () => {
    fc.assert(
      fc.property(treeAndIndex, fc.nat({ max: 63 }), ([tree, index], position) => {
        expect(verifyInclusion(flipHexDigit(tree.root, position), tree.leafHash(index), tree.proof(index))).to.be.false;
      }),
    );
  });

  it('rejects another leaf’s hash at the proven index (when the leaves differ)', () => {
    fc.assert(
      fc.property(treeAndIndex, fc.nat(), ([tree, index], pick) => {
        const other = pick % tree.size;
        fc.pre(tree.leafHash(other) !== tree.leafHash(index));
        expect(verifyInclusion(tree.root, tree.leafHash(other), tree.proof(index))).to.be.false;
      }),
    );
  });

  it('rejects a wrong index', () => {
    // Leaves made distinct by their position: two equal sibling subtrees hash the same in either order, so a proof
    // for one of them also proves the other's index (random leaves are often equal, e.g. both empty).
    const distinctTreeAndIndex = leafList(1, 300)
      .map((leaves) => leaves.map((leaf, i) => Uint8Array.from([...leaf, i & 0xff, i >> 8])))
      .chain((leaves) => fc.tuple(fc.constant(MerkleTree.fromLeaves(leaves)), fc.nat({ max: leaves.length - 1 })));
    fc.assert(
      fc.property(distinctTreeAndIndex, fc.integer({ min: -5, max: 305 }), ([tree, index], wrong) => {
        fc.pre(wrong !== index);
        const proof = { ...tree.proof(index), leafIndex: wrong };
        expect(verifyInclusion(tree.root, tree.leafHash(index), proof)).to.be.false;
      }),
    );
  });

  it('rejects a wrong tree size', () => {
    fc.assert(
      fc.property(treeAndIndex, fc.integer({ min: 0, max: 305 }), ([tree, index], wrongSize) => {
        const proof = tree.proof(index);
        fc.pre(wrongSize !== tree.size);
        // Sizes that give the same path shape and the same hashes could still verify: a leaf at the same position
        // of a tree whose extra leaves never enter its path. Only sizes that change the path shape must fail.
        const sameShape =
          wrongSize > index && JSON.stringify(shapeOf(index, wrongSize)) === JSON.stringify(shapeOf(index, tree.size));
        fc.pre(!sameShape);
        expect(verifyInclusion(tree.root, tree.leafHash(index), { ...proof, treeSize: wrongSize })).to.be.false;
      }),
    );
  });

  it('rejects a truncated, extended or reordered path', () => {
    fc.assert(
      fc.property(treeAndIndex, ([tree, index]) => {
        const proof = tree.proof(index);
        const { auditPath } = proof;
        const verify = (path: readonly string[]): boolean =>
          verifyInclusion(tree.root, tree.leafHash(index), { ...proof, auditPath: path });
        if (auditPath.length > 0) {
          expect(verify(auditPath.slice(0, -1)), 'last hash dropped').to.be.false;
          expect(verify(auditPath.slice(1)), 'first hash dropped').to.be.false;
        }
        expect(verify([...auditPath, tree.root]), 'root appended').to.be.false;
        expect(verify([...auditPath, auditPath[0] ?? tree.root]), 'hash repeated').to.be.false;
        if (auditPath.length > 1 && auditPath[0] !== auditPath[1]) {
          expect(verify([auditPath[1]!, auditPath[0]!, ...auditPath.slice(2)]), 'swapped').to.be.false;
        }
      }),
    );
  });

  describe('returns false, never throws, on malformed input', () => {
    const tree = MerkleTree.fromLeaves(['a', 'b', 'c', 'd', 'e'].map((text) => Buffer.from(text)));
    const proof = tree.proof(4);
    const leaf = tree.leafHash(4);
    const cases: [string, string, string, unknown][] = [
      ['an uppercase root', tree.root.toUpperCase(), leaf, proof],
      ['a 63-char root', tree.root.slice(1), leaf, proof],
      ['a 65-char leaf hash', tree.root, `${leaf}0`, proof],
      ['a non-hex leaf hash', tree.root, `${leaf.slice(1)}g`, proof],
      ['a short path entry', tree.root, leaf, { ...proof, auditPath: [proof.auditPath[0]!.slice(2)] }],
      ['leafIndex equal to treeSize', tree.root, leaf, { ...proof, leafIndex: 5 }],
      ['a negative leafIndex', tree.root, leaf, { ...proof, leafIndex: -1 }],
      ['a fractional leafIndex', tree.root, leaf, { ...proof, leafIndex: 3.5 }],
      ['a zero treeSize', tree.root, leaf, { ...proof, treeSize: 0 }],
      ['a string treeSize', tree.root, leaf, { ...proof, treeSize: '5' }],
      ['a missing path', tree.root, leaf, { leafIndex: 4, treeSize: 5 }],
      ['a null proof', tree.root, leaf, null],
      ['a path of numbers', tree.root, leaf, { ...proof, auditPath: [1] }],
      ['a path of a million hashes', tree.root, leaf, { ...proof, auditPath: new Array<string>(1e6).fill(leaf) }],
    ];
    for (const [name, root, leafHash, candidate] of cases) {
      it(name, () => {
        expect(verifyInclusion(root, leafHash, candidate as InclusionProof)).to.be.false;
      });
    }
  });
});

describe('verifyRecordInclusion', () => {
  it('proves every record of a batch in, and a record that is not in the batch out', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(impressionRecord, { minLength: 2, maxLength: 40, selector: (r) => r.impressionId }),
        (records) => {
          const [outsider, ...batch] = records as [ImpressionRecord, ...ImpressionRecord[]];
          const tree = MerkleTree.fromRecords(batch);
          batch.forEach((record, index) => {
            expect(verifyRecordInclusion(tree.root, record, tree.proof(index))).to.be.true;
            expect(verifyRecordInclusion(tree.root, outsider, tree.proof(index))).to.be.false;
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('throws a MerkleInputError for an invalid record', () => {
    const record: ImpressionRecord = {
      impressionId: 'i',
      timestamp: '2026-01-01T00:00:00.000Z',
      campaignId: 'c',
      lineItemId: 'l',
    };
    const tree = MerkleTree.fromRecords([record]);
    expect(() => verifyRecordInclusion(tree.root, { ...record, timestamp: 'yesterday' }, tree.proof(0))).to.throw(
      MerkleInputError,
      'record.timestamp',
    );
  });
});

/** Which levels of the path have a sibling, bottom up, and on which side: what the proof's shape depends on. */
function shapeOf(index: number, size: number): string[] {
  const shape: string[] = [];
  let position = index;
  let count = size;
  while (count > 1) {
    if (position % 2 === 1) {
      shape.push('L');
    } else if (position + 1 < count) {
      shape.push('R');
    } else {
      shape.push('-');
    }
    position = Math.floor(position / 2);
    count = Math.ceil(count / 2);
  }
  return shape.filter((side) => side !== '-');
}
