import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { canonicalBytes } from '../canonical-json.js';
import { ValidationError } from '../errors.js';
import { partyCollectionName, partySet } from '@adrecon/contract';
import { readAsAbsent, recordAbsent, recordNew } from './absent-keys.js';
import { BOOKMARK_REFUSED, decodeBookmark, encodeBookmark } from './bookmark.js';
import { KEY_TYPES, type KeyType } from './keys.js';
import { recordPrivateWrite } from './written-collections.js';
import { recallParsed, rememberParsed } from './parsed-records.js';
import { markerOrUndefined, openRecord, sealRecord, sha256Hex, type PublicMarker } from './private-record.js';

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
 * Key types held in plain text on the channel: the role registry, which every organization must read, and a
 * report's `reportById` pointer, whose value holds only parts of its report's key name (campaign, line item,
 * period, source), which the report's public marker already shows: a private copy would add a private write to every
 * report and hide nothing (docs/trust-model.md).
 */
const PUBLIC_TYPES: ReadonlySet<KeyType> = new Set<KeyType>([
  KEY_TYPES.role,
  KEY_TYPES.roleChange,
  KEY_TYPES.reportById,
]);

/** Private key types whose history is read: each write also keeps a copy under its transaction ID. */
const HISTORY_TYPES: ReadonlySet<KeyType> = new Set<KeyType>([KEY_TYPES.campaign, KEY_TYPES.invoice]);

function historyKey(key: string, txId: string): string {
  return `${key}\u0000history\u0000${txId}`;
}

/**
 * Typed access to the ledger of one transaction: every read goes through a parser (validation), every write
 * through canonical JSON. Reads never see this transaction's own writes (Fabric semantics).
 *
 * Need to know (issue 8, `docs/trust-model.md`): the role registry is plain channel state; every other record is
 * private data in the collection of its parties ({@link partyCollectionName}), and the channel's state holds only
 * a {@link PublicMarker} under the same key (collection, members, salted hash). Range queries and key-level
 * policies run on the markers (phantom-protected, and allowed in a writing transaction, which a private range
 * query is not), values come from the collection. A record whose collection the caller's organization is not a
 * member of reads as absent, and so does a marker without its private value (one written without the parties).
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
    if (bytes.length === 0) {
      recordAbsent(this.#ctx, key);
      return undefined;
    }
    return PUBLIC_TYPES.has(type)
      ? decode(bytes, parse, key)
      : this.#private(key, markerOrUndefined(bytes, key), parse);
  }

  /**
   * A private record with its public marker's hash (what a commitment to it names), in one read of the key.
   *
   * @returns undefined when it is absent or the caller may not read it.
   */
  async getCommitted<T>(
    type: KeyType,
    attributes: readonly string[],
    parse: Parser<T>,
  ): Promise<{ value: T; hash: string } | undefined> {
    const key = this.key(type, attributes);
    const bytes = await this.#ctx.stub.getState(key);
    if (bytes.length === 0) {
      recordAbsent(this.#ctx, key);
      return undefined;
    }
    const marker = markerOrUndefined(bytes, key);
    const value = await this.#private(key, marker, parse);
    return value === undefined || marker === undefined ? undefined : { value, hash: marker.h };
  }

  /** Whether the key exists on the channel (visible to the caller or not: for uniqueness checks). */
  async exists(type: KeyType, attributes: readonly string[]): Promise<boolean> {
    const key = this.key(type, attributes);
    const bytes = await this.#ctx.stub.getState(key);
    if (bytes.length === 0) recordAbsent(this.#ctx, key);
    return bytes.length > 0;
  }

  /**
   * Declares a key new by construction (see {@link recordNew}): its first write sets its key-level policy without
   * reading the current one.
   */
  presumeNew(type: KeyType, attributes: readonly string[]): void {
    recordNew(this.#ctx, this.key(type, attributes));
  }

  /** Whether this transaction read the key and found nothing. */
  readAbsent(type: KeyType, attributes: readonly string[]): boolean {
    return readAsAbsent(this.#ctx, this.key(type, attributes));
  }

  /** The public marker of a private record, which any organization may read. */
  async marker(type: KeyType, attributes: readonly string[]): Promise<PublicMarker | undefined> {
    const key = this.key(type, attributes);
    const bytes = await this.#ctx.stub.getState(key);
    return bytes.length === 0 || PUBLIC_TYPES.has(type) ? undefined : markerOrUndefined(bytes, key);
  }

  /**
   * Writes a record and, when `endorsers` is given, makes its key-level endorsement policy "a peer of each of those
   * organizations" for every later change of the key. The policy is written only when it differs from the key's
   * current one (creation, a change of parties), never again on an ordinary update: see {@link Ledger.putWithPolicy}.
   * A private record (every type but the role registry's) is written into the collection of `endorsers`, which
   * must be given; `facts` are the non-identifying fields its public marker carries.
   *
   * @returns a private record's public hash (its marker's `h`), undefined for a public one.
   */
  async put(
    type: KeyType,
    attributes: readonly string[],
    value: unknown,
    endorsers?: readonly string[],
    facts?: Readonly<{ live?: boolean }>,
  ): Promise<string | undefined> {
    if (PUBLIC_TYPES.has(type)) {
      if (endorsers === undefined) {
        await this.#ctx.stub.putState(this.key(type, attributes), canonicalBytes(value));
      } else {
        await this.putWithPolicy(type, attributes, value, endorsementPolicy(endorsers));
      }
      return undefined;
    }
    if (endorsers === undefined || endorsers.length === 0) {
      throw new Error(`unreachable: a ${type} record is private and needs its parties`);
    }
    const key = this.key(type, attributes);
    const collection = partyCollectionName(endorsers);
    const bytes = sealRecord(this.#ctx, key, value);
    await this.#ctx.stub.putPrivateData(collection, key, bytes);
    recordPrivateWrite(this.#ctx, partySet(endorsers));
    if (HISTORY_TYPES.has(type)) {
      await this.#ctx.stub.putPrivateData(collection, historyKey(key, this.#ctx.stub.getTxID()), bytes);
    }
    const marker: PublicMarker = { c: collection, m: partySet(endorsers), h: sha256Hex(bytes), ...facts };
    await this.putWithPolicy(type, attributes, marker, endorsementPolicy(endorsers));
    return marker.h;
  }

  /**
   * Writes a value on the channel and sets its key-level endorsement policy (SignaturePolicyEnvelope bytes) when it
   * differs from the key's current one. An unchanged policy is not rewritten: a metadata write makes Fabric
   * invalidate every later transaction of the same block that writes the key with ENDORSEMENT_POLICY_FAILURE instead
   * of an MVCC conflict. A key this transaction read as absent has no policy yet: its current one is not read.
   */
  async putWithPolicy(type: KeyType, attributes: readonly string[], value: unknown, policy: Uint8Array): Promise<void> {
    const key = this.key(type, attributes);
    await this.#ctx.stub.putState(key, canonicalBytes(value));
    const current = readAsAbsent(this.#ctx, key) ? undefined : await this.#ctx.stub.getStateValidationParameter(key);
    if (!sameBytes(current, policy)) {
      await this.#ctx.stub.setStateValidationParameter(key, policy);
    }
  }

  /** Deletes a key, and a private record's value (its key-level policy validates the deletion, and goes with it). */
  async delete(type: KeyType, attributes: readonly string[]): Promise<void> {
    const key = this.key(type, attributes);
    if (!PUBLIC_TYPES.has(type)) {
      const marker = await this.marker(type, attributes);
      if (marker !== undefined) {
        await this.#ctx.stub.deletePrivateData(marker.c, key);
      }
    }
    await this.#ctx.stub.deleteState(key);
  }

  async list<T>(type: KeyType, attributes: readonly string[], parse: Parser<T>): Promise<Entry<T>[]> {
    const iterator = (await this.#ctx.stub.getStateByPartialCompositeKey(type, [
      ...attributes,
    ])) as unknown as StateIterator<StateKV>;
    return this.#drain(type, iterator, parse, Number.MAX_SAFE_INTEGER);
  }

  /** The attributes of every key under a partial composite key, visible to the caller or not (no values read). */
  async listKeys(type: KeyType, attributes: readonly string[]): Promise<string[][]> {
    const iterator = (await this.#ctx.stub.getStateByPartialCompositeKey(type, [
      ...attributes,
    ])) as unknown as StateIterator<StateKV>;
    const keys: string[][] = [];
    try {
      for (;;) {
        const result = await iterator.next();
        if (result.value !== undefined) {
          keys.push(this.#ctx.stub.splitCompositeKey(result.value.key).attributes);
        }
        if (result.done === true || result.value === undefined) {
          break;
        }
      }
    } finally {
      await iterator.close();
    }
    return keys;
  }

  /**
   * One page of the records under a partial composite key that the caller may read: {@link Ledger.pageOver} with one
   * range.
   *
   * @throws ValidationError when the bookmark is not one this range returned.
   */
  async page<T>(
    type: KeyType,
    attributes: readonly string[],
    parse: Parser<T>,
    pageSize: number,
    bookmark: string,
  ): Promise<{ entries: Entry<T>[]; bookmark: string; fetchedCount: number }> {
    return this.pageOver(type, [attributes], parse, pageSize, bookmark);
  }

  /**
   * One page of the records the caller may read under one or more partial composite keys (`ranges`, e.g. one per
   * line item the caller may see), in key order. Leak-free (issue 8 item 6): the bookmark returned names the first
   * readable record of the next page ({@link encodeBookmark}), never a key the caller may not see; `fetchedCount`
   * counts the records returned only; a bookmark is accepted only when it lies inside one of the ranges, so a forged
   * one cannot reach outside them, and inside them only readable records are ever returned.
   *
   * @throws ValidationError when the bookmark is not one these ranges returned.
   */
  async pageOver<T>(
    type: KeyType,
    ranges: readonly (readonly string[])[],
    parse: Parser<T>,
    pageSize: number,
    bookmark: string,
  ): Promise<{ entries: Entry<T>[]; bookmark: string; fetchedCount: number }> {
    const sorted = ranges
      .map((attributes) => ({ attributes, prefix: this.key(type, attributes) }))
      .sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
    let resume = bookmark === '' ? undefined : decodeBookmark(bookmark);
    // Fabric resumes a paginated range at the bookmark, whatever it is: one outside the requested prefixes would
    // start the range elsewhere (another campaign's keys).
    if (resume !== undefined && !sorted.some((r) => resume?.startsWith(r.prefix) === true)) {
      throw new ValidationError(BOOKMARK_REFUSED);
    }
    const entries: Entry<T>[] = [];
    for (const { attributes, prefix } of sorted) {
      let cursor = '';
      if (resume !== undefined) {
        if (!resume.startsWith(prefix)) continue;
        cursor = resume;
        resume = undefined;
      }
      for (;;) {
        const response = await this.#ctx.stub.getStateByPartialCompositeKeyWithPagination(
          type,
          [...attributes],
          pageSize + 1 - entries.length,
          cursor,
        );
        const iterator = response.iterator as unknown as StateIterator<StateKV>;
        const found = await this.#drain(type, iterator, parse, pageSize + 1 - entries.length);
        entries.push(...found.filter((e) => e.key.startsWith(prefix)));
        const next = entries[pageSize];
        if (next !== undefined) {
          entries.length = pageSize;
          return { entries, bookmark: encodeBookmark(next.key), fetchedCount: entries.length };
        }
        // fabric-shim omits `metadata` when the peer's is empty (nothing fetched, no next page), although
        // its type says otherwise.
        const metadata = response.metadata as typeof response.metadata | undefined;
        const following = metadata?.bookmark ?? '';
        if (following === '' || !following.startsWith(prefix) || following === cursor) break;
        cursor = following;
      }
    }
    return { entries, bookmark: '', fetchedCount: entries.length };
  }

  async history<T>(type: KeyType, attributes: readonly string[], parse: Parser<T>): Promise<HistoryEntry<T>[]> {
    const key = this.key(type, attributes);
    const iterator = (await this.#ctx.stub.getHistoryForKey(key)) as unknown as StateIterator<{
      isDelete: boolean;
      value: Uint8Array;
      timestamp: { seconds: { toString(): string }; nanos: number };
      txId: string;
    }>;
    const modifications: { txId: string; timestamp: string; isDelete: boolean; value: Uint8Array }[] = [];
    try {
      for (;;) {
        const result = await iterator.next();
        if (result.value !== undefined) {
          const m = result.value;
          modifications.push({
            txId: m.txId,
            timestamp: new Date(timestampToMs(m.timestamp)).toISOString(),
            isDelete: m.isDelete,
            value: m.value,
          });
        }
        if (result.done === true || result.value === undefined) {
          break;
        }
      }
    } finally {
      await iterator.close();
    }
    const entries: HistoryEntry<T>[] = [];
    for (const m of modifications) {
      let value: T | null = null;
      if (!m.isDelete && m.value.length > 0) {
        value = PUBLIC_TYPES.has(type)
          ? decode(m.value, parse, key)
          : ((await this.#privateVersion(key, markerOrUndefined(m.value, key), m.txId, parse)) ?? null);
      }
      entries.push({ txId: m.txId, timestamp: m.timestamp, isDelete: m.isDelete, value });
    }
    return entries;
  }

  #visible(marker: PublicMarker): boolean {
    return marker.m.includes(this.#ctx.clientIdentity.getMSPID());
  }

  async #private<T>(key: string, marker: PublicMarker | undefined, parse: Parser<T>): Promise<T | undefined> {
    if (marker === undefined || !this.#visible(marker)) {
      return undefined;
    }
    const bytes = await this.#ctx.stub.getPrivateData(marker.c, key);
    if (bytes.length === 0) {
      return undefined;
    }
    const known = recallParsed(parse, marker.h);
    if (known !== undefined && sha256Hex(bytes) === marker.h) {
      return known;
    }
    const value = parse(openRecord(bytes, marker, key));
    rememberParsed(parse, marker.h, value);
    return value;
  }

  /** A private record as one transaction wrote it: the current value, or the copy kept under its transaction. */
  async #privateVersion<T>(
    key: string,
    marker: PublicMarker | undefined,
    txId: string,
    parse: Parser<T>,
  ): Promise<T | undefined> {
    if (marker === undefined || !this.#visible(marker)) {
      return undefined;
    }
    const current = await this.#ctx.stub.getPrivateData(marker.c, key);
    if (current.length > 0 && sha256Hex(current) === marker.h) {
      return parse(openRecord(current, marker, key));
    }
    const copy = await this.#ctx.stub.getPrivateData(marker.c, historyKey(key, txId));
    return copy.length === 0 ? undefined : parse(openRecord(copy, marker, key));
  }

  async #drain<T>(
    type: KeyType,
    iterator: StateIterator<StateKV>,
    parse: Parser<T>,
    limit: number,
  ): Promise<Entry<T>[]> {
    const found: StateKV[] = [];
    try {
      while (found.length < limit) {
        const result = await iterator.next();
        if (result.value !== undefined) {
          found.push({ key: result.value.key, value: result.value.value });
        }
        if (result.done === true || result.value === undefined) {
          break;
        }
      }
    } finally {
      await iterator.close();
    }
    const entries: Entry<T>[] = [];
    for (const { key, value } of found) {
      const parsed = PUBLIC_TYPES.has(type)
        ? decode(value, parse, key)
        : await this.#private(key, markerOrUndefined(value, key), parse);
      if (parsed !== undefined) {
        entries.push({ key, attributes: this.#ctx.stub.splitCompositeKey(key).attributes, value: parsed });
      }
    }
    return entries;
  }
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

/** Policy bytes by sorted organization list: a campaign's few party sets recur on every record it writes. */
const policyCache = new Map<string, Uint8Array>();
const POLICY_CACHE_LIMIT = 1024;

/**
 * The key-level policy "one peer of each of these organizations", as Fabric's SignaturePolicyEnvelope bytes.
 * Building it through fabric-shim's protobuf classes cost about as much chaincode CPU as the rest of a report's
 * writes together (docs/benchmarks.md), so the bytes are kept per organization set (a pure function of it); callers
 * must not change the array returned.
 */
export function endorsementPolicy(orgs: readonly string[]): Uint8Array {
  const sorted = [...new Set(orgs)].sort();
  const cacheKey = sorted.join('\u0000');
  let bytes = policyCache.get(cacheKey);
  if (bytes === undefined) {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', ...sorted);
    bytes = policy.getPolicy();
    if (policyCache.size >= POLICY_CACHE_LIMIT) policyCache.clear();
    policyCache.set(cacheKey, bytes);
  }
  return bytes;
}
