import { common } from '@hyperledger/fabric-protos';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AuditedBlock } from '../../../src/audit/audited-block';
import { blockDataHash, blockHeaderHash } from '../../../src/audit/block-hash';
import type { PeerLedger } from '../../../src/audit/peer-ledger';

/** Serialized blocks 1 and 2 of a real adrecon channel (Fabric v2.5.0), as qscc returned them. */
export function realBlocks(): Uint8Array[] {
  const file = path.join(__dirname, '..', '..', '..', '..', 'test', 'unit', 'audit', 'fixtures', 'fabric-blocks.json');
  const fixture = JSON.parse(fs.readFileSync(file, 'utf8')) as { blocks: string[] };
  return fixture.blocks.map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
}

/** A chain of `count` well-formed blocks, each with `txs` made-up transactions, every peer marking them valid. */
export function makeChain(count: number, txs = 2): AuditedBlock[] {
  const chain: AuditedBlock[] = [];
  let previousHash: Uint8Array = new Uint8Array(0);
  for (let n = 0; n < count; n++) {
    const data = Array.from(
      { length: txs },
      (_, i) => new Uint8Array(Buffer.from(`block ${String(n)} tx ${String(i)}`)),
    );
    const block = {
      number: BigInt(n),
      previousHash,
      dataHash: blockDataHash(data),
      data,
      transactionsFilter: new Uint8Array(txs),
    };
    chain.push(block);
    previousHash = blockHeaderHash(block);
  }
  return chain;
}

/** A copy of a block with one byte of one transaction changed, its header untouched: a tampered block file. */
export function tamperTransaction(block: AuditedBlock, tx: number, byte: number): AuditedBlock {
  const data = block.data.map((envelope, i) => {
    if (i !== tx) return envelope;
    const copy = new Uint8Array(envelope);
    copy[byte] = (copy[byte] ?? 0) ^ 0x01;
    return copy;
  });
  return { ...block, data };
}

/** A peer's ledger held in memory. */
export function memoryLedger(peer: string, mspId: string, blocks: readonly AuditedBlock[]): PeerLedger {
  return {
    peer,
    mspId,
    height: () => Promise.resolve(BigInt(blocks.length)),
    block: (number) => {
      const block = blocks[Number(number)];
      return block === undefined ? Promise.reject(new Error(`no block ${String(number)}`)) : Promise.resolve(block);
    },
  };
}

/** Re-encodes a decoded real block header's number, to assert against Fabric's own field. */
export function headerNumber(bytes: Uint8Array): number {
  return common.Block.deserializeBinary(bytes).getHeader()?.getNumber() ?? -1;
}
