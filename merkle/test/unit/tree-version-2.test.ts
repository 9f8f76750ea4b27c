import { expect } from 'chai';
import fc from 'fast-check';

import {
  batchSha256,
  encodeImpressionRecord,
  hashLeaf,
  hashNode,
  MerkleInputError,
  MerkleTree,
  merkleRoot,
  merkleRootOfRecords,
  nodeCryptoBatchSha256,
  parseInclusionProof,
  verifyInclusion,
  verifyRecordInclusion,
  type ImpressionRecord,
} from '../../src/index.js';
import { leafHashesOfLeavesV2, leafHashesOfRecordsV2 } from '../../src/leaf-hashes-v2.js';
import { hex, impressionRecord } from './support/arbitraries.js';
import { referenceLeafHashV2, referenceRootV2 } from './support/v2-reference.js';

const V2 = { version: 2 } as const;

/** Leaves of 0 to 600 bytes, so that trees mix every padding class from 1 to 16 blocks. */
function mixedLeafList(minLength: number, maxLength: number): fc.Arbitrary<Uint8Array[]> {
  return fc.integer({ min: minLength, max: maxLength }).chain((length) =>
    fc.array(fc.oneof(fc.uint8Array({ maxLength: 70 }), fc.uint8Array({ maxLength: 600 })), {
      minLength: length,
      maxLength: length,
    }),
  );
}

const WORKED_EXAMPLE: readonly ImpressionRecord[] = [
  {
    impressionId: 'imp-0001',
    timestamp: '2026-11-01T12:00:00.000Z',
    campaignId: 'cmp-42',
    lineItemId: 'li-7',
    placementId: 'pl-home-top',
  },
  {
    impressionId: 'imp-0002',
    timestamp: '2026-11-01T12:00:00.250Z',
    campaignId: 'cmp-42',
    lineItemId: 'li-7',
    placementId: 'pl-home-top',
    creativeId: 'cr-300x250',
  },
  { impressionId: 'imp-0003', timestamp: '2026-11-01T12:00:01.003Z', campaignId: 'cmp-42', lineItemId: 'li-7' },
];

/** A valid record with one field replaced by a value the record rules refuse. */
const invalidRecord: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    impressionRecord,
    fc.constantFrom('impressionId', 'timestamp', 'campaignId', 'lineItemId', 'placementId', 'creativeId', 'extra'),
    fc.constantFrom<unknown>('', 'has space', 'é', 'x'.repeat(129), 7, null, '2026-02-30T00:00:00.000Z', 'a/b'),
  )
  .map(([record, field, value]) => ({ ...record, [field]: value }))
  .filter((candidate) => {
    try {
      encodeImpressionRecord(candidate);
      return false;
    } catch {
      return true;
    }
  });

describe('tree format version 2', () => {
  it('computes the worked example of docs/merkle.md (values from an independent hashlib script)', () => {
    const tree = MerkleTree.fromRecords(WORKED_EXAMPLE, V2);
    expect(tree.leafHash(0)).to.equal('55c7d0c499a15d55e59b2f25c402bc12a2d8810ce841ee8cfa40e2a6ed831b11');
    expect(tree.leafHash(1)).to.equal('7e5f09899467ffe4d7a16f1e24724e14d99442794bb3403706f19015279cf99b');
    expect(tree.leafHash(2)).to.equal('67fd5095434ea2202bf8ce03a1f64bbff0c0ff02365ee9f32b0456beb115e44d');
    expect(tree.root).to.equal('e891360fd2ee4620f07cc876b3c9f1a1cbe4af5f3202dd19dabc0c53630a7b60');
    expect(tree.proof(2)).to.deep.equal({
      leafIndex: 2,
      treeSize: 3,
      auditPath: ['5c84044a9943fe527f5a1a47c2395aa4b93cb484713409a83af74f6b56360d92'],
      version: 2,
    });
    expect(merkleRootOfRecords(WORKED_EXAMPLE)).to.equal(
      'd2f502976c2997a8fde1200eaaa06a3a24729af1b6749a82a1ccef303dcf1588',
    );
  });

  it('agrees with a literal transcription of the definition for random leaves of every padding class', () => {
    fc.assert(
      fc.property(mixedLeafList(0, 200), (leaves) => {
        expect(merkleRoot(leaves, V2)).to.equal(hex(referenceRootV2(leaves)));
      }),
      { numRuns: 80 },
    );
  });

  it('hashes leaves the same in batch (native) and one at a time (node:crypto), and as hashLeaf(leaf, 2)', () => {
    fc.assert(
      fc.property(mixedLeafList(1, 100), (leaves) => {
        const batched = leafHashesOfLeavesV2(leaves, batchSha256());
        const portable = leafHashesOfLeavesV2(leaves, nodeCryptoBatchSha256);
        expect(hex(batched)).to.equal(hex(portable));
        leaves.forEach((leaf, index) => {
          const expected = hex(referenceLeafHashV2(leaf));
          expect(hex(batched.subarray(index * 32, index * 32 + 32))).to.equal(expected);
          expect(hex(hashLeaf(leaf, 2))).to.equal(expected);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('roots records as the root of their encodings, validating and encoding in one pass', () => {
    fc.assert(
      fc.property(fc.array(impressionRecord, { minLength: 1, maxLength: 120 }), (records) => {
        const root = merkleRootOfRecords(records, V2);
        expect(root).to.equal(merkleRoot(records.map(encodeImpressionRecord), V2));
        expect(MerkleTree.fromRecords(records, V2).root).to.equal(root);
        expect(hex(leafHashesOfRecordsV2(records, nodeCryptoBatchSha256))).to.equal(
          hex(leafHashesOfRecordsV2(records)),
        );
      }),
      { numRuns: 80 },
    );
  });

  it('refuses an invalid record with the same error as version 1, naming its position', () => {
    fc.assert(
      fc.property(
        fc.array(impressionRecord, { minLength: 1, maxLength: 20 }),
        invalidRecord,
        fc.nat(),
        (records, bad, at) => {
          const batch = [...records];
          batch.splice(at % (records.length + 1), 0, bad as unknown as ImpressionRecord);
          const errorOf = (task: () => unknown): MerkleInputError => {
            try {
              task();
            } catch (error) {
              if (error instanceof MerkleInputError) {
                return error;
              }
              throw error;
            }
            throw new Error('no error');
          };
          const v1 = errorOf(() => merkleRootOfRecords(batch));
          const v2 = errorOf(() => merkleRootOfRecords(batch, V2));
          expect(v2.message).to.equal(v1.message);
          expect(v2.field).to.match(new RegExp(`^records\\[${at % (records.length + 1)}\\]`));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('proves every leaf in, and fails a tampered hash, index, record or version', () => {
    fc.assert(
      fc.property(
        fc.array(impressionRecord, { minLength: 1, maxLength: 150 }),
        fc.nat(),
        fc.nat({ max: 63 }),
        (records, pick, digit) => {
          const tree = MerkleTree.fromRecords(records, V2);
          const index = pick % records.length;
          const record = records[index]!;
          const proof = tree.proof(index);
          expect(proof.version).to.equal(2);
          expect(verifyRecordInclusion(tree.root, record, proof)).to.equal(true);
          expect(verifyInclusion(tree.root, tree.leafHash(index), parseInclusionProof(proof))).to.equal(true);
          const asVersion1 = { leafIndex: proof.leafIndex, treeSize: proof.treeSize, auditPath: proof.auditPath };
          expect(verifyRecordInclusion(tree.root, record, asVersion1)).to.equal(false);
          const changed = { ...record, impressionId: `${record.impressionId.slice(0, 127)}!`.slice(-128) };
          if (encodeImpressionRecord(changed).join() !== encodeImpressionRecord(record).join()) {
            expect(verifyRecordInclusion(tree.root, changed, proof)).to.equal(false);
          }
          const flip = (text: string): string =>
            text.slice(0, digit) + (text[digit] === '0' ? '1' : '0') + text.slice(digit + 1);
          expect(verifyInclusion(flip(tree.root), tree.leafHash(index), proof)).to.equal(false);
          proof.auditPath.forEach((_, position) => {
            const auditPath = proof.auditPath.map((entry, at) => (at === position ? flip(entry) : entry));
            expect(verifyRecordInclusion(tree.root, record, { ...proof, auditPath })).to.equal(false);
          });
          if (records.length > 1) {
            const other = (index + 1) % records.length;
            expect(verifyRecordInclusion(tree.root, record, { ...tree.proof(other) })).to.equal(
              encodeImpressionRecord(records[other]!).join() === encodeImpressionRecord(record).join(),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps leaves apart from nodes: a 64-byte leaf does not hash as the node of its halves', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (leaf) => {
        expect(hex(hashLeaf(leaf, 2))).to.not.equal(hex(hashNode(leaf.subarray(0, 32), leaf.subarray(32), 2)));
      }),
    );
  });

  it('gives version-1 results by default and refuses an unknown version', () => {
    expect(MerkleTree.fromRecords(WORKED_EXAMPLE).version).to.equal(1);
    expect(MerkleTree.fromRecords(WORKED_EXAMPLE).proof(2)).to.not.have.property('version');
    expect(() => merkleRoot([], { version: 3 as unknown as 2 })).to.throw(MerkleInputError, 'options.version');
    expect(() => parseInclusionProof({ leafIndex: 0, treeSize: 1, auditPath: [], version: 3 })).to.throw(
      MerkleInputError,
      'proof.version: must be 1 or 2 when present, got number 3',
    );
    expect(parseInclusionProof({ leafIndex: 0, treeSize: 1, auditPath: [], version: 2 })).to.deep.equal({
      leafIndex: 0,
      treeSize: 1,
      auditPath: [],
      version: 2,
    });
    expect(verifyInclusion('0'.repeat(64), '0'.repeat(64), { leafIndex: 0, treeSize: 1, auditPath: [], version: 2 })).to
      .be.true;
    expect(
      verifyInclusion('0'.repeat(64), '0'.repeat(64), {
        leafIndex: 0,
        treeSize: 1,
        auditPath: [],
        version: 3 as unknown as 2,
      }),
    ).to.be.false;
  });
});
