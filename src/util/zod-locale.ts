/**
 * zod's English messages for sla-clock's schemas, shared by both ways of loading zod
 * (./zod-module.ts and ./zod-module.browser.ts; the browser build puts the latter in place of the
 * former, so neither can hold what both need).
 */
import type * as z from "zod/mini";
import type englishLocale from "zod/v4/locales/en.js";

/**
 * Gives zod its English messages unless a locale is already configured, as zod's classic API does
 * when it builds its first schema (zod/mini leaves the locale to the app, and without one every
 * message zod words itself is "Invalid input"). An app that chose another locale with `z.config`
 * keeps it, as it did when sla-clock used the classic API.
 *
 * @example
 * ```ts
 * useEnglishUnlessConfigured(zodMini.config, english); // zod's messages are English from now on
 * ```
 * @internal
 */
export function useEnglishUnlessConfigured(config: typeof z.config, english: typeof englishLocale): void {
  if (!config().localeError) config(english());
}
