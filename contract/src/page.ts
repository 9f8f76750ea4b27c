import { z } from 'zod';
import { LIMITS } from './limits.js';
import { bookmarkSchema, countSchema, pageSizeSchema, timestampSchema } from './primitives.js';

/** The paging fields of a list query: `pageSize` 1..200 (default 50) and the previous page's `bookmark`. */
export const pageQueryShape = {
  pageSize: pageSizeSchema.default(LIMITS.defaultPageSize),
  bookmark: bookmarkSchema.default(''),
};

/** A page of records: `{records, bookmark, fetchedCount}` (fetchedCount counts keys read, before filters). */
export function pageOf<T extends z.ZodType>(record: T) {
  return z.object({ records: z.array(record), bookmark: z.string(), fetchedCount: countSchema });
}

/** Every write of one key: `[{txId, timestamp, isDelete, value}]`, newest first (Fabric 2.x). */
export function historyOf<T extends z.ZodType>(record: T) {
  return z.array(
    z.object({ txId: z.string(), timestamp: timestampSchema, isDelete: z.boolean(), value: record.nullable() }),
  );
}

/** A list that is not paginated: `{records}`. */
export function listOf<T extends z.ZodType>(record: T) {
  return z.object({ records: z.array(record) });
}
