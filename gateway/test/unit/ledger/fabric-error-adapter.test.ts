import * as grpc from '@grpc/grpc-js';
import { CommitError, CommitStatusError, EndorseError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import { AppError } from '../../../src/errors';
import {
  isEndorsementUnreachable,
  findChaincodeFailure,
  isConcurrentWriteConflict,
  isEndorsementMismatch,
  isPeerSaturated,
  isPeerUnavailable,
  isReadConflict,
  isUnsatisfiablePlan,
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

function submitError(
  code: grpc.status,
  message = 'submit failed',
  details: ReturnType<typeof detail>[] = [],
): GatewayError {
  const err = new GatewayError({ code, details, cause: serviceError(code, message), message });
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

  it('SubmitError after the transaction may have reached an orderer -> 504 with the transaction ID, no failover', () => {
    for (const code of [
      grpc.status.DEADLINE_EXCEEDED,
      grpc.status.UNAVAILABLE,
      grpc.status.CANCELLED,
      grpc.status.UNKNOWN,
    ]) {
      // A connection dropped (or a deadline passed) during Submit: the orderer may have the transaction.
      const converted = toAppError(submitError(code, `${String(code)} Connection dropped`), options);
      expect([converted.code, converted.status, converted.transactionId], `gRPC ${String(code)}`).to.deep.equal([
        'COMMIT_STATUS_UNKNOWN',
        504,
        'tx-2',
      ]);
      expect(converted.retryAfterSeconds).to.be.undefined;
    }
    expect(isPeerUnavailable(submitError(grpc.status.UNAVAILABLE))).to.be.false;
  });

  it('SubmitError when a broadcast to an orderer broke midway (details) -> 504', () => {
    const err = submitError(
      grpc.status.UNAVAILABLE,
      '14 UNAVAILABLE: no orderers could successfully process transaction',
      [detail('rpc error: code = Unavailable desc = error reading from server: EOF')],
    );
    expect(toAppError(err, options).status).to.equal(504);
  });

  it('SubmitError when every orderer refused (no Raft leader, SERVICE_UNAVAILABLE) -> 503 with Retry-After', () => {
    const err = submitError(
      grpc.status.UNAVAILABLE,
      '14 UNAVAILABLE: no orderers could successfully process transaction',
    );
    const converted = toAppError(err, options);
    expect([converted.code, converted.status, converted.retryAfterSeconds, converted.transactionId]).to.deep.equal([
      'LEDGER_UNAVAILABLE',
      503,
      9,
      'tx-2',
    ]);
  });

  it('SubmitError when the peer knows no orderer, or cannot read the orderers -> 503', () => {
    expect(
      toAppError(submitError(grpc.status.UNAVAILABLE, '14 UNAVAILABLE: no orderer nodes available'), options).status,
    ).to.equal(503);
    expect(
      toAppError(submitError(grpc.status.FAILED_PRECONDITION, '9 FAILED_PRECONDITION: channel x'), options).status,
    ).to.equal(503);
  });

  it('SubmitError refused by the orderer as a bad request (ABORTED, 4xx) -> 502 TRANSACTION_INVALID', () => {
    const err = submitError(
      grpc.status.ABORTED,
      '10 ABORTED: received unsuccessful response from orderer: status=BAD_REQUEST',
    );
    const converted = toAppError(err, options);
    expect([converted.code, converted.status, converted.transactionId]).to.deep.equal([
      'TRANSACTION_INVALID',
      502,
      'tx-2',
    ]);
  });

  const unconverged = [
    '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: required chaincodes are not installed on sufficient peers',
    '9 FAILED_PRECONDITION: required chaincodes are not installed on sufficient peers',
    '9 FAILED_PRECONDITION: failed to select a set of endorsers that satisfy the endorsement policy due to unavailability of peers: [peer0.agency:7121]',
    '9 FAILED_PRECONDITION: failed to find any endorsing peers for org(s): AgencyMSP',
    '9 FAILED_PRECONDITION: no peers available to evaluate chaincode adrecon in channel adrecon',
  ];
  for (const message of unconverged) {
    it(`gossip not converged (${message.slice(22, 70)}…) -> 503 with Retry-After, and another peer may serve`, () => {
      const err = endorseError(grpc.status.FAILED_PRECONDITION, message, []);
      const converted = toAppError(err, options);
      expect([converted.code, converted.status, converted.retryAfterSeconds]).to.deep.equal([
        'LEDGER_UNAVAILABLE',
        503,
        9,
      ]);
      expect(isUnsatisfiablePlan(err)).to.be.true;
      expect(isPeerUnavailable(err)).to.be.true;
    });
  }

  it('another FAILED_PRECONDITION (an access check) stays a 500', () => {
    const err = endorseError(
      grpc.status.FAILED_PRECONDITION,
      '9 FAILED_PRECONDITION: access denied: creator org unknown',
      [],
    );
    expect(toAppError(err, options).status).to.equal(500);
    expect(isUnsatisfiablePlan(err)).to.be.false;
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

  it('CommitError ENDORSEMENT_POLICY_FAILURE: retried as a race (key-level policy set by the winner), else 502', () => {
    const err = new CommitError({
      code: StatusCode.ENDORSEMENT_POLICY_FAILURE,
      transactionId: 'tx-5',
      message: 'policy',
    });
    expect(isReadConflict(err)).to.be.false;
    expect(isConcurrentWriteConflict(err)).to.be.true;
    expect(toAppError(err, options).status).to.equal(502);
  });

  it('endorsements that differ (peers at different blocks) -> retried, then 409 MVCC_READ_CONFLICT', () => {
    const err = endorseError(
      grpc.status.ABORTED,
      'failed to collect enough transaction endorsements, see attached details for more info',
      [detail('ProposalResponsePayloads do not match')],
    );
    expect(isEndorsementMismatch(err)).to.be.true;
    expect(isConcurrentWriteConflict(err)).to.be.true;
    const converted = toAppError(err, options);
    expect([converted.code, converted.status]).to.deep.equal(['MVCC_READ_CONFLICT', 409]);
    const refused = endorseError(
      grpc.status.ABORTED,
      'failed to collect enough transaction endorsements, see attached details for more info',
      [detail('chaincode response 500, CONFLICT: campaign c-1 already exists')],
    );
    expect(isEndorsementMismatch(refused), 'a chaincode refusal is not a race').to.be.false;
    expect(toAppError(refused, options).code).to.equal('CONFLICT');
  });

  it('an endorsement its own peer could not run (chaincode server unreachable) -> another peer may endorse', () => {
    const err = endorseError(grpc.status.ABORTED, 'failed to endorse transaction, see attached details for more info', [
      detail('error in simulation: failed to execute transaction: could not launch chaincode: connection refused'),
    ]);
    expect(isEndorsementUnreachable(err)).to.be.true;
    expect(isPeerUnavailable(err)).to.be.true;
    expect(toAppError(err, options).status).to.equal(503);
    const refused = endorseError(
      grpc.status.ABORTED,
      'failed to endorse transaction, see attached details for more info',
      [detail('chaincode response 500, CONFLICT: campaign c-1 already exists')],
    );
    expect(isPeerUnavailable(refused), "the chaincode's own refusal is final").to.be.false;
    const race = endorseError(
      grpc.status.ABORTED,
      'failed to collect enough transaction endorsements, see attached details for more info',
      [detail('ProposalResponsePayloads do not match')],
    );
    expect(isEndorsementUnreachable(race), 'a race is retried as a race').to.be.false;
  });

  it('a peer at its Gateway concurrency limit -> 503 with Retry-After, never 500, and another peer may serve', () => {
    const message = 'too many requests for /gateway.Gateway, exceeding concurrency limit (500)';
    const evaluate = new GatewayError({
      code: grpc.status.UNKNOWN,
      details: [],
      cause: serviceError(grpc.status.UNKNOWN, message),
      message: `2 UNKNOWN: ${message}`,
    });
    expect(isPeerSaturated(evaluate)).to.be.true;
    expect(isPeerUnavailable(evaluate)).to.be.true;
    const converted = toAppError(evaluate, options);
    expect([converted.code, converted.status, converted.retryAfterSeconds]).to.deep.equal([
      'LEDGER_UNAVAILABLE',
      503,
      9,
    ]);
    const submit = submitError(grpc.status.UNKNOWN, `2 UNKNOWN: ${message}`);
    expect([toAppError(submit, options).status, toAppError(submit, options).retryAfterSeconds]).to.deep.equal([503, 9]);
    const exhausted = endorseError(grpc.status.RESOURCE_EXHAUSTED, 'resource exhausted', []);
    expect(toAppError(exhausted, options).status).to.equal(503);
  });

  it("an answer past the gateway's 4 MiB gRPC receive limit -> 422 RESULT_TOO_LARGE, not retried, not a busy peer", () => {
    const message = '8 RESOURCE_EXHAUSTED: Received message larger than max (5148862 vs 4194304)';
    const evaluate = new GatewayError({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: [],
      cause: serviceError(grpc.status.RESOURCE_EXHAUSTED, message),
      message,
    });
    expect(isPeerSaturated(evaluate), 'another peer would answer the same').to.be.false;
    expect(isPeerUnavailable(evaluate)).to.be.false;
    const converted = toAppError(evaluate, options);
    expect([converted.code, converted.status, converted.retryAfterSeconds]).to.deep.equal([
      'RESULT_TOO_LARGE',
      422,
      undefined,
    ]);
    expect(converted.message).to.match(/ask for less/);
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
