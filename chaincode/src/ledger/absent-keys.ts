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
 * Records that a key is new by construction, without a read of its own: a delivery report's key holds its reporter
 * and report ID, whose `reportById` pointer this transaction read as absent (every report is written with its
 * pointer). Its policy is then written without reading the current one first: the key ends with the same policy
 * either way (a forged key's policy, if any, still validates this write), one round trip fewer per report.
 */
export function recordNew(ctx: Context, key: string): void {
  recordAbsent(ctx, key);
}

/**
 * Whether this transaction read the key as absent (or knows it new, {@link recordNew}): it has no key-level policy
 * then, and a write of it need not read its validation parameter (one round trip to the peer fewer per new record).
 */
export function readAsAbsent(ctx: Context, key: string): boolean {
  return absent.get(ctx.stub)?.has(key) === true;
}
