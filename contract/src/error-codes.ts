/** The stable codes every chaincode error message starts with (`CODE: detail`); the REST API maps each to a status. */
export const CHAINCODE_ERROR_CODES = [
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
] as const;

/** One of {@link CHAINCODE_ERROR_CODES}. */
export type ChaincodeErrorCode = (typeof CHAINCODE_ERROR_CODES)[number];

/** The codes of a record that does not exist (or that the caller may not know exists). */
export type NotFoundCode = Extract<ChaincodeErrorCode, `${string}_NOT_FOUND`>;

/** Whether a code is one of the {@link NotFoundCode}s: the record does not exist where it was asked. */
export function isNotFoundCode(code: string): code is NotFoundCode {
  return isChaincodeErrorCode(code) && code.endsWith('_NOT_FOUND');
}

/** Whether a text is one of the {@link CHAINCODE_ERROR_CODES}. */
export function isChaincodeErrorCode(code: string): code is ChaincodeErrorCode {
  return (CHAINCODE_ERROR_CODES as readonly string[]).includes(code);
}
