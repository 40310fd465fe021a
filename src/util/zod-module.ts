/**
 * The Node way to obtain zod (see ./zod.ts): a synchronous `require` from this module's location,
 * through `process.getBuiltinModule` so that there is no `node:module` import for a browser bundler to
 * resolve, and the way date-holidays is loaded (src/calendar/holidays.ts). ESM and CommonJS builds
 * both get zod's CommonJS build this way; it is the same library and gives the same messages.
 * The `browser`-condition build (tsup.config.ts) replaces this module with ./zod-module.browser.ts.
 *
 * The schemas are written with `zod/mini`, zod 4's tree-shakable variant: the same core (the same
 * parsing, issues and English messages) behind functions instead of methods. A bundler keeps only
 * the functions used, where zod's classic API (methods on every schema) keeps nearly all of zod:
 * the holiday-less browser app carried 94 KB of zod (minified) with it, 28.5 KB with zod/mini
 * (docs/performance.md, "Cold start and bundle size").
 */
import type * as z from "zod/mini";
import type englishLocale from "zod/v4/locales/en.js";
import { MissingDependencyError } from "../errors";
import { nodeModuleBuiltin } from "./node-module";
import { useEnglishUnlessConfigured } from "./zod-locale";

/**
 * The part of zod/mini that sla-clock's schemas use. The browser build hands over exactly these
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
  | "gt"
  | "literal"
  | "lte"
  | "maxLength"
  | "meta"
  | "minLength"
  | "never"
  | "number"
  | "optional"
  | "refine"
  | "strictObject"
  | "string"
  | "superRefine"
  | "tuple"
  | "union"
>;

/** The package names, not literals at the call, so that bundlers of dist/index.js do not follow them. */
const ZOD_MINI: string = "zod/mini";
const ZOD_ENGLISH: string = "zod/v4/locales/en.cjs";

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

/** What to do when zod cannot be loaded: the browser build imports it statically. */
const ZOD_ADVICE =
  'bundle sla-clock with the "browser" export condition (dist/browser/, which imports zod statically; esbuild: --conditions=browser), or keep zod in node_modules beside the bundle (esbuild: --external:zod)';

function requireZod(): typeof z {
  const nodeModule = nodeModuleBuiltin();
  if (nodeModule === undefined)
    throw new MissingDependencyError(`sla-clock: zod cannot be loaded here (no Node require); ${ZOD_ADVICE}`);
  try {
    // A CommonJS bundle has no import.meta.url: resolve from the working directory then.
    const require = nodeModule.createRequire(import.meta.url || `${process.cwd()}/`);
    const zodMini = require(ZOD_MINI) as typeof z;
    // zod's CommonJS locale modules export the function itself (`module.exports = exports.default`).
    useEnglishUnlessConfigured(zodMini.config, require(ZOD_ENGLISH) as typeof englishLocale);
    return zodMini;
  } catch (e) {
    throw new MissingDependencyError(
      `sla-clock: zod/mini cannot be loaded here (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); ${ZOD_ADVICE}`,
    );
  }
}
