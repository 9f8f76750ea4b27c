import { Context, Contract } from 'fabric-contract-api';
import { ValidationError } from '../errors.js';
import { requireTimelyProposal } from '../time-guard.js';

/**
 * What every adrecon contract shares: a proposal whose timestamp is far from the peer's clock is not endorsed, and
 * an unknown transaction name fails with a coded message.
 */
export abstract class BaseContract extends Contract {
  /**
   * Runs before every transaction: refuses a proposal whose transaction timestamp is more than 5 minutes from this
   * peer's clock (see `requireTimelyProposal`).
   *
   * @throws ValidationError when it is.
   */
  override beforeTransaction(ctx: Context): Promise<void> {
    requireTimelyProposal(ctx);
    return Promise.resolve();
  }

  /**
   * @throws ValidationError always, naming the transaction that does not exist.
   */
  override unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    return Promise.reject(new ValidationError(`transaction ${JSON.stringify(fcn)} does not exist`));
  }
}
