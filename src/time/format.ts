import { fixedShapeFormat } from "./fixed-shape";
import type { ZoneRules } from "./zone";

/**
 * How an instant is written by `Calendar.format`:
 * - `"iso"`: ISO-8601 with the zone's offset, `2026-04-08T12:00:00+02:00`;
 * - `"zoned"`: the same with the zone as an RFC 9557 annotation, as `Temporal.ZonedDateTime` and
 *   Java print it, `2026-04-08T12:00:00+02:00[Europe/Stockholm]`;
 * - `"date"`: the local date alone, `2026-04-08`.
 *
 * @example
 * ```ts
 * import { getCalendar } from "sla-clock";
 * const style: InstantStyle = "zoned";
 * getCalendar("softone-se").format("2026-04-08T10:00Z", { style }); // "2026-04-08T12:00:00+02:00[Europe/Stockholm]"
 * ```
 */
export type InstantStyle = "iso" | "zoned" | "date";

/** The styles, for validation and messages. @internal */
export const INSTANT_STYLES: readonly InstantStyle[] = ["iso", "zoned", "date"];

/**
 * An instant (epoch ms, finite) written in a zone: seconds always, milliseconds only when there
 * are some, the zone's offset as `±HH:MM` (`Z` in the zones `UTC` and `Etc/UTC`). An offset with
 * seconds (local mean time, before the 1970s) has no exact `±HH:MM` form, so such instants are
 * written in UTC (`Z`), which names the same instant. Every form but `"date"` reads back as the
 * same instant.
 * @internal
 */
export function formatInZone(ms: number, rules: ZoneRules, style: InstantStyle): string {
  const offset = rules.offsetAt(ms);
  if (style === "iso") {
    // The commonest case by arithmetic (the same text; see ./fixed-shape.ts).
    const fixed = fixedShapeFormat(ms, offset, rules);
    if (fixed !== undefined) return fixed;
  }
  const exact = offset % 60_000 === 0;
  const wall = new Date(exact ? ms + offset : ms).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  if (style === "date") return new Date(ms + offset).toISOString().slice(0, 10);
  const local = ms % 1000 === 0 ? wall.slice(0, 19) : wall.slice(0, 23);
  let suffix: string;
  if (!exact || (offset === 0 && (rules.name === "UTC" || rules.name === "Etc/UTC"))) {
    suffix = "Z";
  } else {
    const minutes = Math.abs(offset) / 60_000;
    const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
    const mm = String(minutes % 60).padStart(2, "0");
    suffix = `${offset < 0 ? "-" : "+"}${hh}:${mm}`;
  }
  return style === "zoned" ? `${local}${suffix}[${rules.name}]` : `${local}${suffix}`;
}
