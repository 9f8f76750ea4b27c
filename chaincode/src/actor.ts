import { isUserRole, USER_ROLE_ATTRIBUTE, type UserRole } from '@adrecon/contract';
import type { Context } from 'fabric-contract-api';

/** The person behind a transaction: the organization (MSP) and the user its CA enrolled. */
export interface Actor {
  /** The caller's MSP ID. */
  readonly mspId: string;
  /** The enrollment ID the organization's Fabric CA wrote into the certificate (`hf.EnrollmentID`), else its CN. */
  readonly enrollmentId: string;
  /** The caller's `adrecon.role` attribute, or undefined when its certificate carries none (read only). */
  readonly userRole: UserRole | undefined;
}

/** The common name of an X.509 subject as fabric-shim prints it (`/C=US/…/CN=name` or `x509::CN=name,…`). */
function commonName(subject: string): string {
  const match = /(?:^|[/,])\s*CN=([^/,]+)/.exec(subject);
  return match?.[1]?.trim() ?? subject;
}

/** Who submits the current transaction, from its signed proposal's certificate. */
export function actorOf(ctx: Context): Actor {
  const identity = ctx.clientIdentity;
  const role = identity.getAttributeValue(USER_ROLE_ATTRIBUTE) ?? undefined;
  const enrollmentId = identity.getAttributeValue('hf.EnrollmentID') ?? commonName(identity.getID());
  return { mspId: identity.getMSPID(), enrollmentId, userRole: isUserRole(role) ? role : undefined };
}

/** The caller as a record names it (`proposer`, `acceptedBy`, `reportedBy`, `issuedBy`, `recordedBy`, `acceptor`). */
export function actorRecord(ctx: Context): { mspId: string; enrollmentId: string } {
  const { mspId, enrollmentId } = actorOf(ctx);
  return { mspId, enrollmentId };
}
