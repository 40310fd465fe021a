/**
 * The bundler way to obtain zod (see ./zod.ts): a static import of zod/mini (see ./zod-module.ts),
 * so that a bundler includes it. tsup.config.ts builds dist/browser/ (the package's `browser` export
 * condition) with this module in place of ./zod-module.ts; zod then loads with sla-clock, which is
 * what a bundle does anyway.
 */
import * as z from "zod/mini";
import english from "zod/v4/locales/en.js";
import type { ZodApi } from "./zod-module";
import { useEnglishUnlessConfigured } from "./zod-locale";

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
 * Returns the statically imported zod/mini functions, with zod's English messages unless the app
 * configured a locale.
 *
 * @example
 * ```ts
 * const z = loadZodModule();
 * z.number().parse(1); // 1
 * ```
 * @internal
 */
export function loadZodModule(): ZodApi {
  useEnglishUnlessConfigured(z.config, english);
  // Each function by name, not the namespace: see ZodApi.
  return {
    array: z.array,
    custom: z.custom,
    discriminatedUnion: z.discriminatedUnion,
    enum: z.enum,
    gt: z.gt,
    literal: z.literal,
    lte: z.lte,
    maxLength: z.maxLength,
    meta: z.meta,
    minLength: z.minLength,
    never: z.never,
    number: z.number,
    optional: z.optional,
    refine: z.refine,
    strictObject: z.strictObject,
    string: z.string,
    superRefine: z.superRefine,
    tuple: z.tuple,
    union: z.union,
  };
}
