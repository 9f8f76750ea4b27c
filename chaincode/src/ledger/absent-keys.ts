import type { Context } from 'fabric-contract-api';

const absent = new WeakMap<object, Set<string>>();

/**
 * Records that this transaction read a channel key and found nothing. Fabric put that read (version "none") into
 * the transaction's read set, so the key cannot have been created by the time this transaction commits as valid.
 */
export function recordAbsent(ctx: Context, key: string): void {
  const set = absent.get(ctx.stub) ?? new Set<string>();
  set.add(key);
  absent.set(ctx.stub, set);
}

/**
 * Whether this transaction read the key as absent: it has no key-level policy then, and a write of it need not read
 * its validation parameter (one round trip to the peer fewer per new record).
 */
export function readAsAbsent(ctx: Context, key: string): boolean {
  return absent.get(ctx.stub)?.has(key) === true;
}
