import type { CalendarSpec } from "../../src/index";

/** Weekly hours that open every day of the week from `open` to `close` (wall times, `HH:mm`). */
export function sameHoursEveryDay(open: string, close: string): CalendarSpec["weekly"] {
  const day = [[open, close]] as CalendarSpec["weekly"]["mon"];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day };
}
