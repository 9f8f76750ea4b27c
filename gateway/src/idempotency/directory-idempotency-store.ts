import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { BeginResult, IdempotencyStore, StoredResponse } from './idempotency-store';
import { claimOwnerIsGone } from './claim-owner';
import { recordSchema, storedRecord } from './stored-record';

/** A claim older than this whose file cannot be read was torn by a crash while being written. */
const TORN_CLAIM_MS = 60_000;
/** Every this many completed keys, expired and surplus entries are swept from the folder. */
const SWEEP_EVERY = 100;

const entrySchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('claimed'),
    scope: z.string(),
    key: z.string(),
    requestHash: z.string(),
    pid: z.number().int(),
    claimedAt: z.number(),
  }),
  recordSchema.extend({ state: z.literal('done') }),
]);
type Entry = z.infer<typeof entrySchema>;

/**
 * The idempotency store shared by every gateway process of one organization (issue 14 item 5): one file per
 * (client, key) in the organization's state folder. A key is claimed by creating its file exclusively (`O_EXCL`,
 * atomic on a local file system), so two processes never both run the same request; the response then replaces
 * the claim atomically (write, fsync, rename). A claim left by a process that died is taken over. Nothing is held
 * in memory but this process's own claims; expired entries, and the oldest beyond `maxEntries`, are swept.
 */
class DirectoryIdempotencyStore implements IdempotencyStore {
  readonly #directory: string;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #claims = new Set<string>();
  #completed = 0;

  constructor(directory: string, ttlMs: number, maxEntries: number, now: () => number) {
    this.#directory = directory;
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#now = now;
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    this.#sweep();
  }

  #file(scope: string, key: string): string {
    const name = createHash('sha256')
      .update(JSON.stringify([scope, key]))
      .digest('hex');
    return path.join(this.#directory, `${name}.json`);
  }

  #read(file: string): Entry | 'torn' | undefined {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return entrySchema.parse(JSON.parse(text));
    } catch {
      return 'torn';
    }
  }

  begin(scope: string, key: string, requestHash: string): BeginResult {
    const file = this.#file(scope, key);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const entry: Entry = { state: 'claimed', scope, key, requestHash, pid: process.pid, claimedAt: this.#now() };
        fs.writeFileSync(file, JSON.stringify(entry), { flag: 'wx', mode: 0o600 });
        this.#claims.add(file);
        return { kind: 'new' };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const found = this.#read(file);
      if (found === undefined) continue; // released between our attempt and our read
      if (found === 'torn') {
        const age = this.#now() - fs.statSync(file).mtimeMs;
        if (age < TORN_CLAIM_MS) return { kind: 'in-progress' };
        fs.rmSync(file, { force: true });
        continue;
      }
      if (found.state === 'done') {
        if (this.#now() - found.createdAt > this.#ttlMs) {
          fs.rmSync(file, { force: true });
          continue;
        }
        if (found.requestHash !== requestHash) return { kind: 'mismatch' };
        return { kind: 'replay', response: { status: found.status, body: found.body } };
      }
      const ours = this.#claims.has(file);
      if (!ours && claimOwnerIsGone(found.pid, found.claimedAt)) {
        // The process that claimed it died before answering (its PID gone, a zombie, or reused): its request got no
        // answer, so it may run again. A retry still commits at most once: the chaincode's duplicate checks.
        fs.rmSync(file, { force: true });
        continue;
      }
      return found.requestHash === requestHash ? { kind: 'in-progress' } : { kind: 'mismatch' };
    }
    return { kind: 'in-progress' };
  }

  complete(scope: string, key: string, requestHash: string, response: StoredResponse): void {
    const file = this.#file(scope, key);
    const entry: Entry = { state: 'done', ...storedRecord(scope, key, requestHash, response, this.#now()) };
    const temporary = `${file}.${String(process.pid)}.tmp`;
    try {
      const fd = fs.openSync(temporary, 'w', 0o600);
      try {
        fs.writeSync(fd, JSON.stringify(entry));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temporary, file);
    } finally {
      this.#claims.delete(file);
    }
    if (++this.#completed % SWEEP_EVERY === 0) this.#sweep();
  }

  abandon(scope: string, key: string): void {
    const file = this.#file(scope, key);
    if (this.#claims.delete(file)) fs.rmSync(file, { force: true });
  }

  get size(): number {
    return this.#entries().length;
  }

  close(): void {
    for (const file of this.#claims) fs.rmSync(file, { force: true });
    this.#claims.clear();
  }

  #entries(): string[] {
    return fs.readdirSync(this.#directory).filter((name) => name.endsWith('.json'));
  }

  /** Drops expired responses, then the oldest beyond the bound (claims in progress are kept). */
  #sweep(): void {
    const done: { file: string; createdAt: number }[] = [];
    for (const name of this.#entries()) {
      const file = path.join(this.#directory, name);
      const entry = this.#read(file);
      if (entry === undefined || entry === 'torn' || entry.state !== 'done') continue;
      if (this.#now() - entry.createdAt > this.#ttlMs) fs.rmSync(file, { force: true });
      else done.push({ file, createdAt: entry.createdAt });
    }
    done.sort((a, b) => a.createdAt - b.createdAt);
    for (const { file } of done.slice(0, Math.max(0, done.length - this.#maxEntries))) fs.rmSync(file, { force: true });
  }
}

/**
 * Opens the store shared by the gateway processes of one organization in `directory`.
 * @throws {Error} when the folder cannot be created or read.
 */
export function openDirectoryIdempotencyStore(
  directory: string,
  ttlMs: number,
  maxEntries: number,
  now: () => number = Date.now,
): IdempotencyStore {
  return new DirectoryIdempotencyStore(directory, ttlMs, maxEntries, now);
}
