/**
 * The browser build's stand-in for ./holiday-table.ts (tsup.config.ts swaps it in): a bundle has no
 * table file to read and no date-holidays of its own (the application registers one), so the
 * holiday sources always ask date-holidays.
 */
import type { HolidayTable } from "./holiday-table";

/** No table in a bundle. @internal */
export function presetHolidayTable(): HolidayTable | undefined {
  return undefined;
}
