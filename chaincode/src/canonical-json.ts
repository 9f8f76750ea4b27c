/** A JSON value as the ledger stores it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function canonicalize(value: unknown, path: string): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new TypeError(`cannot serialize the non-finite number at ${path}`);
    }
    return value;
  }
  if (value === undefined) {
    return undefined;
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) => canonicalize(item, `${path}[${index}]`) ?? null);
  }
  if (typeof value === 'object') {
    const result: Record<string, JsonValue> = {};
    for (const key of Object.keys(value).sort()) {
      const item = canonicalize((value as Record<string, unknown>)[key], `${path}.${key}`);
      if (item !== undefined) {
        result[key] = item;
      }
    }
    return result;
  }
  throw new TypeError(`cannot serialize a ${typeof value} at ${path}`);
}

/**
 * Serializes a value as JSON with the keys of every object sorted (code-unit order), `undefined` fields left out,
 * so that every endorsing peer writes and returns exactly the same bytes.
 *
 * @throws TypeError for values JSON cannot represent (functions, symbols, bigint, non-finite numbers).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value, '$') ?? null);
}

/** {@link canonicalJson} as UTF-8 bytes, the form written to the world state. */
export function canonicalBytes(value: unknown): Uint8Array {
  return Buffer.from(canonicalJson(value), 'utf8');
}
