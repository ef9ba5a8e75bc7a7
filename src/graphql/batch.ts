/**
 * A DataLoader batch's answers in the order of its keys: the value found for each key, else the
 * error a single read would have thrown (the field is then null, with that error).
 */
export function inKeyOrder<T>(
  keys: readonly string[],
  found: Iterable<[string, T]>,
  missing: () => Error,
): (T | Error)[] {
  const byKey = new Map(found);
  return keys.map((key) => byKey.get(key) ?? missing());
}
