import { common, msp } from '@hyperledger/fabric-protos';

/** How many of `count` organizations form a majority: more than half. */
export function majorityOf(count: number): number {
  return Math.floor(count / 2) + 1;
}

function peerPrincipal(mspId: string): msp.MSPPrincipal {
  const role = new msp.MSPRole();
  role.setMspIdentifier(mspId);
  role.setRole(msp.MSPRole.MSPRoleType.PEER);
  const principal = new msp.MSPPrincipal();
  principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
  principal.setPrincipal(role.serializeBinary());
  return principal;
}

function signedBy(index: number): common.SignaturePolicy {
  const policy = new common.SignaturePolicy();
  policy.setSignedBy(index);
  return policy;
}

function outOf(n: number, rules: common.SignaturePolicy[]): common.SignaturePolicy {
  const nOutOf = new common.SignaturePolicy.NOutOf();
  nOutOf.setN(n);
  nOutOf.setRulesList(rules);
  const policy = new common.SignaturePolicy();
  policy.setNOutOf(nOutOf);
  return policy;
}

/**
 * The key-level policy "a peer of `subject` AND a peer of a majority of `others`", as Fabric's
 * SignaturePolicyEnvelope bytes: the consent a change of the subject's own record needs (e.g. its consortium role).
 * With no others it is "a peer of `subject`".
 */
export function consentPolicy(subject: string, others: readonly string[]): Uint8Array {
  const rest = [...new Set(others)].filter((o) => o !== subject).sort();
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setVersion(0);
  envelope.setIdentitiesList([subject, ...rest].map(peerPrincipal));
  const subjectRule = signedBy(0);
  const rule =
    rest.length === 0
      ? outOf(1, [subjectRule])
      : outOf(2, [
          subjectRule,
          outOf(
            majorityOf(rest.length),
            rest.map((_, i) => signedBy(i + 1)),
          ),
        ]);
  envelope.setRule(rule);
  return envelope.serializeBinary();
}
