import { AsyncLocalStorage } from 'node:async_hooks';

/** The enrolled user a request acts as: the ledger client signs its transactions with that user's own identity. */
export interface ActingUser {
  /** The enrollment ID the organization's CA issued the user's certificate for. */
  readonly enrollmentId: string;
}

const storage = new AsyncLocalStorage<ActingUser>();

/** Runs `operation` (and everything it awaits) as `user`; without a user, as the organization's identity. */
export function runAsUser<T>(user: ActingUser | undefined, operation: () => T): T {
  return user === undefined ? operation() : storage.run(user, operation);
}

/** The user the current request acts as, if any. */
export function actingUser(): ActingUser | undefined {
  return storage.getStore();
}
