/**
 * The Node way to obtain zod (see ./zod.ts): a synchronous `require` from this module's location,
 * through `process.getBuiltinModule` so that there is no `node:module` import for a browser bundler to
 * resolve, and the way date-holidays is loaded (src/calendar/holidays.ts). ESM and CommonJS builds
 * both get zod's CommonJS build this way; it is the same library and gives the same messages.
 * The `browser`-condition build (tsup.config.ts) replaces this module with ./zod-module.browser.ts.
 */
import type * as z from "zod";

/** The package name, not a literal at the call, so that bundlers of dist/index.js do not follow it. */
const ZOD: string = "zod";

/**
 * Loads zod now. Throws where there is no Node `require`, which only happens when dist/index.js is
 * bundled for a non-Node target that ignores the `browser` condition.
 *
 * @example
 * ```ts
 * const z = loadZodModule();
 * z.number().parse(1); // 1
 * ```
 * @internal
 */
export function loadZodModule(): typeof z {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  const nodeModule =
    typeof getBuiltin === "function"
      ? (getBuiltin("node:module") as typeof import("node:module") | undefined)
      : undefined;
  if (nodeModule === undefined)
    throw new Error(
      'sla-clock: zod cannot be loaded here (no Node require); bundle sla-clock with the "browser" export condition (dist/browser.js), which imports zod statically',
    );
  return nodeModule.createRequire(import.meta.url)(ZOD) as typeof z;
}
