import { createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SEAL_NONCE_BYTES, SEAL_TAG_BYTES, TRANSIENT_KEYS } from '@adrecon/contract';
import type { ProposalOptions } from '@hyperledger/fabric-gateway';
import { AppError } from '../errors';

/** A write's proposal options with its inputs kept off the blocks, and the key that opens its sealed response. */
export interface ConfidentialProposal {
  readonly options: ProposalOptions;
  readonly sealKey: Buffer;
}

/**
 * The proposal options of a confidential write (issue 8 item 3): the arguments travel in the transient map, which
 * Fabric never writes into a block, with empty placeholders in their place; a fresh random salt for the private
 * records' public hashes; and a fresh key with which the chaincode seals its response (the response payload is in
 * the block). With `plan`, an evaluation that answers the write's endorsers instead of its result.
 */
export function confidentialProposal(
  args: readonly string[],
  endorsingOrganizations?: readonly string[],
  plan = false,
): ConfidentialProposal {
  const sealKey = randomBytes(32);
  return {
    sealKey,
    options: {
      arguments: args.map(() => ''),
      transientData: {
        [TRANSIENT_KEYS.args]: JSON.stringify(args),
        [TRANSIENT_KEYS.salt]: randomBytes(32),
        [TRANSIENT_KEYS.sealKey]: sealKey,
        ...(plan ? { [TRANSIENT_KEYS.plan]: '1' } : {}),
      },
      ...(endorsingOrganizations === undefined ? {} : { endorsingOrganizations: [...endorsingOrganizations] }),
    },
  };
}

/**
 * Opens a response the chaincode sealed with {@link confidentialProposal}'s key.
 *
 * @throws AppError INTERNAL when it does not open (not sealed with this key for this transaction).
 */
export function openSealedResponse(sealed: Uint8Array, sealKey: Buffer, transactionId: string): Uint8Array {
  if (sealed.length === 0) {
    return sealed;
  }
  try {
    const bytes = Buffer.from(Buffer.from(sealed).toString('utf8'), 'base64');
    const nonce = createHash('sha256').update(transactionId).digest().subarray(0, SEAL_NONCE_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', sealKey, nonce);
    decipher.setAuthTag(bytes.subarray(bytes.length - SEAL_TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - SEAL_TAG_BYTES)), decipher.final()]);
  } catch (err) {
    throw new AppError('INTERNAL', 'the chaincode returned a response that does not open with its seal key', {
      cause: err,
    });
  }
}
