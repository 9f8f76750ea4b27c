const HASH_HEX = /^[0-9a-f]{64}$/;

/** Length in bytes of a SHA-256 digest. */
export const HASH_BYTES = 32;

/** True when `value` is a SHA-256 digest written as 64 lowercase hex characters. */
export function isHashHex(value: unknown): value is string {
  return typeof value === 'string' && HASH_HEX.test(value);
}

/** Short, printable description of an untrusted value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `${JSON.stringify(shown)} (length ${value.length})`;
  }
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  return value === undefined ? 'nothing' : `a value of type ${typeof value}`;
}
