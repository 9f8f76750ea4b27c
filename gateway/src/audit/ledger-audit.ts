import { transactionIdOf, type AuditedBlock } from './audited-block';
import { blockDataHash, blockHeaderHash } from './block-hash';
import type { PeerLedger } from './peer-ledger';

/** How a peer's copy of a block is wrong or differs from the others. */
export type DifferenceKind =
  /** The peer answered with another block than the one asked for. */
  | 'block-number'
  /** The block's transactions do not hash to the data hash in its header: its content changed after ordering. */
  | 'data-hash'
  /** The header's previous hash is not the hash of the peer's previous header: the chain is broken. */
  | 'previous-hash'
  /** The header differs from the one the majority of peers holds: another block altogether. */
  | 'header'
  /** The transactions' validation codes differ from the majority's. */
  | 'validation-codes'
  /** The peers hold several versions of the block and none is held by a majority. */
  | 'no-majority';

/** One peer's difference at one block. */
export interface Difference {
  readonly peer: string;
  readonly mspId: string;
  readonly block: bigint;
  readonly kind: DifferenceKind;
  /** How it differs, in a sentence: hashes (abbreviated), the transaction and the byte that differ. */
  readonly detail: string;
}

/** A peer and the height it reported. */
export interface PeerHeight {
  readonly peer: string;
  readonly mspId: string;
  readonly height: bigint;
}

/** The outcome of {@link auditLedgers}. */
export interface AuditResult {
  readonly peers: readonly PeerHeight[];
  /** Every block from 0 through this one was verified on every peer and is the same everywhere; -1 when none. */
  readonly agreedThrough: bigint;
  /** Every difference found at the first block where a peer is wrong or differs; empty when all agree. */
  readonly differences: readonly Difference[];
}

/** Options for {@link auditLedgers}. */
export interface AuditOptions {
  /** How many blocks are read ahead from each peer at once (default 8). */
  readonly window?: number;
  /** The first block to audit (default 0); its link to the block before it is not checked. */
  readonly from?: bigint;
}

interface Copy {
  readonly ledger: PeerLedger;
  readonly block: AuditedBlock;
  readonly headerHash: Uint8Array;
  readonly computedDataHash: Uint8Array;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const short = (bytes: Uint8Array): string => (bytes.length === 0 ? '(empty)' : `${hex(bytes).slice(0, 16)}…`);
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;
const fingerprint = (copy: Copy): string =>
  `${hex(copy.headerHash)}/${hex(copy.computedDataHash)}/${hex(copy.block.transactionsFilter)}`;

function firstDifferentByte(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return length;
}

/** Which transaction of `copy` differs from `reference`'s, and at which byte. */
function describeTransactions(copy: AuditedBlock, reference: AuditedBlock, others: number): string {
  const whose = `the copy held by ${String(others)} other peer${others === 1 ? '' : 's'}`;
  if (copy.data.length !== reference.data.length) {
    return `it holds ${String(copy.data.length)} transactions, ${whose} holds ${String(reference.data.length)}`;
  }
  for (let i = 0; i < copy.data.length; i++) {
    const mine = copy.data[i] ?? new Uint8Array(0);
    const theirs = reference.data[i] ?? new Uint8Array(0);
    if (same(mine, theirs)) continue;
    const id = transactionIdOf(theirs);
    const name = id === undefined ? `transaction ${String(i)}` : `transaction ${String(i)} (tx ${id})`;
    return `${name} differs from ${whose} at byte ${String(firstDifferentByte(mine, theirs))} of ${String(theirs.length)}`;
  }
  return `its transactions are the same as ${whose}`;
}

function describeValidation(copy: AuditedBlock, reference: AuditedBlock, others: number): string {
  const index = firstDifferentByte(copy.transactionsFilter, reference.transactionsFilter);
  const code = (filter: Uint8Array): string => (index < filter.length ? String(filter[index]) : 'none');
  return (
    `transaction ${String(index)} has validation code ${code(copy.transactionsFilter)}, ` +
    `${String(others)} other peer${others === 1 ? '' : 's'} recorded ${code(reference.transactionsFilter)}`
  );
}

/** The verification of one peer's copy on its own: block number, data hash, link to its previous header. */
function verifyCopy(number: bigint, copy: Copy, previousHeaderHash: Uint8Array | undefined): Difference[] {
  const { ledger, block } = copy;
  const at = (kind: DifferenceKind, detail: string): Difference => ({
    peer: ledger.peer,
    mspId: ledger.mspId,
    block: number,
    kind,
    detail,
  });
  const found: Difference[] = [];
  if (block.number !== number) {
    found.push(at('block-number', `asked for block ${String(number)}, it returned block ${String(block.number)}`));
  }
  if (!same(copy.computedDataHash, block.dataHash)) {
    found.push(
      at(
        'data-hash',
        `its transactions hash to ${short(copy.computedDataHash)} but its header's data_hash is ` +
          `${short(block.dataHash)}: the block's content was changed after it was ordered`,
      ),
    );
  }
  if (previousHeaderHash !== undefined && !same(block.previousHash, previousHeaderHash)) {
    found.push(
      at(
        'previous-hash',
        `its header's previous_hash ${short(block.previousHash)} is not the hash of its block ` +
          `${String(number - 1n)} header, ${short(previousHeaderHash)}: the hash chain is broken`,
      ),
    );
  }
  return found;
}

/** The comparison of the peers' copies of one block with each other. */
function compareCopies(number: bigint, copies: readonly Copy[], flagged: ReadonlySet<PeerLedger>): Difference[] {
  const groups = new Map<string, Copy[]>();
  for (const copy of copies) {
    const key = fingerprint(copy);
    groups.set(key, [...(groups.get(key) ?? []), copy]);
  }
  if (groups.size <= 1) return [];
  const majority = [...groups.values()].find((group) => group.length * 2 > copies.length);
  const found: Difference[] = [];
  for (const copy of copies) {
    const at = (kind: DifferenceKind, detail: string): Difference => ({
      peer: copy.ledger.peer,
      mspId: copy.ledger.mspId,
      block: number,
      kind,
      detail,
    });
    if (majority === undefined) {
      const alike = (groups.get(fingerprint(copy))?.length ?? 1) - 1;
      found.push(
        at(
          'no-majority',
          `the peers hold ${String(groups.size)} versions of this block and none is held by a majority; ` +
            `its own (header hash ${short(copy.headerHash)}) is shared by ${String(alike)} other peer${alike === 1 ? '' : 's'}`,
        ),
      );
      continue;
    }
    if (majority.includes(copy) || flagged.has(copy.ledger)) continue;
    const reference = majority[0];
    if (reference === undefined) continue;
    if (!same(copy.headerHash, reference.headerHash)) {
      found.push(
        at(
          'header',
          `its header hash ${short(copy.headerHash)} differs from ${short(reference.headerHash)}, held by ` +
            `${String(majority.length)} other peers; ${describeTransactions(copy.block, reference.block, majority.length)}`,
        ),
      );
    } else {
      found.push(at('validation-codes', describeValidation(copy.block, reference.block, majority.length)));
    }
  }
  return found;
}

/** Adds to a peer's own finding how its transactions differ from the majority's copy, when there is one. */
function withComparison(difference: Difference, copy: Copy, copies: readonly Copy[]): Difference {
  if (difference.kind !== 'data-hash') return difference;
  const others = copies.filter(
    (other) =>
      other !== copy && same(other.computedDataHash, other.block.dataHash) && same(other.headerHash, copy.headerHash),
  );
  const reference = others[0];
  if (reference === undefined) return difference;
  return {
    ...difference,
    detail: `${difference.detail}; ${describeTransactions(copy.block, reference.block, others.length)}`,
  };
}

/**
 * Verifies each peer's copy of the ledger (every block's data hash, and each header's link to the previous
 * header's hash) and compares the copies block by block, from block 0 (or `from`) up to the lowest height among
 * the peers.
 * Stops at the first block where any peer's copy is wrong or differs, and reports every peer that is wrong there
 * and how; a peer whose copy differs from the majority's is named even when its own chain verifies.
 * @throws {Error} when a peer cannot be read (its error, naming the peer).
 */
export async function auditLedgers(
  ledgers: readonly PeerLedger[],
  options: Readonly<AuditOptions> = {},
): Promise<AuditResult> {
  const read = <T>(ledger: PeerLedger, what: string, call: () => Promise<T>): Promise<T> =>
    call().catch((err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`cannot read ${what} from ${ledger.peer} (${ledger.mspId}): ${reason}`, { cause: err });
    });
  const heights = await Promise.all(ledgers.map((ledger) => read(ledger, 'the chain height', () => ledger.height())));
  const peers = ledgers.map((ledger, i) => ({ peer: ledger.peer, mspId: ledger.mspId, height: heights[i] ?? 0n }));
  const common =
    peers.reduce<bigint | undefined>((low, p) => (low === undefined || p.height < low ? p.height : low), undefined) ??
    0n;
  const window = BigInt(Math.max(1, options.window ?? 8));
  const previous = new Map<PeerLedger, Uint8Array>();

  const first = options.from ?? 0n;
  for (let start = first; start < common; start += window) {
    const end = start + window < common ? start + window : common;
    const numbers: bigint[] = [];
    for (let n = start; n < end; n++) numbers.push(n);
    const blocks = await Promise.all(
      ledgers.map((ledger) =>
        Promise.all(numbers.map((n) => read(ledger, `block ${String(n)}`, () => ledger.block(n)))),
      ),
    );
    for (const [offset, number] of numbers.entries()) {
      const copies = ledgers.map((ledger, i): Copy => {
        const block = blocks[i]?.[offset];
        if (block === undefined) throw new Error(`no block ${String(number)} from ${ledger.peer}`);
        return { ledger, block, headerHash: blockHeaderHash(block), computedDataHash: blockDataHash(block.data) };
      });
      const own = copies.flatMap((copy) =>
        verifyCopy(number, copy, previous.get(copy.ledger)).map((d) => withComparison(d, copy, copies)),
      );
      const flagged = new Set(copies.filter((c) => own.some((d) => d.peer === c.ledger.peer)).map((c) => c.ledger));
      const differences = [...own, ...compareCopies(number, copies, flagged)];
      if (differences.length > 0) return { peers, agreedThrough: number - 1n, differences };
      for (const copy of copies) previous.set(copy.ledger, copy.headerHash);
    }
  }
  return { peers, agreedThrough: common > first ? common - 1n : first - 1n, differences: [] };
}
