import { createHash } from 'node:crypto';
import { Integer, OctetString, Sequence } from 'asn1js';

/** The three fields of a block header that Fabric hashes. */
export interface BlockHeaderFields {
  readonly number: bigint;
  readonly previousHash: Uint8Array;
  readonly dataHash: Uint8Array;
}

/**
 * The DER encoding of a block header, as Fabric computes it (`protoutil.BlockHeaderBytes`): the ASN.1 SEQUENCE
 * { number INTEGER, previous_hash OCTET STRING, data_hash OCTET STRING }. An empty hash (the genesis block's
 * previous hash) is an empty OCTET STRING.
 */
export function blockHeaderBytes(header: Readonly<BlockHeaderFields>): Uint8Array {
  const sequence = new Sequence({
    value: [
      Integer.fromBigInt(header.number),
      new OctetString({ valueHex: header.previousHash }),
      new OctetString({ valueHex: header.dataHash }),
    ],
  });
  return new Uint8Array(sequence.toBER(false));
}

/** A block header's hash (`protoutil.BlockHeaderHash`): SHA-256 of its DER encoding; the next block's previous hash. */
export function blockHeaderHash(header: Readonly<BlockHeaderFields>): Uint8Array {
  return createHash('sha256').update(blockHeaderBytes(header)).digest();
}

/** A block's data hash (`protoutil.BlockDataHash`): SHA-256 of its transaction envelopes concatenated in order. */
export function blockDataHash(data: readonly Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const envelope of data) hash.update(envelope);
  return hash.digest();
}
