import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { canonicalBytes } from '../canonical-json.js';
import { ValidationError } from '../errors.js';
import type { KeyType } from './keys.js';

/** One entry of a key's history, with its value already parsed. */
export interface HistoryEntry<T> {
  txId: string;
  timestamp: string;
  isDelete: boolean;
  value: T | null;
}

/** A page of records of a paginated query. */
export interface Page<T> {
  records: T[];
  bookmark: string;
  fetchedCount: number;
}

/** A state entry found by a partial composite key query. */
export interface Entry<T> {
  key: string;
  attributes: string[];
  value: T;
}

type Parser<T> = (value: unknown) => T;

interface StateIterator<V> {
  next(): Promise<{ value: V | undefined; done?: boolean }>;
  close(): Promise<void>;
}

interface StateKV {
  key: string;
  value: Uint8Array;
}

function decode<T>(bytes: Uint8Array, parse: Parser<T>, key: string): T {
  let plain: unknown;
  try {
    plain = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch (err) {
    throw new ValidationError(`stored value of ${JSON.stringify(key)} is not JSON`, { cause: err });
  }
  return parse(plain);
}

/** Milliseconds since the epoch of a protobuf timestamp (seconds may be a Long). */
export function timestampToMs(timestamp: { seconds: { toString(): string } | number; nanos: number }): number {
  return Number(timestamp.seconds.toString()) * 1000 + Math.floor(timestamp.nanos / 1_000_000);
}

/**
 * Typed access to the world state of one transaction: every read goes through a parser (validation), every write
 * through canonical JSON. Reads never see this transaction's own writes (Fabric semantics).
 */
export class Ledger {
  readonly #ctx: Context;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  key(type: KeyType, attributes: readonly string[]): string {
    return this.#ctx.stub.createCompositeKey(type, [...attributes]);
  }

  async get<T>(type: KeyType, attributes: readonly string[], parse: Parser<T>): Promise<T | undefined> {
    const key = this.key(type, attributes);
    const bytes = await this.#ctx.stub.getState(key);
    return bytes.length === 0 ? undefined : decode(bytes, parse, key);
  }

  async exists(type: KeyType, attributes: readonly string[]): Promise<boolean> {
    const bytes = await this.#ctx.stub.getState(this.key(type, attributes));
    return bytes.length > 0;
  }

  /**
   * Writes a record and, when `endorsers` is given, makes its key-level endorsement policy "a peer of each of those
   * organizations" for every later change of the key. The policy is written only when it differs from the key's
   * current one (creation, a change of parties), never again on an ordinary update: see {@link Ledger.putWithPolicy}.
   */
  async put(
    type: KeyType,
    attributes: readonly string[],
    value: unknown,
    endorsers?: readonly string[],
  ): Promise<void> {
    if (endorsers === undefined) {
      await this.#ctx.stub.putState(this.key(type, attributes), canonicalBytes(value));
    } else {
      await this.putWithPolicy(type, attributes, value, endorsementPolicy(endorsers));
    }
  }

  /**
   * Writes a record and sets its key-level endorsement policy (SignaturePolicyEnvelope bytes) when it differs from
   * the key's current one. An unchanged policy is not rewritten: a metadata write makes Fabric invalidate every later
   * transaction of the same block that writes the key with ENDORSEMENT_POLICY_FAILURE instead of an MVCC conflict.
   */
  async putWithPolicy(type: KeyType, attributes: readonly string[], value: unknown, policy: Uint8Array): Promise<void> {
    const key = this.key(type, attributes);
    await this.#ctx.stub.putState(key, canonicalBytes(value));
    const current = await this.#ctx.stub.getStateValidationParameter(key);
    if (!sameBytes(current, policy)) {
      await this.#ctx.stub.setStateValidationParameter(key, policy);
    }
  }

  /** Deletes a key (its key-level policy validates the deletion, and goes with it). */
  async delete(type: KeyType, attributes: readonly string[]): Promise<void> {
    await this.#ctx.stub.deleteState(this.key(type, attributes));
  }

  async list<T>(type: KeyType, attributes: readonly string[], parse: Parser<T>): Promise<Entry<T>[]> {
    const iterator = (await this.#ctx.stub.getStateByPartialCompositeKey(type, [
      ...attributes,
    ])) as unknown as StateIterator<StateKV>;
    return this.#drain(iterator, parse, Number.MAX_SAFE_INTEGER);
  }

  /**
   * One page of the records under a partial composite key. Only a bookmark that this same range returned is
   * accepted, and only keys inside the range are returned.
   *
   * @throws ValidationError when the bookmark lies outside the range.
   */
  async page<T>(
    type: KeyType,
    attributes: readonly string[],
    parse: Parser<T>,
    pageSize: number,
    bookmark: string,
  ): Promise<{ entries: Entry<T>[]; bookmark: string; fetchedCount: number }> {
    const prefix = this.key(type, attributes);
    // Fabric resumes a paginated range at the bookmark, whatever it is: one outside the requested prefix would
    // start the range elsewhere (another campaign's keys).
    if (bookmark !== '' && !bookmark.startsWith(prefix)) {
      throw new ValidationError('bookmark does not belong to this query; use the bookmark its previous page returned');
    }
    const response = await this.#ctx.stub.getStateByPartialCompositeKeyWithPagination(
      type,
      [...attributes],
      pageSize,
      bookmark,
    );
    const iterator = response.iterator as unknown as StateIterator<StateKV>;
    const entries = (await this.#drain(iterator, parse, pageSize)).filter((e) => e.key.startsWith(prefix));
    // fabric-shim omits `metadata` when the peer's is empty (nothing fetched, no next page), although
    // its type says otherwise.
    const metadata = response.metadata as typeof response.metadata | undefined;
    return {
      entries,
      bookmark: metadata?.bookmark ?? '',
      fetchedCount: metadata?.fetchedRecordsCount ?? 0,
    };
  }

  async history<T>(type: KeyType, attributes: readonly string[], parse: Parser<T>): Promise<HistoryEntry<T>[]> {
    const key = this.key(type, attributes);
    const iterator = (await this.#ctx.stub.getHistoryForKey(key)) as unknown as StateIterator<{
      isDelete: boolean;
      value: Uint8Array;
      timestamp: { seconds: { toString(): string }; nanos: number };
      txId: string;
    }>;
    const entries: HistoryEntry<T>[] = [];
    try {
      for (;;) {
        const result = await iterator.next();
        if (result.value !== undefined) {
          const modification = result.value;
          entries.push({
            txId: modification.txId,
            timestamp: new Date(timestampToMs(modification.timestamp)).toISOString(),
            isDelete: modification.isDelete,
            value:
              modification.isDelete || modification.value.length === 0 ? null : decode(modification.value, parse, key),
          });
        }
        if (result.done === true || result.value === undefined) {
          break;
        }
      }
    } finally {
      await iterator.close();
    }
    return entries;
  }

  async #drain<T>(iterator: StateIterator<StateKV>, parse: Parser<T>, limit: number): Promise<Entry<T>[]> {
    const entries: Entry<T>[] = [];
    try {
      while (entries.length < limit) {
        const result = await iterator.next();
        if (result.value !== undefined) {
          const { key, value } = result.value;
          entries.push({
            key,
            attributes: this.#ctx.stub.splitCompositeKey(key).attributes,
            value: decode(value, parse, key),
          });
        }
        if (result.done === true || result.value === undefined) {
          break;
        }
      }
    } finally {
      await iterator.close();
    }
    return entries;
  }
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

/** The key-level policy "one peer of each of these organizations", as Fabric's SignaturePolicyEnvelope bytes. */
export function endorsementPolicy(orgs: readonly string[]): Uint8Array {
  const policy = new KeyEndorsementPolicy();
  policy.addOrgs('PEER', ...[...new Set(orgs)].sort());
  return policy.getPolicy();
}
