/**
 * Node's built-in modules, reached without a static import: through `process.getBuiltinModule`, so
 * that a bundle for the browser has nothing to resolve and a runtime without it gets `undefined`.
 * sla-clock loads zod, date-holidays and the presets' holiday table with a `require` made from
 * `node:module` (`createRequire(import.meta.url)`, from sla-clock's own location), each when first
 * needed; the helper thread for new batch pages takes `node:os` and `node:worker_threads`.
 */

/**
 * The built-in module `id` (such as `"node:os"`) when this runtime is Node (20.16 and later), else
 * `undefined`.
 *
 * @example
 * ```ts
 * const os = nodeBuiltin<typeof import("node:os")>("node:os");
 * const cores = os?.availableParallelism() ?? 1; // 1 in a browser
 * ```
 * @internal
 */
export function nodeBuiltin<T>(id: string): T | undefined {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  if (typeof getBuiltin !== "function") return undefined;
  return getBuiltin(id) as T | undefined;
}

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
  return nodeBuiltin<typeof import("node:module")>("node:module");
}
