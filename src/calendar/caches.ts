/**
 * The limits of the process-wide caches that calendars share (issue 20), in one place: a service
 * with many customer calendars sets them once at start-up. Every cache is bounded by default; the
 * limits only trade memory for the time of recomputing what was dropped, never an answer.
 */
import { optionsObject, SlaClockError } from "../errors";
import { describe } from "../time/instant";
import { setSharedZonesLimit, sharedZonesUsage } from "../time/zone";
import { indexBytesUsage, setIndexBytes } from "./chunk-budget";
import { holidayYearsUsage, setHolidayYearsLimit } from "./holidays";
import { sharedBasesCount } from "./shared-index";

/**
 * Limits of the caches that all calendars of the process share, for {@link configureCaches}. Each
 * is optional: a limit left out stays as it is.
 *
 * @example
 * ```ts
 * const limits: CacheLimits = { holidayYears: 8192, indexBytes: 256 * 1024 * 1024 };
 * ```
 */
export interface CacheLimits {
  /**
   * How many holiday lists, one per (country, state, region, holiday types, substitute days,
   * year), are kept for all calendars together. Default 4 096 (about 3 KB each). 0 shares none:
   * each calendar then computes its own years.
   */
  readonly holidayYears?: number;
  /**
   * Bytes of index chunks (the typed arrays of built years) kept for all calendars together; when
   * exceeded, the least recently used years of any calendar are dropped and rebuilt on demand.
   * Default 64 MiB. 0 keeps no year beyond the query that built it.
   */
  readonly indexBytes?: number;
  /** How many time zones' offset rules are kept (at least 1). Default 1 024. */
  readonly zones?: number;
}

/**
 * What {@link configureCaches} returns: each cache's limit and how much of it is in use now.
 *
 * @example
 * ```ts
 * const usage: CacheUsage = configureCaches();
 * usage.indexBytes.size <= usage.indexBytes.limit; // true
 * ```
 */
export interface CacheUsage {
  /** Holiday lists kept, and the limit. */
  readonly holidayYears: { readonly limit: number; readonly size: number };
  /** Bytes of index chunks kept, and the budget. */
  readonly indexBytes: { readonly limit: number; readonly size: number };
  /** Zones whose rules are kept, and the limit. */
  readonly zones: { readonly limit: number; readonly size: number };
  /** Shared base indexes kept for new calendars (one per zone, hours, holidays, eves and weekday rules). */
  readonly bases: number;
}

const LIMIT_NAMES = ["holidayYears", "indexBytes", "zones"] as const;

/**
 * Sets the limits of the caches that every calendar of the process shares, and returns each
 * cache's limit and use. Call it with no argument to read them. Lowering a limit drops the least
 * recently used entries at once. Throws `INVALID_ARGUMENT` for an unknown option or a limit that is
 * not a whole number ≥ 0 (≥ 1 for `zones`).
 *
 * Calendars share what does not depend on their own dates: a zone's offsets, a country's holiday
 * years, and the index of their base (zone, weekly hours, holidays, eves, weekday rules); see
 * `docs/performance.md` ("Many calendars in one process").
 *
 * @example
 * ```ts
 * import { configureCaches } from "sla-clock";
 * configureCaches({ indexBytes: 256 * 1024 * 1024 }); // a service with 100 000 customer calendars
 * configureCaches().holidayYears.limit; // 4096
 * ```
 */
export function configureCaches(limits?: CacheLimits): CacheUsage {
  const given = optionsObject(limits, "configureCaches options", "{ indexBytes: 268435456 }");
  for (const key of Object.keys(given)) {
    if (!(LIMIT_NAMES as readonly string[]).includes(key))
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `configureCaches: unknown option "${key}"; the options are ${LIMIT_NAMES.join(", ")}`,
        { path: `options.${key}` },
      );
  }
  const checked = LIMIT_NAMES.map((name) => [name, limitOf(given[name], name)] as const);
  for (const [name, value] of checked) {
    if (value === undefined) continue;
    if (name === "holidayYears") setHolidayYearsLimit(value);
    else if (name === "indexBytes") setIndexBytes(value);
    else setSharedZonesLimit(value);
  }
  return {
    holidayYears: holidayYearsUsage(),
    indexBytes: indexBytesUsage(),
    zones: sharedZonesUsage(),
    bases: sharedBasesCount(),
  };
}

function limitOf(value: unknown, name: (typeof LIMIT_NAMES)[number]): number | undefined {
  if (value === undefined) return undefined;
  const least = name === "zones" ? 1 : 0;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < least)
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `configureCaches: options.${name} must be a whole number ≥ ${least}, got ${describe(value)}`,
      { value, path: `options.${name}` },
    );
  return value;
}
