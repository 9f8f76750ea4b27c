import { z } from 'zod';
import type { StoredResponse } from './idempotency-store';

/** One remembered answer as both durable stores write it. */
export const recordSchema = z.object({
  scope: z.string(),
  key: z.string(),
  requestHash: z.string(),
  status: z.number(),
  body: z.unknown(),
  createdAt: z.number(),
});

/** One remembered answer, as parsed by {@link recordSchema}. */
export type StoredRecord = z.infer<typeof recordSchema>;

/** The record of the answer to one (client, key), stamped `createdAt` (epoch ms). */
export function storedRecord(
  scope: string,
  key: string,
  requestHash: string,
  response: StoredResponse,
  createdAt: number,
): StoredRecord {
  return { scope, key, requestHash, status: response.status, body: response.body, createdAt };
}
