import { verifyInclusion, verifyRecordInclusion, type MerkleTreeVersion } from '@adrecon/merkle';
import type { z } from 'zod';
import type { proofArgumentSchema } from '@adrecon/contract';
import { InvalidStateError } from '../errors.js';
import type { DeliveryReport } from '../models/delivery-report.js';

/** The parsed `delivery:VerifyProof` proof argument. */
export type ProofArgument = z.output<typeof proofArgumentSchema>;

/**
 * Whether the proof's leaf (a record or a leaf hash) is in the report's Merkle batch: the path leads to the stored
 * root and the tree is as large as the stored record count.
 *
 * @throws InvalidStateError when the report carries no Merkle root.
 */
export function checkProof(report: DeliveryReport, proof: ProofArgument): boolean {
  if (report.merkleRoot === undefined) {
    throw new InvalidStateError(`report ${report.reportId} of ${report.reporter} has no Merkle root`);
  }
  const inclusion = {
    leafIndex: proof.leafIndex,
    treeSize: proof.treeSize,
    auditPath: proof.auditPath,
    // The contract's schema let only versions the Merkle library knows through.
    ...(proof.version === undefined ? {} : { version: proof.version as MerkleTreeVersion }),
  };
  const valid =
    proof.leafHash !== undefined
      ? verifyInclusion(report.merkleRoot, proof.leafHash, inclusion)
      : proof.record !== undefined && verifyRecordInclusion(report.merkleRoot, proof.record, inclusion);
  return valid && proof.treeSize === report.recordCount;
}
