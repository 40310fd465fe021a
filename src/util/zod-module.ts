/**
 * The Node way to obtain zod (see ./zod.ts): a synchronous `require` from this module's location,
 * through `process.getBuiltinModule` so that there is no `node:module` import for a browser bundler to
 * resolve, and the way date-holidays is loaded (src/calendar/holidays.ts). ESM and CommonJS builds
 * both get zod's CommonJS build this way; it is the same library and gives the same messages.
 * The `browser`-condition build (tsup.config.ts) replaces this module with ./zod-module.browser.ts.
 */
import type * as z from "zod";
import { nodeModuleBuiltin } from "./node-module";

/**
 * The part of zod that sla-clock's schemas use. The browser build hands over exactly these
 * functions, not the module namespace: a namespace used as a value keeps all of zod in a bundle
 * (its translated messages too), named functions let the bundler drop the rest. Add a name here
 * when a schema needs another of zod's functions (tsc then says where it is missing). `toJSONSchema`
 * has its own loader, {@link loadToJsonSchema}: only the JSON Schema writers need it, and it is large.
 * @internal
 */
export type ZodApi = Pick<
  typeof z,
  | "array"
  | "custom"
  | "discriminatedUnion"
  | "enum"
  | "literal"
  | "never"
  | "number"
  | "strictObject"
  | "string"
  | "tuple"
  | "union"
>;

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
export function loadZodModule(): ZodApi {
  return requireZod();
}

/**
 * zod's `toJSONSchema`, loaded now.
 *
 * @example
 * ```ts
 * loadToJsonSchema()(loadZodModule().string()); // { $schema: …, type: "string" }
 * ```
 * @internal
 */
export function loadToJsonSchema(): typeof z.toJSONSchema {
  return requireZod().toJSONSchema;
}

function requireZod(): typeof z {
  const nodeModule = nodeModuleBuiltin();
  if (nodeModule === undefined)
    throw new Error(
      'sla-clock: zod cannot be loaded here (no Node require); bundle sla-clock with the "browser" export condition (dist/browser.js), which imports zod statically',
    );
  return nodeModule.createRequire(import.meta.url)(ZOD) as typeof z;
}
