/** At most this many parsed records are kept per parser; the oldest goes first. */
const LIMIT = 512;

const byParser = new WeakMap<object, Map<string, unknown>>();

/**
 * The value a parser made of a private record whose bytes have this SHA-256 (its public marker's hash), when this
 * chaincode server parsed those bytes before: a copy, so that callers may change it. A record's bytes hold a salt
 * that changes on every write, so a hash names one version of one record; the parsers are pure functions of the
 * bytes, so the value is what parsing again would give (every endorser still reads the bytes, and checks their hash).
 * Parsing a campaign with its schema cost more chaincode CPU than the rest of a delivery report (docs/benchmarks.md).
 */
export function recallParsed<T>(parse: (value: unknown) => T, hash: string): T | undefined {
  const found = byParser.get(parse)?.get(hash);
  return found === undefined ? undefined : structuredClone(found as T);
}

/** Remembers what a parser made of the private record with this hash (see {@link recallParsed}). */
export function rememberParsed<T>(parse: (value: unknown) => T, hash: string, value: T): void {
  if (value === undefined) return;
  let cache = byParser.get(parse);
  if (cache === undefined) {
    cache = new Map();
    byParser.set(parse, cache);
  }
  if (cache.size >= LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(hash, structuredClone(value));
}
