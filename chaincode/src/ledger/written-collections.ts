import type { Context } from 'fabric-contract-api';

const written = new WeakMap<object, Set<string>>();

/** Records that this transaction writes a private record for these members (see {@link writtenParties}). */
export function recordPrivateWrite(ctx: Context, members: readonly string[]): void {
  const set = written.get(ctx.stub) ?? new Set<string>();
  for (const m of members) set.add(m);
  written.set(ctx.stub, set);
}

/**
 * The members of every collection this transaction wrote so far, sorted: the organizations that must endorse it
 * (each collection's endorsement policy needs all its members).
 */
export function writtenParties(ctx: Context): string[] {
  return [...(written.get(ctx.stub) ?? [])].sort();
}
