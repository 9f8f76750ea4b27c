/** A copy of a model instance (same class) with some fields changed; the original is left as it is. */
export function withChanges<T extends object>(instance: T, changes: Partial<T>): T {
  return Object.assign(Object.create(Object.getPrototypeOf(instance) as object) as T, instance, changes);
}
