import type { Request, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors';
import type { BlockScope, LedgerClient } from '../ledger/ledger-client';

/** Request header: the lowest block the receiving organization's peer must have committed before the call runs. */
export const MIN_BLOCK_HEADER = 'X-Min-Block';
/** Response header of a write: the block that committed it (also `block` in the body). */
export const COMMITTED_BLOCK_HEADER = 'X-Committed-Block';

/** A block number as the API carries it: a decimal string (JSON numbers cannot hold every uint64). */
export const blockNumberSchema = z
  .string()
  .refine(
    (value) => /^(0|[1-9][0-9]{0,19})$/.test(value) && BigInt(value) < 2n ** 64n,
    'a block number: a decimal integer below 2^64',
  );

/** The OpenAPI description of {@link MIN_BLOCK_HEADER}. */
export const minBlockHeaderSchema = z.object({
  [MIN_BLOCK_HEADER]: blockNumberSchema
    .optional()
    .describe(
      "Consistency token: the `block` of a write made through any organization's API. The call waits (up to " +
        "ADRECON_CONSISTENCY_TIMEOUT_MS) until this organization's peer has committed that block, then runs; " +
        '503 LEDGER_BEHIND with Retry-After when it has not by then.',
    ),
});

/**
 * Reads the consistency token of a request, if any.
 * @throws {AppError} VALIDATION_FAILED when the header is not a block number.
 */
export function minBlockOf(req: Request): bigint | undefined {
  const header = req.get(MIN_BLOCK_HEADER);
  if (header === undefined) return undefined;
  const parsed = blockNumberSchema.safeParse(header.trim());
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `headers.${MIN_BLOCK_HEADER}: must be a block number (decimal integer)`);
  }
  return BigInt(parsed.data);
}

/** Options for {@link awaitConsistency}. */
export interface ConsistencyOptions {
  readonly ledger: LedgerClient;
  readonly org: string;
  readonly scope: BlockScope;
  readonly timeoutMs: number;
}

/**
 * Holds a request until its consistency token's block is committed where the call will run.
 * @throws {AppError} VALIDATION_FAILED for a malformed token, LEDGER_BEHIND when the deadline passes.
 */
export async function awaitConsistency(req: Request, options: Readonly<ConsistencyOptions>): Promise<void> {
  const block = minBlockOf(req);
  if (block === undefined) return;
  await options.ledger.awaitBlock(options.org, block, { scope: options.scope, timeoutMs: options.timeoutMs });
}

/** Sets the response header that carries a write's block. */
export function setCommittedBlock(res: Response, block: bigint): void {
  res.set(COMMITTED_BLOCK_HEADER, block.toString());
}
