import { createHash } from 'node:crypto';
import { TRANSIENT_KEYS } from '@adrecon/contract';
import type { Context } from 'fabric-contract-api';
import { canonicalBytes } from '../canonical-json.js';
import { ValidationError } from '../errors.js';

/**
 * What the channel's world state holds for a private record: the collection that holds its plain text, that
 * collection's members (who may read it), the SHA-256 of the private bytes (the hash Fabric also puts on every
 * block), and the few non-identifying facts that checks of non-parties need (`live`, for role changes).
 */
export interface PublicMarker {
  c: string;
  m: string[];
  h: string;
  live?: boolean;
}

/** The private bytes of a record: its value and a salt, so that its public hash cannot be guessed from values. */
interface Envelope {
  s: string;
  v: unknown;
}

/** SHA-256 hex of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The salt of one key in this transaction: from the client's transient salt when there is one (unguessable), else
 * from the transaction ID (a client that sends no salt gets no protection against guessing).
 */
export function recordSalt(ctx: Context, key: string): string {
  const transient = ctx.stub.getTransient().get(TRANSIENT_KEYS.salt);
  const base =
    transient !== undefined && transient.length > 0 ? Buffer.from(transient) : Buffer.from(ctx.stub.getTxID());
  return createHash('sha256').update(base).update('\0').update(key).digest('hex');
}

/** The private bytes of a value under a key. */
export function sealRecord(ctx: Context, key: string, value: unknown): Uint8Array {
  return canonicalBytes({ s: recordSalt(ctx, key), v: value } satisfies Envelope);
}

/**
 * The value inside private bytes, checked against the public marker's hash.
 *
 * @throws ValidationError when the bytes are not an envelope or do not match the hash.
 */
export function openRecord(bytes: Uint8Array, marker: PublicMarker, key: string): unknown {
  if (sha256Hex(bytes) !== marker.h) {
    throw new ValidationError(`the private value of ${JSON.stringify(key)} does not match its public hash`);
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch (err) {
    throw new ValidationError(`stored value of ${JSON.stringify(key)} is not JSON`, { cause: err });
  }
  if (typeof envelope !== 'object' || envelope === null || !('v' in envelope) || !('s' in envelope)) {
    throw new ValidationError(`stored value of ${JSON.stringify(key)} is not a private record`);
  }
  return (envelope as Envelope).v;
}

/**
 * A public marker, or undefined when the bytes are not one. Any 3 organizations may create a public key (the
 * chaincode-level policy), so a value that is not a marker is a forgery without its private value: absent.
 */
export function markerOrUndefined(bytes: Uint8Array, key: string): PublicMarker | undefined {
  try {
    return parseMarker(bytes, key);
  } catch {
    return undefined;
  }
}

/**
 * Parses a public marker.
 *
 * @throws ValidationError when the bytes are not one.
 */
export function parseMarker(bytes: Uint8Array, key: string): PublicMarker {
  let plain: unknown;
  try {
    plain = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch (err) {
    throw new ValidationError(`stored value of ${JSON.stringify(key)} is not JSON`, { cause: err });
  }
  const m = plain as Partial<PublicMarker> | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    typeof m.c !== 'string' ||
    typeof m.h !== 'string' ||
    !Array.isArray(m.m) ||
    !m.m.every((x) => typeof x === 'string') ||
    (m.live !== undefined && typeof m.live !== 'boolean')
  ) {
    throw new ValidationError(`stored value of ${JSON.stringify(key)} is not a public marker`);
  }
  return { c: m.c, m: m.m, h: m.h, ...(m.live === undefined ? {} : { live: m.live }) };
}
