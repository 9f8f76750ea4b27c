import { z } from 'zod';
import { jsonObject, mspIdSchema } from './primitives.js';

/**
 * The person who wrote a record: the organization (MSP ID) and the enrollment ID its Fabric CA wrote into the
 * signing user's certificate. Records written before users were recorded carry none.
 */
export const actorSchema = jsonObject({
  mspId: mspIdSchema,
  enrollmentId: z.string().min(1).max(128),
});
/** One actor. */
export type Actor = z.output<typeof actorSchema>;
