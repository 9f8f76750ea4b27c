import { createHash } from 'node:crypto';

import { expect } from 'chai';
import fc from 'fast-check';

import { hashLeaf, hashNode, MerkleInputError } from '../../src/index.js';
import { hex } from './support/arbitraries.js';

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('hashLeaf', () => {
  it('is SHA-256 of 0x00 followed by the leaf', () => {
    expect(hex(hashLeaf(new Uint8Array()))).to.equal(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (leaf) => {
        expect(hex(hashLeaf(leaf))).to.equal(sha256Hex(Buffer.concat([Buffer.from([0]), leaf])));
      }),
    );
  });

  it('gives a fresh 32-byte result each call', () => {
    const first = hashLeaf(Buffer.from('a'));
    const second = hashLeaf(Buffer.from('b'));
    expect(first).to.have.length(32);
    expect(hex(first)).to.not.equal(hex(second));
    expect(hex(first)).to.equal(sha256Hex(Buffer.from([0, 0x61])));
  });
});

describe('hashNode', () => {
  it('is SHA-256 of 0x01, left and right', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (l, r) => {
          expect(hex(hashNode(l, r))).to.equal(sha256Hex(Buffer.concat([Buffer.from([1]), l, r])));
        },
      ),
    );
  });

  it('separates leaves from nodes (no second-preimage by re-reading a node as a leaf)', () => {
    const left = hashLeaf(Buffer.from('left'));
    const right = hashLeaf(Buffer.from('right'));
    expect(hex(hashNode(left, right))).to.not.equal(hex(hashLeaf(Buffer.concat([left, right]))));
  });

  it('rejects inputs that are not 32 bytes with a MerkleInputError naming the side', () => {
    const ok = new Uint8Array(32);
    expect(() => hashNode(new Uint8Array(31), ok))
      .to.throw(MerkleInputError, 'left: must be 32 bytes, got 31')
      .with.property('field', 'left');
    expect(() => hashNode(ok, new Uint8Array(33)))
      .to.throw(MerkleInputError, 'right: must be 32 bytes, got 33')
      .with.property('field', 'right');
  });
});
