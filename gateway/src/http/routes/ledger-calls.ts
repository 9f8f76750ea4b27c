import type { Submitted } from '../../ledger/ledger-contract';
import type { RouteResult } from '../route-definition';

/** The answer to a committed write: its result, transaction ID and block (201 when `status` says so). */
export function written<R>(submitted: Submitted<R>, status?: number): RouteResult<R> {
  return {
    data: submitted.result,
    transactionId: submitted.transactionId,
    block: submitted.blockNumber,
    ...(status === undefined ? {} : { status }),
  };
}

/** The answer to a read. */
export function readResult<R>(data: R): RouteResult<R> {
  return { data };
}

/**
 * The answer to a committed write that every party endorsed, whose own result is only the all-parties record (no
 * line item's terms, issue 8): the record as the caller reads it on its own peer once committed (`view`, with the
 * terms of the line items it may see), with the write's transaction ID and block.
 *
 * @throws what `view` throws.
 */
export async function writtenAs<R>(submitted: Submitted<unknown>, view: () => Promise<R>): Promise<RouteResult<R>> {
  return { data: await view(), transactionId: submitted.transactionId, block: submitted.blockNumber };
}
