import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDirectoryIdempotencyStore } from './directory-idempotency-store';
import { recordSchema, storedRecord, type StoredRecord } from './stored-record';

/** A response kept for replay. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

/** What {@link IdempotencyStore.begin} found. */
export type BeginResult =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in-progress' };

/** Remembers the first response to each (client, Idempotency-Key). */
export interface IdempotencyStore {
  /** Claims a key for a request, or reports why it cannot be processed again. */
  begin(scope: string, key: string, requestHash: string): BeginResult;
  /** Records the response of a claimed key (durably) and releases the claim. */
  complete(scope: string, key: string, requestHash: string, response: StoredResponse): void;
  /** Releases a claimed key without a response, so that a retry runs again. */
  abandon(scope: string, key: string): void;
  /** Responses held in memory: expired ones are dropped as new ones are recorded, and their number is bounded. */
  readonly size: number;
  close(): void;
}

function mapKey(scope: string, key: string): string {
  return JSON.stringify([scope, key]);
}

class FileIdempotencyStore implements IdempotencyStore {
  /** In creation order (Map keeps insertion order), so the oldest are evicted first. */
  readonly #records = new Map<string, StoredRecord>();
  readonly #inFlight = new Map<string, string>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  #fd: number | undefined;

  constructor(file: string | undefined, ttlMs: number, maxEntries: number, now: () => number) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#now = now;
    if (file === undefined) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          const record = recordSchema.parse(JSON.parse(line));
          if (!this.#expired(record)) this.#records.set(mapKey(record.scope, record.key), record);
        } catch {
          // A torn last line after a crash: its request never got an answer, so it is safe to forget.
        }
      }
    }
    const compacted = [...this.#records.values()].map((record) => `${JSON.stringify(record)}\n`).join('');
    const temporary = `${file}.tmp`;
    fs.writeFileSync(temporary, compacted, { mode: 0o600 });
    const tmpFd = fs.openSync(temporary, 'r');
    fs.fsyncSync(tmpFd);
    fs.closeSync(tmpFd);
    fs.renameSync(temporary, file);
    this.#fd = fs.openSync(file, 'a', 0o600);
  }

  begin(scope: string, key: string, requestHash: string): BeginResult {
    const id = mapKey(scope, key);
    const record = this.#records.get(id);
    if (record !== undefined && !this.#expired(record)) {
      if (record.requestHash !== requestHash) return { kind: 'mismatch' };
      return { kind: 'replay', response: { status: record.status, body: record.body } };
    }
    const claimed = this.#inFlight.get(id);
    if (claimed !== undefined) return claimed === requestHash ? { kind: 'in-progress' } : { kind: 'mismatch' };
    this.#inFlight.set(id, requestHash);
    return { kind: 'new' };
  }

  complete(scope: string, key: string, requestHash: string, response: StoredResponse): void {
    const id = mapKey(scope, key);
    const record = storedRecord(scope, key, requestHash, response, this.#now());
    try {
      if (this.#fd !== undefined) {
        fs.writeSync(this.#fd, `${JSON.stringify(record)}\n`);
        fs.fsyncSync(this.#fd);
      }
      this.#records.delete(id);
      this.#records.set(id, record);
      this.#evict();
    } finally {
      this.#inFlight.delete(id);
    }
  }

  abandon(scope: string, key: string): void {
    this.#inFlight.delete(mapKey(scope, key));
  }

  close(): void {
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Drops expired records (the oldest come first) and, beyond the bound, the oldest ones. */
  #evict(): void {
    for (const [id, record] of this.#records) {
      if (!this.#expired(record) && this.#records.size <= this.#maxEntries) break;
      this.#records.delete(id);
    }
  }

  /** Records held in memory (for tests and metrics). */
  get size(): number {
    return this.#records.size;
  }

  #expired(record: StoredRecord): boolean {
    return this.#now() - record.createdAt > this.#ttlMs;
  }
}

/** Options for {@link openIdempotencyStore}. */
export interface IdempotencyStoreOptions {
  /**
   * A folder shared by every gateway process of the organization: one file per key, claimed atomically
   * (`directory-idempotency-store.ts`). Takes precedence over `file`.
   */
  readonly directory?: string;
  /** Append-only JSONL log of one process, replayed and compacted on open; omit both for a memory-only store. */
  readonly file?: string;
  readonly ttlMs: number;
  /** Responses kept in memory at most; the oldest are forgotten first (default 100,000). */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * Opens the store: replays the log, drops expired entries, then appends each new response with fsync so that
 * keys survive a restart.
 * @throws {Error} when the file cannot be written.
 */
export function openIdempotencyStore(options: Readonly<IdempotencyStoreOptions>): IdempotencyStore {
  if (options.directory !== undefined) {
    return openDirectoryIdempotencyStore(options.directory, options.ttlMs, options.maxEntries ?? 100_000, options.now);
  }
  return new FileIdempotencyStore(options.file, options.ttlMs, options.maxEntries ?? 100_000, options.now ?? Date.now);
}
