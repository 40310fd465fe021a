import type { DayReason } from "../calendar/day-rules";
import type { DayHours } from "../calendar/spec";

/**
 * A rule that applied to a day, in words: `holiday: Långfredagen (Good Friday)`, `eve of
 * Långfredagen (Good Friday): closes 13:00`, `Perjantaisin suljemme klo 14: closes 14:00`.
 *
 * @example
 * ```ts
 * describeReason({ kind: "weekdayRule", name: "Perjantaisin suljemme klo 14", closeAt: "14:00" }); // "Perjantaisin suljemme klo 14: closes 14:00"
 * ```
 */
export function describeReason(r: DayReason): string {
  const names = (hs: readonly { name: string; nameEn?: string }[]) =>
    hs.map((h) => (h.nameEn ? `${h.name} (${h.nameEn})` : h.name)).join(", ");
  switch (r.kind) {
    case "override":
      return `override${r.name ? `: ${r.name}` : ""}`;
    case "holiday":
      return `holiday: ${names(r.holidays)}`;
    case "closedDate":
      return `closed${r.name ? `: ${r.name}` : ""}`;
    case "openDate":
      // An openDates entry on a date that is no holiday opens it with its own hours, or changes nothing.
      return `${r.holidays.length ? `open despite ${names(r.holidays)}` : "open date"}${r.name ? ` (${r.name})` : ""}`;
    case "eve":
      return `eve of ${names(r.holidays)}${r.closeAt ? `: closes ${r.closeAt}` : ""}${r.hours ? ": other hours" : ""}`;
    case "weekdayRule":
      return `${r.name ?? "weekday rule"}: closes ${r.closeAt}`;
    case "nonexistentDate":
      return "date skipped by the time zone";
  }
}

/**
 * Why a day's hours are what they are, in words, as `sla-clock hours` and `sla-clock explain` say
 * it: the rules that applied, and "no weekly hours" first for a day the week keeps closed (where
 * an eve changes nothing, so its closing time is left out).
 *
 * @example
 * ```ts
 * whyDay(getCalendar("softone-se").describeDay("2026-04-04")); // ["no weekly hours", "eve of Påskdagen (Easter Sunday)"]
 * ```
 */
export function whyDay(d: { readonly weeklyHours: DayHours; readonly reasons: readonly DayReason[] }): string[] {
  const why = d.reasons.map((r) =>
    d.weeklyHours.length === 0 && r.kind === "eve" ? describeReason({ ...r, closeAt: undefined }) : describeReason(r),
  );
  if (
    d.weeklyHours.length === 0 &&
    !d.reasons.some((r) => r.kind === "holiday" || r.kind === "override" || r.kind === "openDate")
  )
    why.unshift("no weekly hours");
  return why;
}
