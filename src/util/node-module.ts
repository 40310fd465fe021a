/**
 * Node's `node:module`, reached without a static import: through `process.getBuiltinModule`, so
 * that a bundle for the browser has nothing to resolve and a runtime without it gets `undefined`.
 * sla-clock loads zod, date-holidays and the presets' holiday table with a `require` made from it
 * (`createRequire(import.meta.url)`, from sla-clock's own location), each when first needed.
 */

/**
 * `node:module` when this runtime is Node (20.16 and later), else `undefined`.
 *
 * @example
 * ```ts
 * const nodeModule = nodeModuleBuiltin();
 * const own = nodeModule?.createRequire(import.meta.url); // undefined in a browser
 * ```
 * @internal
 */
export function nodeModuleBuiltin(): typeof import("node:module") | undefined {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  if (typeof getBuiltin !== "function") return undefined;
  return getBuiltin("node:module") as typeof import("node:module") | undefined;
}
