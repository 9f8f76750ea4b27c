import { expect } from 'chai';
import fc from 'fast-check';

import {
  EMPTY_MERKLE_ROOT,
  encodeImpressionRecord,
  hashLeaf,
  hashNode,
  MerkleInputError,
  merkleRoot,
  merkleRootOfRecords,
  type ImpressionRecord,
} from '../../src/index.js';
import { hex, impressionRecord, leafList } from './support/arbitraries.js';
import { referenceRoot } from './support/rfc6962-reference.js';

const leaf = (text: string): Buffer => Buffer.from(text, 'utf8');
const [a, b, c, d, e, f, g] = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(leaf) as [
  Buffer,
  Buffer,
  Buffer,
  Buffer,
  Buffer,
  Buffer,
  Buffer,
];
const H = hashLeaf;
const N = hashNode;

/** The RFC 6962 test vectors of Certificate Transparency: leaf data (hex) and MTH of the first n leaves. */
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
const RFC6962_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('merkleRoot', () => {
  describe('known answers written out as compositions', () => {
    it('empty tree: SHA-256 of the empty string', () => {
      expect(merkleRoot([])).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      expect(EMPTY_MERKLE_ROOT).to.equal(merkleRoot([]));
    });

    it('1 leaf: H(a)', () => {
      expect(merkleRoot([a])).to.equal(hex(H(a)));
    });

    it('2 leaves: N(H(a), H(b))', () => {
      expect(merkleRoot([a, b])).to.equal(hex(N(H(a), H(b))));
    });

    it('3 leaves: N(N(H(a), H(b)), H(c)), split at 2', () => {
      expect(merkleRoot([a, b, c])).to.equal(hex(N(N(H(a), H(b)), H(c))));
    });

    it('7 leaves: N(N(N(a,b), N(c,d)), N(N(e,f), g)), split at 4 then 2', () => {
      const expected = N(N(N(H(a), H(b)), N(H(c), H(d))), N(N(H(e), H(f)), H(g)));
      expect(merkleRoot([a, b, c, d, e, f, g])).to.equal(hex(expected));
    });

    it('5 leaves: N(N(N(a,b), N(c,d)), H(e)), the lone leaf joins only at the top', () => {
      expect(merkleRoot([a, b, c, d, e])).to.equal(hex(N(N(N(H(a), H(b)), N(H(c), H(d))), H(e))));
    });
  });

  it('matches the RFC 6962 (Certificate Transparency) test vectors for 0 to 8 leaves', () => {
    RFC6962_ROOTS.forEach((expected, size) => {
      expect(merkleRoot(RFC6962_LEAVES.slice(0, size)), `size ${size}`).to.equal(expected);
    });
  });

  it('equals the recursive RFC 6962 definition for random trees of 0 to 300 leaves', () => {
    fc.assert(
      fc.property(leafList(0, 300), (leaves) => {
        expect(merkleRoot(leaves)).to.equal(hex(referenceRoot(leaves)));
      }),
      { numRuns: 150 },
    );
  });

  it('is order sensitive', () => {
    expect(merkleRoot([a, b])).to.not.equal(merkleRoot([b, a]));
  });

  it('does not modify its input', () => {
    const leaves = [leaf('x'), leaf('y'), leaf('z')];
    merkleRoot(leaves);
    expect(leaves.map((bytes) => bytes.toString())).to.deep.equal(['x', 'y', 'z']);
  });
});

describe('merkleRootOfRecords', () => {
  const record: ImpressionRecord = {
    impressionId: 'imp-1',
    timestamp: '2026-11-01T12:00:00.000Z',
    campaignId: 'cmp-1',
    lineItemId: 'li-1',
  };

  it('is the merkleRoot of the records’ canonical encodings', () => {
    fc.assert(
      fc.property(fc.array(impressionRecord, { maxLength: 40 }), (records) => {
        expect(merkleRootOfRecords(records)).to.equal(merkleRoot(records.map(encodeImpressionRecord)));
      }),
      { numRuns: 50 },
    );
  });

  it('gives the empty root for no records', () => {
    expect(merkleRootOfRecords([])).to.equal(EMPTY_MERKLE_ROOT);
  });

  it('names the first invalid record in its MerkleInputError', () => {
    const bad = { ...record, timestamp: '2026-11-01 12:00:00' };
    expect(() => merkleRootOfRecords([record, record, bad]))
      .to.throw(MerkleInputError, /^records\[2\]\.timestamp: must be an ISO 8601 UTC timestamp/)
      .with.property('field', 'records[2].timestamp');
  });
});

describe('the worked example of docs/merkle.md', () => {
  const records: ImpressionRecord[] = [
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

  it('encodes record 0 as documented', () => {
    expect(hex(encodeImpressionRecord(records[0]!))).to.equal(
      '01' +
        '0008696d702d30303031' +
        '0018323032362d31312d30315431323a30303a30302e3030305a' +
        '0006636d702d3432' +
        '00046c692d37' +
        '01000b706c2d686f6d652d746f70' +
        '00',
    );
  });

  it('has the documented leaf hashes, node hash and root', () => {
    const [l0, l1, l2] = records.map((record) => hashLeaf(encodeImpressionRecord(record))) as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
    expect(hex(l0)).to.equal('557045af82e9a88d65f73d319e25fcd8c1687a823b0523f9c3758dbf3307ad67');
    expect(hex(l1)).to.equal('e5fc8e3c46ceac465700d9519d94d10a80fee0b5a686f9c183048ccdb5e9cfeb');
    expect(hex(l2)).to.equal('71279e2d1ffaba8e98696377f3845715f76f15ee6ad2e2494703217448d65110');
    expect(hex(hashNode(l0, l1))).to.equal('16294f63971ac805a68303c633a59fa9abb426435a7341f1b544ee9395e734c9');
    expect(merkleRootOfRecords(records)).to.equal('d2f502976c2997a8fde1200eaaa06a3a24729af1b6749a82a1ccef303dcf1588');
  });
});
