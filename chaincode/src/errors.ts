import { CHAINCODE_ERROR_CODES, type ChaincodeErrorCode, type NotFoundCode } from '@adrecon/contract';

/** The stable codes every chaincode error message starts with (the contract's list); the gateway maps each. */
export const ERROR_CODES = CHAINCODE_ERROR_CODES;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = ChaincodeErrorCode;

/**
 * A business error of the chaincode. Its message is `<CODE>: <detail>`, which is what crosses the wire as the
 * transaction's error message.
 */
export class ChaincodeError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;

  constructor(code: ErrorCode, detail: string, options?: { cause?: unknown }) {
    super(`${code}: ${detail}`, options);
    this.name = 'ChaincodeError';
    this.code = code;
    this.detail = detail;
  }
}

/** Bad JSON, wrong type, unknown field, pattern, range or date. */
export class ValidationError extends ChaincodeError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('VALIDATION_FAILED', detail, options);
    this.name = 'ValidationError';
  }
}

/** The caller's organization or role may not do this, or the caller is not a party. */
export class ForbiddenError extends ChaincodeError {
  constructor(detail: string) {
    super('FORBIDDEN', detail);
    this.name = 'ForbiddenError';
  }
}

/** A record that does not exist (or that the caller may not know exists). */
export class NotFoundError extends ChaincodeError {
  constructor(code: NotFoundCode, detail: string) {
    super(code, detail);
    this.name = 'NotFoundError';
  }
}

/** A duplicate id with other content, a stale version or an overlapping period. */
export class ConflictError extends ChaincodeError {
  constructor(detail: string) {
    super('CONFLICT', detail);
    this.name = 'ConflictError';
  }
}

/** A business rule refuses the operation in the record's current state. */
export class InvalidStateError extends ChaincodeError {
  constructor(detail: string) {
    super('INVALID_STATE', detail);
    this.name = 'InvalidStateError';
  }
}

/** A payment that would exceed the invoice's outstanding amount. */
export class OverpaymentError extends ChaincodeError {
  constructor(detail: string) {
    super('OVERPAYMENT', detail);
    this.name = 'OverpaymentError';
  }
}
