/**
 * The Node builds' way to reach ./holidays.ts, the date-holidays source: a static import, so that
 * whatever checks a spec (./spec.ts) or builds a calendar (./holiday-source.ts) has it loaded, in
 * every entry point (dist/index.js, the CLI) and in tests that import a single module.
 * tsup.config.ts builds dist/browser/ with ./date-holidays-slot.ts in its place (why: see there);
 * both export the same functions.
 */
import { DateHolidaysLookup, dateHolidaysIssues } from "./holidays";
import type { CompiledDateHolidays } from "./date-holidays-slot";
import type { HolidayProvider } from "./holiday-source";

export { dateHolidaysIssues };

/**
 * The provider of a compiled date-holidays source's holidays.
 *
 * @example
 * ```ts
 * dateHolidaysLookup(compiled).closes(day); // whether a closing holiday falls on the day
 * ```
 * @internal
 */
export function dateHolidaysLookup(source: CompiledDateHolidays): HolidayProvider {
  return new DateHolidaysLookup(source);
}
