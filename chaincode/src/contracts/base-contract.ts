import { Context, Contract } from 'fabric-contract-api';
import { requireUserPermission } from '../access.js';
import { ValidationError } from '../errors.js';
import { requireTimelyProposal } from '../time-guard.js';

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
   * @throws ValidationError always, naming the transaction that does not exist.
   */
  override unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    return Promise.reject(new ValidationError(`transaction ${JSON.stringify(fcn)} does not exist`));
  }
}
