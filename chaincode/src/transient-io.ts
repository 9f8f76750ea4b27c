import { createCipheriv, createHash } from 'node:crypto';
import { SEAL_NONCE_BYTES, TRANSIENT_KEYS } from '@adrecon/contract';
import type { Context } from 'fabric-contract-api';
import { ValidationError } from './errors.js';
import { writtenParties } from './ledger/written-collections.js';

/**
 * The transaction's arguments: those of the transient map when the client sent them there (a confidential write),
 * in which case every argument of the proposal must be an empty placeholder; else the proposal's own.
 *
 * @throws ValidationError when the transient arguments are not a JSON array of as many strings, or the proposal's
 * arguments are not placeholders.
 */
export function transactionArguments(ctx: Context, parameters: readonly unknown[]): unknown[] {
  const transient = ctx.stub.getTransient().get(TRANSIENT_KEYS.args);
  if (transient === undefined) {
    return [...parameters];
  }
  let args: unknown;
  try {
    args = JSON.parse(Buffer.from(transient).toString('utf8')) as unknown;
  } catch (err) {
    throw new ValidationError('transient arguments are not JSON', { cause: err });
  }
  if (
    !Array.isArray(args) ||
    args.length !== parameters.length ||
    !args.every((a) => typeof a === 'string') ||
    !parameters.every((p) => p === '')
  ) {
    throw new ValidationError(
      `transient arguments must be a JSON array of ${String(parameters.length)} strings, with empty arguments`,
    );
  }
  return args;
}

/**
 * An endorsement plan when the client asked for one (`{"endorsers": [...]}`, see `TRANSIENT_KEYS.plan`), else the
 * response as it goes into the block: encrypted (AES-256-GCM, base64 of ciphertext and tag) with the
 * transient seal key when the client sent one, else as it is. The nonce comes from the transaction ID, so every
 * endorser returns the same bytes.
 *
 * @throws ValidationError when the seal key is not 32 bytes.
 */
export function sealResponse(ctx: Context, response: unknown): unknown {
  if (ctx.stub.getTransient().get(TRANSIENT_KEYS.plan) !== undefined) {
    return JSON.stringify({ endorsers: writtenParties(ctx) });
  }
  const key = ctx.stub.getTransient().get(TRANSIENT_KEYS.sealKey);
  if (key === undefined || typeof response !== 'string') {
    return response;
  }
  if (key.length !== 32) {
    throw new ValidationError('the transient seal key must be 32 bytes');
  }
  const nonce = createHash('sha256').update(ctx.stub.getTxID()).digest().subarray(0, SEAL_NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), nonce);
  const sealed = Buffer.concat([cipher.update(response, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return sealed.toString('base64');
}
