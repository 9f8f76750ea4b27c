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
