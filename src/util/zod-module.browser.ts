/**
 * The bundler way to obtain zod (see ./zod.ts): a static import, so that a bundler includes it.
 * tsup.config.ts builds dist/browser.js (the package's `browser` export condition) with this module in
 * place of ./zod-module.ts; zod then loads with sla-clock, which is what a bundle does anyway.
 */
import * as z from "zod";

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
export function loadZodModule(): typeof z {
  return z;
}
