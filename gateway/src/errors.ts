/**
 * Every error code the REST API can return, mapped to its HTTP status. Chaincode codes (the prefix of a
 * chaincode error message) and gateway codes share this ONE table.
 */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
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
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_STATE: 422,
  OVERPAYMENT: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  INTERNAL: 500,
  TRANSACTION_INVALID: 502,
  LEDGER_UNAVAILABLE: 503,
  LEDGER_BEHIND: 503,
  COMMIT_STATUS_UNKNOWN: 504,
};

/** Codes the chaincode may put at the start of an error message (see the chaincode API contract). */
export const CHAINCODE_ERROR_CODES: readonly string[] = [
  'VALIDATION_FAILED',
  'FORBIDDEN',
  'CAMPAIGN_NOT_FOUND',
  'REPORT_NOT_FOUND',
  'RECONCILIATION_NOT_FOUND',
  'INVOICE_NOT_FOUND',
  'ROLE_NOT_FOUND',
  'CONFLICT',
  'INVALID_STATE',
  'OVERPAYMENT',
];

/**
 * HTTP status for an error code; unknown codes are server errors.
 */
export function httpStatusFor(code: string): number {
  return ERROR_STATUS[code] ?? 500;
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
