import { status as GrpcStatus } from '@grpc/grpc-js';
import { isNotFoundCode } from '@adrecon/contract';
import { CommitError, CommitStatusError, EndorseError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
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

/** Every message of a Gateway error: its own, then each endorsing peer's detail. */
function textsOf(err: GatewayError): string[] {
  return [err.message, ...err.details.map((detail) => detail.message)];
}

/**
 * What Fabric's Gateway service says when the peers it knows right now cannot form an endorsement or evaluation
 * plan (`internal/pkg/gateway/registry.go`, `discovery/endorsement/endorsement.go`; gRPC code FAILED_PRECONDITION):
 * after a peer starts or restarts, gossip has not yet told it of the other organizations' peers, or one of them is
 * down. The same request succeeds once membership converges.
 */
const UNSATISFIABLE_PLAN_MESSAGES: readonly string[] = [
  'no combination of peers can be derived which satisfy the endorsement policy',
  'required chaincodes are not installed on sufficient peers',
  'failed to select a set of endorsers that satisfy the endorsement policy due to unavailability of peers',
  'failed to find any endorsing peers for org(s)',
  'no peers available to evaluate chaincode',
];

/** Fabric's Gateway `Submit` when it knows no orderer to send to (`internal/pkg/gateway/submit.go`): nothing sent. */
const NO_ORDERER_MESSAGE = 'no orderer nodes available';

/**
 * Fabric's Gateway `Submit` after trying every orderer (`submit.go`). With no error detail, every orderer answered
 * and refused with a 5xx status (SERVICE_UNAVAILABLE: no Raft leader), so nothing was ordered; with details, a
 * broadcast stream failed midway and the transaction may have reached an orderer.
 */
const ORDERERS_FAILED_MESSAGE = 'no orderers could successfully process transaction';

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
 * True when the Fabric Gateway could not plan a write's endorsement by itself (FAILED_PRECONDITION before anything
 * was endorsed by others or ordered): with transient data it sends a proposal only within the collections written,
 * and asks for the endorsing organizations.
 */
export function isPlanRefusal(err: unknown): boolean {
  return err instanceof GatewayError && err.code === (GrpcStatus.FAILED_PRECONDITION as number);
}

/**
 * True for a commit invalidated because an earlier transaction of the same block (or of a block committed after
 * the endorsement) created or changed the key-level endorsement policy of a key this one writes: Fabric validates
 * each write against the policy in force at commit, so the loser of a race to create a record with a key-level
 * policy is invalidated with ENDORSEMENT_POLICY_FAILURE (validation code 10) before its read set is even checked.
 * A new proposal, endorsed on the state that now holds the winner's record, has the right endorsers or is refused
 * by the chaincode's own duplicate checks.
 */
export function isEndorsementPolicyRace(err: unknown): boolean {
  return err instanceof CommitError && (err.code as number) === (StatusCode.ENDORSEMENT_POLICY_FAILURE as number);
}

/**
 * What Fabric's Gateway `Endorse` answers (gRPC ABORTED) when the endorsing peers' responses differ
 * (`internal/pkg/gateway/endorse.go`, details "ProposalResponsePayloads do not match"): with a deterministic
 * chaincode, the peers were at different blocks while a concurrent write committed. Nothing was ordered.
 */
const ENDORSEMENTS_DIFFER_MESSAGE = 'failed to collect enough transaction endorsements';

/** True when the endorsements of one proposal differ because the peers saw different states: a race. */
export function isEndorsementMismatch(err: unknown): boolean {
  if (!(err instanceof GatewayError) || err.code !== (GrpcStatus.ABORTED as number)) return false;
  if (!err.message.includes(ENDORSEMENTS_DIFFER_MESSAGE)) return false;
  return textsOf(err).every((text) => findChaincodeFailure(text) === undefined);
}

/**
 * The organizations whose peers refused a write's endorsement only because a record it needs does not exist there
 * (a chaincode `…_NOT_FOUND`), when no peer of the caller's own organization `org` refused it: the Fabric Gateway
 * endorses on the caller's own peer first, so that peer found the record, and a party's peer that does not is a
 * block or more behind (each peer commits a block on its own time). Undefined for any other failure, a refusal by
 * the caller's own peer included. Nothing was ordered: a new proposal once those peers have caught up is safe.
 */
export function laggingEndorsers(err: unknown, org: string): string[] | undefined {
  if (!(err instanceof EndorseError) || err.details.length === 0) return undefined;
  const remoteNotFound = err.details.every((detail) => {
    const code = findChaincodeFailure(detail.message)?.code;
    return detail.mspId !== org && code !== undefined && isNotFoundCode(code);
  });
  return remoteNotFound ? [...new Set(err.details.map((detail) => detail.mspId))].sort() : undefined;
}

/** True for a write that lost a race with a concurrent writer (any kind above): worth a new proposal. */
export function isConcurrentWriteConflict(err: unknown): boolean {
  return isReadConflict(err) || isEndorsementPolicyRace(err) || isEndorsementMismatch(err);
}

/**
 * What a peer's gRPC server answers when a service's concurrency limit (`peer.limits.concurrency.gatewayService`,
 * `deliverService`, `endorserService`) is reached (Fabric `internal/peer/node/grpc_limiters.go`): the request was
 * refused before it was handled, so nothing was endorsed or ordered.
 */
const CONCURRENCY_LIMIT_MESSAGE = 'exceeding concurrency limit';

/**
 * What grpc-js says when an answer exceeds the client's receive limit (`grpc.max_receive_message_length`, 4 MiB by
 * default): "Received message larger than max (5148862 vs 4194304)", gRPC RESOURCE_EXHAUSTED. The peer did the
 * work; its answer is too large to carry, so neither a retry nor another peer can help.
 */
const ANSWER_TOO_LARGE_MESSAGE = 'larger than max';

/** True when the peer's answer exceeded the gateway's gRPC receive limit (see {@link ANSWER_TOO_LARGE_MESSAGE}). */
export function isAnswerTooLarge(err: unknown): boolean {
  if (!(err instanceof GatewayError) || err.code !== (GrpcStatus.RESOURCE_EXHAUSTED as number)) return false;
  return textsOf(err).some((text) => text.includes(ANSWER_TOO_LARGE_MESSAGE));
}

/** True when the peer refused the call for load (its concurrency limit or gRPC RESOURCE_EXHAUSTED): retry later. */
export function isPeerSaturated(err: unknown): boolean {
  if (!(err instanceof GatewayError)) return false;
  if (err.code === (GrpcStatus.RESOURCE_EXHAUSTED as number)) return !isAnswerTooLarge(err);
  return textsOf(err).some((text) => text.includes(CONCURRENCY_LIMIT_MESSAGE));
}

/**
 * True when the peer could not form an endorsement or evaluation plan from the peers it knows now (gossip not
 * converged after a restart, or an endorsing peer down): a transient state, nothing was endorsed or ordered.
 */
export function isUnsatisfiablePlan(err: unknown): boolean {
  if (!(err instanceof GatewayError) || err.code !== (GrpcStatus.FAILED_PRECONDITION as number)) return false;
  return textsOf(err).some((text) => UNSATISFIABLE_PLAN_MESSAGES.some((known) => text.includes(known)));
}

/**
 * True when an endorsement failed (gRPC ABORTED) for a reason that is not the chaincode's own answer (no stable
 * chaincode error code) nor a race: Fabric's Gateway answers so when its own peer cannot reach its chaincode
 * server (killed, restarting), and does not endorse elsewhere by itself. Nothing was ordered; another peer of the
 * organization, with a chaincode server of its own, may endorse.
 */
export function isEndorsementUnreachable(err: unknown): boolean {
  if (!(err instanceof GatewayError) || err.name !== 'EndorseError') return false;
  if (err.code !== (GrpcStatus.ABORTED as number) || isEndorsementMismatch(err)) return false;
  return textsOf(err).every((text) => findChaincodeFailure(text) === undefined);
}

/**
 * True when the call failed before anything could have been ordered because the peer was unreachable, slow, not
 * yet aware of enough other peers, or without its chaincode server, so the same request may go to another peer of
 * the organization.
 */
export function isPeerUnavailable(err: unknown): boolean {
  if (!(err instanceof GatewayError)) return false;
  if (err instanceof CommitStatusError || err.name === 'SubmitError') return false;
  return (
    err.code === (GrpcStatus.UNAVAILABLE as number) ||
    err.code === (GrpcStatus.DEADLINE_EXCEEDED as number) ||
    isPeerSaturated(err) ||
    isUnsatisfiablePlan(err) ||
    isEndorsementUnreachable(err)
  );
}

/**
 * True when a failed `Submit` certainly did not reach the ordering service: the peer knew no orderer, could not
 * read the channel's orderers, or every orderer answered and refused (no Raft leader). Any other failure of a
 * submission (a connection dropped, a deadline, a broadcast stream broken midway) may have happened after an
 * orderer accepted the transaction.
 */
export function isNotOrdered(err: GatewayError): boolean {
  if (err.code === (GrpcStatus.FAILED_PRECONDITION as number)) return true;
  if (err.code !== (GrpcStatus.UNAVAILABLE as number)) return false;
  if (err.message.includes(NO_ORDERER_MESSAGE)) return true;
  return err.message.includes(ORDERERS_FAILED_MESSAGE) && err.details.length === 0;
}

/**
 * True when a submission's fate is in doubt but the same signed envelope may be sent again: the `Submit` failed
 * for any reason other than the ordering service's refusal of the transaction itself (ABORTED), or the transaction
 * was submitted and its commit status could not be had (the peer died, or no status before the deadline: an
 * orderer that accepted it may have died before ordering it). Sending the envelope again is safe: it keeps its
 * transaction ID, and Fabric commits a transaction ID at most once (a later copy is invalidated as DUPLICATE_TXID).
 */
export function isOrderingInDoubt(err: unknown): boolean {
  if (err instanceof CommitStatusError) return true;
  return err instanceof GatewayError && err.name === 'SubmitError' && err.code !== (GrpcStatus.ABORTED as number);
}

/** True for a failed `Submit` that certainly reached no orderer (see {@link isNotOrdered}). */
export function isCertainlyNotOrdered(err: unknown): boolean {
  return err instanceof GatewayError && err.name === 'SubmitError' && isNotOrdered(err);
}

function submitFailure(err: GatewayError, transactionId: string | undefined, retryAfterSeconds: number): AppError {
  if (isPeerSaturated(err)) {
    return new AppError(
      'LEDGER_UNAVAILABLE',
      'the peer is at its concurrency limit; nothing was ordered, retry later',
      {
        transactionId,
        retryAfterSeconds,
        cause: err,
      },
    );
  }
  if (isNotOrdered(err)) {
    return new AppError(
      'LEDGER_UNAVAILABLE',
      'the ordering service did not accept the transaction (no orderer reachable or no Raft leader); nothing was ordered',
      { transactionId, retryAfterSeconds, cause: err },
    );
  }
  if (err.code === (GrpcStatus.ABORTED as number)) {
    return new AppError('TRANSACTION_INVALID', 'the ordering service refused the transaction', {
      transactionId,
      cause: err,
    });
  }
  return new AppError(
    'COMMIT_STATUS_UNKNOWN',
    'the submission failed after the transaction may have reached the ordering service; check the transaction ID before retrying',
    { transactionId, cause: err },
  );
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
    if (isPeerSaturated(err)) {
      return new AppError(
        'COMMIT_STATUS_UNKNOWN',
        'the transaction was submitted but the peer refused the commit status request for load; check the transaction ID before retrying',
        { transactionId: err.transactionId, retryAfterSeconds: options.retryAfterSeconds, cause: err },
      );
    }
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
    if (err.name === 'SubmitError') return submitFailure(err, transactionId, options.retryAfterSeconds);
    if (isEndorsementMismatch(err)) {
      return new AppError(
        'MVCC_READ_CONFLICT',
        'the endorsing peers saw different states while a concurrent write committed, at every retry; retry later',
        { cause: err },
      );
    }
    if (isAnswerTooLarge(err)) {
      return new AppError(
        'RESULT_TOO_LARGE',
        "the ledger's answer is larger than the 4 MiB the gateway takes from its peer in one message: ask for less " +
          '(a smaller pageSize, one campaign or line item, a shorter date range)',
        { cause: err },
      );
    }
    if (isPeerSaturated(err)) {
      return new AppError('LEDGER_UNAVAILABLE', 'the peer is at its concurrency limit; retry later', {
        retryAfterSeconds: options.retryAfterSeconds,
        cause: err,
      });
    }
    if (isUnsatisfiablePlan(err)) {
      return new AppError(
        'LEDGER_UNAVAILABLE',
        'the peer does not yet know enough other peers to endorse (network converging after a restart); retry',
        { retryAfterSeconds: options.retryAfterSeconds, cause: err },
      );
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
