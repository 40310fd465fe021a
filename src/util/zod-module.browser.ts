/**
 * The bundler way to obtain zod (see ./zod.ts): a static import, so that a bundler includes it.
 * tsup.config.ts builds dist/browser.js (the package's `browser` export condition) with this module in
 * place of ./zod-module.ts; zod then loads with sla-clock, which is what a bundle does anyway.
 */
import * as z from "zod";
import type { ZodApi } from "./zod-module";

/**
 * zod's `toJSONSchema` (a function of its own, so that an app that writes no JSON Schema does not keep it).
 *
 * @example
 * ```ts
 * loadToJsonSchema()(loadZodModule().string()); // { $schema: …, type: "string" }
 * ```
 * @internal
 */
export function loadToJsonSchema(): typeof z.toJSONSchema {
  return z.toJSONSchema;
}

/**
 * Returns the statically imported zod.
 *
 * @example
 * ```ts
 * const z = loadZodModule();
 * z.number().parse(1); // 1
 * ```
 * @internal
 */
export function loadZodModule(): ZodApi {
  // Each function by name, not the namespace: see ZodApi.
  return {
    array: z.array,
    custom: z.custom,
    discriminatedUnion: z.discriminatedUnion,
    enum: z.enum,
    literal: z.literal,
    never: z.never,
    number: z.number,
    strictObject: z.strictObject,
    string: z.string,
    tuple: z.tuple,
    union: z.union,
  };
}
