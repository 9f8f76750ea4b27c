import * as crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { AppError, isAppError } from '../errors';
import type { IdempotencyStore } from '../idempotency/idempotency-store';
import { canonicalJson } from './canonical-json';
import { setCommittedBlock } from './consistency';
import { errorBodyOf } from './response-envelope';

/** A response ready to send: its status and JSON body. */
export interface Outcome {
  readonly status: number;
  readonly payload: unknown;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Refusals of the request itself, which the same request would get again at any moment: remembered with the key.
 * Answers that depend on the moment (MVCC_READ_CONFLICT, INVALID_STATE, OVERPAYMENT, a 404 of a record that may
 * appear, LEDGER_BEHIND, every 5xx) are not: a retry with the same key runs again.
 */
const DETERMINISTIC_REFUSALS: ReadonlySet<string> = new Set([
  'VALIDATION_FAILED',
  'FORBIDDEN',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
]);

/**
 * Runs a POST under its `Idempotency-Key`: a repeat with the same body replays the stored response, another body
 * is refused, a concurrent repeat waits for nothing and is refused. Without a key it just runs.
 *
 * @throws {AppError} VALIDATION_FAILED (malformed key), IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_USE, or what
 * `run` throws (remembered only when it is a deterministic refusal of the request itself).
 */
export async function runIdempotently(
  store: IdempotencyStore,
  clientId: string,
  req: Request,
  res: Response,
  run: () => Promise<Outcome | undefined>,
): Promise<Outcome | undefined> {
  const key = req.get('idempotency-key');
  if (req.method !== 'POST' || key === undefined) {
    return run();
  }
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1..255 printable ASCII characters');
  }
  const rawBody: unknown = req.body ?? {};
  const requestHash = crypto
    .createHash('sha256')
    .update(`${req.method} ${req.path}\n${canonicalJson(rawBody)}`)
    .digest('hex');
  const claim = store.begin(clientId, key, requestHash);
  if (claim.kind === 'mismatch') {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with another request body');
  }
  if (claim.kind === 'in-progress') {
    throw new AppError('IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still in progress');
  }
  if (claim.kind === 'replay') {
    res.set('Idempotent-Replayed', 'true');
    const replayedBlock = (claim.response.body as { block?: unknown } | null)?.block;
    if (typeof replayedBlock === 'string') setCommittedBlock(res, BigInt(replayedBlock));
    return { status: claim.response.status, payload: claim.response.body };
  }
  try {
    const outcome = await run();
    if (outcome === undefined) {
      store.abandon(clientId, key);
      return undefined;
    }
    store.complete(clientId, key, requestHash, { status: outcome.status, body: outcome.payload });
    return outcome;
  } catch (err) {
    // Deterministic refusals are remembered; moment-dependent, server-side and ambiguous ones may be retried.
    if (isAppError(err) && DETERMINISTIC_REFUSALS.has(err.code)) {
      store.complete(clientId, key, requestHash, { status: err.status, body: errorBodyOf(err) });
    } else {
      store.abandon(clientId, key);
    }
    throw err;
  }
}
