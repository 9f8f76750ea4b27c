/** A copy of a record with some fields changed; the original is left as it is. */
export function withChanges<T extends object>(record: T, changes: Partial<T>): T {
  return { ...record, ...changes };
}
