import type { RouteContext, RouteResult } from '../route';

/** Evaluates a transaction as the caller's organization and wraps the result. */
export async function read(
  ctx: RouteContext<unknown, unknown, unknown>,
  transaction: string,
  ...args: string[]
): Promise<RouteResult> {
  return { data: await ctx.ledger.evaluate(ctx.principal.mspId, transaction, args) };
}

/** Submits a transaction as the caller's organization; the response carries its transaction ID and block. */
export async function write(
  ctx: RouteContext<unknown, unknown, unknown>,
  transaction: string,
  ...args: string[]
): Promise<RouteResult> {
  const { result, transactionId, blockNumber } = await ctx.ledger.submit(ctx.principal.mspId, transaction, args);
  return { data: result, transactionId, block: blockNumber };
}
