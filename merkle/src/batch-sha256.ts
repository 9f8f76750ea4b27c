import { hash } from 'node:crypto';
import { createRequire } from 'node:module';

/** Size of the one message length a {@link BatchSha256} hashes: two 32-byte hashes side by side. */
export const PAIR_BYTES = 64;

/**
 * SHA-256 of many 64-byte messages in one call: message `i` is `input[64i, 64i + 64)`, its digest goes to
 * `output[32i, 32i + 32)`. The standard SHA-256 of each message (FIPS 180-4 padding included), so any SHA-256
 * tool recomputes every digest.
 */
export interface BatchSha256 {
  /** Which implementation this is, for benchmarks and diagnostics. */
  readonly name: string;
  /**
   * Hashes every 64-byte message of `input` into `output`.
   *
   * @param input - `k` messages of 64 bytes, back to back (`input.length` a multiple of 64).
   * @param output - room for `k` digests of 32 bytes; must not overlap `input`.
   */
  hashPairsInto(input: Uint8Array, output: Uint8Array): void;
}

interface HashtreeModule {
  hashInto(input: Uint8Array, output: Uint8Array): void;
}

function isHashtreeModule(value: unknown): value is HashtreeModule {
  return typeof value === 'object' && value !== null && typeof (value as HashtreeModule).hashInto === 'function';
}

/** One `node:crypto` call per message: the portable implementation, and the reference the tests compare with. */
export const nodeCryptoBatchSha256: BatchSha256 = {
  name: 'node:crypto (one call per hash)',
  hashPairsInto(input: Uint8Array, output: Uint8Array): void {
    const messages = input.length / PAIR_BYTES;
    for (let index = 0; index < messages; index++) {
      const from = index * PAIR_BYTES;
      output.set(hash('sha256', input.subarray(from, from + PAIR_BYTES), 'buffer'), index * 32);
    }
  },
};

let loaded: BatchSha256 | undefined;

/**
 * The fastest available {@link BatchSha256}: `@chainsafe/hashtree` (native, SHA-NI/AVX2/AVX-512, many messages per
 * call) when its prebuilt binary loads on this platform, else {@link nodeCryptoBatchSha256}. Loaded on first use,
 * so code that only verifies proofs never loads the native module.
 *
 * @returns the implementation, the same one on every call.
 * @throws never: a missing or broken native module falls back to `node:crypto`.
 */
export function batchSha256(): BatchSha256 {
  loaded ??= loadHashtree() ?? nodeCryptoBatchSha256;
  return loaded;
}

function loadHashtree(): BatchSha256 | undefined {
  try {
    const candidate: unknown = createRequire(__filename)('@chainsafe/hashtree');
    if (!isHashtreeModule(candidate)) {
      return undefined;
    }
    return {
      name: '@chainsafe/hashtree (native, batched)',
      hashPairsInto: (input, output) => {
        if (input.length > 0) {
          candidate.hashInto(input, output);
        }
      },
    };
  } catch {
    return undefined;
  }
}
