import * as grpc from '@grpc/grpc-js';
import { CommitError, CommitStatusError, EndorseError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import { AppError } from '../../../src/errors';
import {
  findChaincodeFailure,
  isPeerUnavailable,
  isReadConflict,
  toAppError,
} from '../../../src/ledger/fabric-error-adapter';

function serviceError(code: grpc.status, message: string): grpc.ServiceError {
  return Object.assign(new Error(message), { code, details: message, metadata: new grpc.Metadata() });
}

function detail(message: string) {
  return { address: 'peer0.publisher:7051', mspId: 'PublisherMSP', message };
}

function endorseError(code: grpc.status, message: string, details = [detail(message)]): EndorseError {
  return new EndorseError({ code, details, cause: serviceError(code, message), transactionId: 'tx-1', message });
}

function submitError(code: grpc.status): GatewayError {
  const err = new GatewayError({ code, details: [], cause: serviceError(code, 'submit'), message: 'submit failed' });
  err.name = 'SubmitError';
  return Object.assign(err, { transactionId: 'tx-2' });
}

const options = { retryAfterSeconds: 9 };

describe('fabric error adapter', () => {
  const codes = [
    'VALIDATION_FAILED',
    'FORBIDDEN',
    'CAMPAIGN_NOT_FOUND',
    'REPORT_NOT_FOUND',
    'INVOICE_NOT_FOUND',
    'CONFLICT',
    'INVALID_STATE',
    'OVERPAYMENT',
  ];
  for (const code of codes) {
    it(`reads ${code} from the EndorseError details`, () => {
      const err = endorseError(
        grpc.status.ABORTED,
        'failed to endorse transaction, see attached details for more info',
        [detail(`chaincode response 500, ${code}: something about c-1`)],
      );
      const converted = toAppError(err, options);
      expect(converted.code).to.equal(code);
      expect(converted.message).to.equal('something about c-1');
    });
  }

  it('reads the code from the message of an evaluate GatewayError', () => {
    const err = new GatewayError({
      code: grpc.status.UNKNOWN,
      details: [],
      cause: serviceError(grpc.status.UNKNOWN, 'x'),
      message:
        'evaluate call to endorser returned error: chaincode response 500, CAMPAIGN_NOT_FOUND: campaign c-9 does not exist',
    });
    const converted = toAppError(err, options);
    expect(converted.code).to.equal('CAMPAIGN_NOT_FOUND');
    expect(converted.status).to.equal(404);
  });

  it('does not take a code embedded in another word', () => {
    expect(findChaincodeFailure('XCONFLICT: nope')).to.be.undefined;
    expect(findChaincodeFailure('note: NOT_A_CODE: x, then CONFLICT: yes')).to.deep.equal({
      code: 'CONFLICT',
      message: 'yes',
    });
  });

  it('UNAVAILABLE before endorsement -> 503 LEDGER_UNAVAILABLE with Retry-After', () => {
    const converted = toAppError(endorseError(grpc.status.UNAVAILABLE, 'connect failed', []), options);
    expect(converted.code).to.equal('LEDGER_UNAVAILABLE');
    expect(converted.status).to.equal(503);
    expect(converted.retryAfterSeconds).to.equal(9);
  });

  it('DEADLINE_EXCEEDED on evaluate -> 503', () => {
    const err = new GatewayError({
      code: grpc.status.DEADLINE_EXCEEDED,
      details: [],
      cause: serviceError(grpc.status.DEADLINE_EXCEEDED, 'x'),
    });
    expect(toAppError(err, options).status).to.equal(503);
    expect(isPeerUnavailable(err)).to.be.true;
  });

  it('CommitStatusError -> 504 COMMIT_STATUS_UNKNOWN with the transaction ID', () => {
    const err = new CommitStatusError({
      code: grpc.status.DEADLINE_EXCEEDED,
      details: [],
      cause: serviceError(grpc.status.DEADLINE_EXCEEDED, 'x'),
      transactionId: 'tx-3',
    });
    const converted = toAppError(err, options);
    expect(converted.status).to.equal(504);
    expect(converted.transactionId).to.equal('tx-3');
    expect(isPeerUnavailable(err)).to.be.false;
  });

  it('SubmitError: deadline -> 504, unavailable -> 503, both with the transaction ID, no failover', () => {
    const late = toAppError(submitError(grpc.status.DEADLINE_EXCEEDED), options);
    expect([late.status, late.transactionId]).to.deep.equal([504, 'tx-2']);
    const down = toAppError(submitError(grpc.status.UNAVAILABLE), options);
    expect([down.status, down.transactionId]).to.deep.equal([503, 'tx-2']);
    expect(isPeerUnavailable(submitError(grpc.status.UNAVAILABLE))).to.be.false;
  });

  it('CommitError MVCC_READ_CONFLICT -> 409 and retryable', () => {
    const err = new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 'tx-4', message: 'mvcc' });
    expect(isReadConflict(err)).to.be.true;
    const converted = toAppError(err, options);
    expect([converted.code, converted.status, converted.transactionId]).to.deep.equal([
      'MVCC_READ_CONFLICT',
      409,
      'tx-4',
    ]);
  });

  it('CommitError ENDORSEMENT_POLICY_FAILURE -> 502 TRANSACTION_INVALID', () => {
    const err = new CommitError({
      code: StatusCode.ENDORSEMENT_POLICY_FAILURE,
      transactionId: 'tx-5',
      message: 'policy',
    });
    expect(isReadConflict(err)).to.be.false;
    expect(toAppError(err, options).status).to.equal(502);
  });

  it('an unrecognised gateway error -> 500 without leaking its message', () => {
    const err = new GatewayError({
      code: grpc.status.INTERNAL,
      details: [],
      cause: serviceError(grpc.status.INTERNAL, 'x'),
      message: 'internal detail',
    });
    const converted = toAppError(err, options);
    expect(converted.status).to.equal(500);
    expect(converted.message).to.not.contain('internal detail');
  });

  it('passes AppError through and wraps anything else', () => {
    const appError = new AppError('CONFLICT', 'x');
    expect(toAppError(appError, options)).to.equal(appError);
    expect(toAppError('boom', options).code).to.equal('INTERNAL');
  });
});
