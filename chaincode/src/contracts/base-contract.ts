import { Context, Contract } from 'fabric-contract-api';
import { ValidationError } from '../errors.js';

/** What every adrecon contract shares: an unknown transaction name fails with a coded message. */
export abstract class BaseContract extends Contract {
  /**
   * @throws ValidationError always, naming the transaction that does not exist.
   */
  override unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    return Promise.reject(new ValidationError(`transaction ${JSON.stringify(fcn)} does not exist`));
  }
}
