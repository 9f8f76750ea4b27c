import { common, msp } from '@hyperledger/fabric-protos';
import { KeyEndorsementPolicy } from 'fabric-shim';

/** A decoded key-level endorsement policy: the organizations, how many must endorse, and the principals' roles. */
export interface DecodedPolicy {
  orgs: string[];
  required: number;
  roles: number[];
}

/** Decodes SignaturePolicyEnvelope bytes as set by setStateValidationParameter. */
export function decodePolicy(bytes: Uint8Array): DecodedPolicy {
  const envelope = common.SignaturePolicyEnvelope.deserializeBinary(bytes);
  const roles = envelope
    .getIdentitiesList()
    .map((identity) => msp.MSPRole.deserializeBinary(identity.getPrincipal_asU8()).getRole());
  return {
    orgs: new KeyEndorsementPolicy(bytes).listOrgs().sort(),
    required: envelope.getRule()?.getNOutOf()?.getN() ?? -1,
    roles,
  };
}

/** The PEER role value of an MSPRole principal. */
export const PEER_ROLE = msp.MSPRole.MSPRoleType.PEER;
