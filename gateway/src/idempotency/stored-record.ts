import { z } from 'zod';

/** One remembered answer as both durable stores write it. */
export const recordSchema = z.object({
  scope: z.string(),
  key: z.string(),
  requestHash: z.string(),
  status: z.number(),
  body: z.unknown(),
  createdAt: z.number(),
});
