import { Context, Contract } from 'fabric-contract-api';
import { requireUserPermission } from '../access.js';
import { ValidationError } from '../errors.js';
import { requireTimelyProposal } from '../time-guard.js';
import { sealResponse, transactionArguments } from '../transient-io.js';

/**
 * What every adrecon contract shares: a proposal whose timestamp is far from the peer's clock is not endorsed, and
 * an unknown transaction name fails with a coded message.
 */
export abstract class BaseContract extends Contract {
  /**
   * Runs before every transaction: refuses a proposal whose transaction timestamp is more than 5 minutes from this
   * peer's clock (see `requireTimelyProposal`), and a write by a user whose certificate's role does not allow it
   * (see `requireUserPermission`).
   *
   * @throws ValidationError when the timestamp is off; ForbiddenError when the user's role does not allow the write.
   */
  override beforeTransaction(ctx: Context): Promise<void> {
    try {
      requireTimelyProposal(ctx);
      requireUserPermission(ctx);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return Promise.resolve();
  }

  /**
   * Runs the transaction with its confidential arguments from the transient map when the client sent them there,
   * and seals its response when the client sent a seal key (see `transient-io.ts`).
   *
   * @throws ValidationError when the transient inputs are malformed.
   */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the signature fabric-contract-api declares
  override async aroundTransaction(ctx: Context, fn: Function, parameters: unknown): Promise<void> {
    const args = transactionArguments(ctx, parameters as unknown[]);
    // fabric-contract-api declares Promise<void> but passes on what the transaction returns.
    const around = super.aroundTransaction.bind(this) as (
      ctx: Context,
      fn: Parameters<Contract['aroundTransaction']>[1],
      parameters: unknown,
    ) => Promise<unknown>;
    const response = await around(ctx, fn, args);
    return sealResponse(ctx, response) as undefined;
  }

  /**
   * @throws ValidationError always, naming the transaction that does not exist.
   */
  override unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    return Promise.reject(new ValidationError(`transaction ${JSON.stringify(fcn)} does not exist`));
  }
}
