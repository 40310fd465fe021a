/**
 * Freezes a plain value (objects with the plain prototype, arrays) and every plain value reachable
 * from it, so that values handed to callers (specs, presets, results) cannot be changed behind the
 * library's back. Class instances (a `Date`, a luxon `Duration`) are left alone: luxon keeps lazy
 * caches on its objects.
 * @internal
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
