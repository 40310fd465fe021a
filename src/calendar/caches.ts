/**
 * The process-wide caches that calendars share (issue 20), as rows that `configureCaches`
 * (clock/caches.ts, the public face) sets and reads. Every cache is bounded by default; the limits
 * only trade memory for the time of recomputing what was dropped, never an answer.
 */
import { optionsObject, SlaClockError } from "../errors";
import { describe } from "../time/instant";
import { setSharedZonesLimit, sharedZonesUsage } from "../time/zone";
import { indexBytesUsage, setIndexBytes } from "./chunk-budget";
import { holidayYearsUsage, setHolidayYearsLimit } from "./holidays";

/**
 * One process-wide cache that `configureCaches` sets: its option's name, the least limit allowed,
 * and how to set the limit and read the use. The calendars' caches are the rows below; a higher
 * layer adds its own rows (clock/caches.ts), so a new cache is a new row, not a new branch here.
 * @internal
 */
export interface CacheControl {
  readonly name: string;
  readonly least: number;
  /** The largest value allowed, when there is one. */
  readonly most?: number;
  set(limit: number): void;
  usage(): { readonly limit: number; readonly size: number };
}

/** The calendars' caches, in the order `configureCaches` reports them. @internal */
export const CALENDAR_CACHES: readonly CacheControl[] = Object.freeze([
  { name: "holidayYears", least: 0, set: setHolidayYearsLimit, usage: holidayYearsUsage },
  { name: "indexBytes", least: 0, set: setIndexBytes, usage: indexBytesUsage },
  { name: "zones", least: 1, set: setSharedZonesLimit, usage: sharedZonesUsage },
]);

/**
 * Checks every option of `limits` against `controls` first (an unknown option or a bad limit
 * changes nothing), then sets each given limit, and returns every cache's limit and use, by name.
 * @internal
 */
export function applyCacheLimits(
  controls: readonly CacheControl[],
  limits: unknown,
): Record<string, { readonly limit: number; readonly size: number }> {
  const given = optionsObject(limits, "configureCaches options", "{ indexBytes: 268435456 }");
  const names = controls.map((c) => c.name);
  for (const key of Object.keys(given)) {
    if (!names.includes(key))
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `configureCaches: unknown option "${key}"; the options are ${names.join(", ")}`,
        { path: `options.${key}` },
      );
  }
  const checked = controls.map((control) => [control, limitOf(given[control.name], control)] as const);
  for (const [control, value] of checked) if (value !== undefined) control.set(value);
  return Object.fromEntries(controls.map((c) => [c.name, c.usage()]));
}

function limitOf(value: unknown, control: CacheControl): number | undefined {
  if (value === undefined) return undefined;
  const { least, most } = control;
  if (
    typeof value !== "number" ||
    !Number.isSafeInteger(value) ||
    value < least ||
    (most !== undefined && value > most)
  )
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `configureCaches: options.${control.name} must be ${most === undefined ? `a whole number ≥ ${least}` : `a whole number in ${least}…${most}`}, got ${describe(value)}`,
      { value, path: `options.${control.name}` },
    );
  return value;
}
