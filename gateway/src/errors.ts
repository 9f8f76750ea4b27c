import { CHAINCODE_ERROR_CODES as CONTRACT_ERROR_CODES, type ChaincodeErrorCode } from '@adrecon/contract';

/** The codes only the gateway raises (authentication, HTTP, idempotency, Fabric transport). */
export const GATEWAY_ERROR_CODES = [
  'MALFORMED_REQUEST',
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'NOT_ACCEPTABLE',
  'MVCC_READ_CONFLICT',
  'IDEMPOTENCY_KEY_IN_USE',
  'PAYLOAD_TOO_LARGE',
  'HEADERS_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'IDEMPOTENCY_KEY_REUSED',
  'INTERNAL',
  'TRANSACTION_INVALID',
  'LEDGER_UNAVAILABLE',
  'LEDGER_BEHIND',
  'COMMIT_STATUS_UNKNOWN',
  'EVENTS_EXPIRED',
  'TOO_MANY_STREAMS',
  'RATE_LIMITED',
  'RESULT_TOO_LARGE',
] as const;

/** One of {@link GATEWAY_ERROR_CODES}. */
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

/** Every code the REST API can return: the contract's chaincode codes and the gateway's own. */
export type ErrorCode = ChaincodeErrorCode | GatewayErrorCode;

/**
 * Every error code the REST API can return, mapped to its HTTP status, in ONE table. Its type names every code of
 * the contract: a chaincode code added there without a status here fails to compile.
 */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CAMPAIGN_NOT_FOUND: 404,
  REPORT_NOT_FOUND: 404,
  RECONCILIATION_NOT_FOUND: 404,
  INVOICE_NOT_FOUND: 404,
  ROLE_NOT_FOUND: 404,
  NOT_ACCEPTABLE: 406,
  CONFLICT: 409,
  MVCC_READ_CONFLICT: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  EVENTS_EXPIRED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  INVALID_STATE: 422,
  OVERPAYMENT: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  RESULT_TOO_LARGE: 422,
  TOO_MANY_STREAMS: 429,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  TRANSACTION_INVALID: 502,
  LEDGER_UNAVAILABLE: 503,
  LEDGER_BEHIND: 503,
  COMMIT_STATUS_UNKNOWN: 504,
};

/** Codes the chaincode may put at the start of an error message: the contract's list. */
export const CHAINCODE_ERROR_CODES = CONTRACT_ERROR_CODES;

/**
 * HTTP status for an error code; unknown codes are server errors.
 */
export function httpStatusFor(code: string): number {
  return (ERROR_STATUS as Readonly<Record<string, number | undefined>>)[code] ?? 500;
}

export interface AppErrorOptions {
  readonly transactionId?: string;
  readonly retryAfterSeconds?: number;
  readonly details?: unknown;
  readonly cause?: unknown;
}

/**
 * The one error type that reaches the error middleware: a stable code, a message safe to show to the client and,
 * for ledger writes, the transaction ID.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly transactionId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly details: unknown;

  constructor(code: string, message: string, options: Readonly<AppErrorOptions> = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = httpStatusFor(code);
    this.transactionId = options.transactionId;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }
}

/** Type guard for {@link AppError}. */
export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
