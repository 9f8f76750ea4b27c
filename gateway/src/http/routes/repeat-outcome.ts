import { isAppError } from '../../errors';
import type { RouteResult } from '../route-definition';

/**
 * True when every field of `request` is in `record` with the same value, recursively (arrays element by element,
 * same length): the record is what this request would have created, plus the fields the chaincode adds.
 */
export function containsRequest(record: unknown, request: unknown): boolean {
  if (Array.isArray(request)) {
    return (
      Array.isArray(record) &&
      record.length === request.length &&
      request.every((item, index) => containsRequest(record[index], item))
    );
  }
  if (typeof request === 'object' && request !== null) {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
    const fields = record as Readonly<Record<string, unknown>>;
    return Object.entries(request).every(
      ([name, value]) => value === undefined || containsRequest(fields[name], value),
    );
  }
  return Object.is(record, request);
}

/** How {@link createOrRepeat} finds the record a refused create collided with. */
export interface RepeatCheck<R> {
  /** The record with the request's id, or undefined when there is none (the refusal had another reason). */
  readonly existing: () => Promise<R | undefined>;
  /** True when the existing record is what this request would have created (same caller, same content). */
  readonly matches: (record: R) => boolean;
}

/**
 * Runs a creating write. When the chaincode refuses it with `CONFLICT` because the id is taken (a client's retry
 * after a timeout, or the loser of identical concurrent requests after its new proposal), the existing record is
 * read: an identical one is answered 200 with that record (nothing created again), anything else keeps the 409.
 *
 * @throws {AppError} what `create` throws, except a CONFLICT answered by an identical existing record.
 */
export async function createOrRepeat<R>(
  create: () => Promise<RouteResult<R>>,
  check: Readonly<RepeatCheck<R>>,
): Promise<RouteResult<R>> {
  try {
    return await create();
  } catch (err) {
    if (!isAppError(err) || err.code !== 'CONFLICT') throw err;
    const record = await check.existing().catch(() => undefined);
    if (record === undefined || !check.matches(record)) throw err;
    return { data: record, status: 200 };
  }
}
