import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { AppError, CHAINCODE_ERROR_CODES } from '../errors';

/** Options for {@link toAppError}. */
export interface AdapterOptions {
  /** Seconds a client should wait before retrying after LEDGER_UNAVAILABLE. */
  readonly retryAfterSeconds: number;
}

const TRANSIENT_GRPC_CODES: ReadonlySet<number> = new Set([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.ABORTED,
  GrpcStatus.CANCELLED,
]);

interface ChaincodeFailure {
  readonly code: string;
  readonly message: string;
}

function isIdentifierChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_]/.test(ch);
}

/**
 * Finds the earliest stable chaincode error code (`CODE: message`) in a text, whatever prefix the peer or the
 * gateway put before it (`chaincode response 500, `...).
 */
export function findChaincodeFailure(text: string): ChaincodeFailure | undefined {
  let found: { index: number; code: string } | undefined;
  for (const code of CHAINCODE_ERROR_CODES) {
    let from = 0;
    for (;;) {
      const index = text.indexOf(`${code}: `, from);
      if (index < 0) break;
      if (!isIdentifierChar(text[index - 1])) {
        if (found === undefined || index < found.index) found = { index, code };
        break;
      }
      from = index + 1;
    }
  }
  if (found === undefined) return undefined;
  return { code: found.code, message: text.slice(found.index + found.code.length + 2).trim() };
}

function transactionIdOf(err: GatewayError): string | undefined {
  const candidate = (err as Partial<Record<'transactionId', unknown>>).transactionId;
  return typeof candidate === 'string' ? candidate : undefined;
}

/** True for a commit that lost an MVCC race and can succeed with a new proposal. */
export function isReadConflict(err: unknown): boolean {
  return (
    err instanceof CommitError &&
    ((err.code as number) === (StatusCode.MVCC_READ_CONFLICT as number) ||
      (err.code as number) === (StatusCode.PHANTOM_READ_CONFLICT as number))
  );
}

/**
 * True when the call failed before anything could have been ordered because the peer was unreachable or slow,
 * so the same request may go to another peer of the organization.
 */
export function isPeerUnavailable(err: unknown): boolean {
  if (!(err instanceof GatewayError)) return false;
  if (err instanceof CommitStatusError || err.name === 'SubmitError') return false;
  return err.code === (GrpcStatus.UNAVAILABLE as number) || err.code === (GrpcStatus.DEADLINE_EXCEEDED as number);
}

/**
 * Converts any error thrown by fabric-gateway or grpc-js into an {@link AppError}. This is the only place that
 * knows Fabric's error types.
 */
export function toAppError(err: unknown, options: Readonly<AdapterOptions>): AppError {
  if (err instanceof AppError) return err;

  if (err instanceof CommitError) {
    if (isReadConflict(err)) {
      return new AppError('MVCC_READ_CONFLICT', 'the transaction lost a concurrent update race; retry', {
        transactionId: err.transactionId,
        cause: err,
      });
    }
    return new AppError(
      'TRANSACTION_INVALID',
      `the transaction was invalidated at commit (validation code ${err.code})`,
      {
        transactionId: err.transactionId,
        cause: err,
      },
    );
  }

  if (err instanceof CommitStatusError) {
    return new AppError('COMMIT_STATUS_UNKNOWN', 'the transaction was submitted but its commit status is unknown', {
      transactionId: err.transactionId,
      cause: err,
    });
  }

  if (err instanceof GatewayError) {
    const transactionId = transactionIdOf(err);
    const texts = [...err.details.map((detail) => detail.message), err.message];
    for (const text of texts) {
      const failure = findChaincodeFailure(text);
      if (failure) return new AppError(failure.code, failure.message, { cause: err });
    }
    if (err.name === 'SubmitError') {
      if (err.code === (GrpcStatus.DEADLINE_EXCEEDED as number)) {
        return new AppError('COMMIT_STATUS_UNKNOWN', 'the transaction was submitted but the orderer did not answer', {
          transactionId,
          cause: err,
        });
      }
      return new AppError('LEDGER_UNAVAILABLE', 'the transaction could not be submitted for ordering', {
        transactionId,
        retryAfterSeconds: options.retryAfterSeconds,
        cause: err,
      });
    }
    if (TRANSIENT_GRPC_CODES.has(err.code)) {
      return new AppError('LEDGER_UNAVAILABLE', 'the ledger is temporarily unavailable', {
        retryAfterSeconds: options.retryAfterSeconds,
        cause: err,
      });
    }
    return new AppError('INTERNAL', 'the ledger rejected the request', { cause: err });
  }

  return new AppError('INTERNAL', 'unexpected ledger error', { cause: err });
}
