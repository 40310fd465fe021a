import { SlaClockError, optionsObject, showValue } from "../errors";
import { DAY_MS, dayFromCivil } from "../time/civil";
import { formatInstant, toEpochMs, type InstantInput } from "../time/instant";
import { END_INSTANT, MAX_YEAR, MIN_INSTANT, MIN_YEAR } from "../time/range";
import { isKnownZone, zoneRules, type ZoneRules } from "../time/zone";
import { deepFreeze } from "../util/freeze";

/**
 * A span during which the service was unavailable, `[start, end)`.
 *
 * @example
 * ```ts
 * const outage: Outage = { start: "2026-02-10T03:00:00Z", end: "2026-02-10T03:02:30Z" };
 * ```
 */
export interface Outage {
  readonly start: InstantInput;
  readonly end: InstantInput;
}

/**
 * Options of {@link monthlyUptime}.
 *
 * @example
 * ```ts
 * const options: UptimeOptions = { zone: "Europe/Copenhagen", commitmentPercent: 99.9 };
 * ```
 */
export interface UptimeOptions {
  /** IANA zone whose calendar month is billed. Default `"UTC"`. */
  readonly zone?: string;
  /** The committed monthly uptime in percent (to 1e-6 %). Default 99.99 (MOCH). */
  readonly commitmentPercent?: number;
}

/**
 * A month's uptime against the commitment. Minutes are exact fractions (ms / 60 000).
 *
 * @example
 * ```ts
 * const u: MonthlyUptime = monthlyUptime([], "2026-02");
 * u.uptimePercent; // 100
 * u.allowedDowntimeMinutes; // 4.032 — 0.01 % of February's 40 320 minutes
 * ```
 */
export interface MonthlyUptime {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly monthStart: Date;
  /** The first instant after the month. */
  readonly monthEnd: Date;
  readonly minutesInMonth: number;
  /** Unavailable time in the month, overlapping outages counted once. */
  readonly downtimeMs: number;
  readonly downtimeMinutes: number;
  /** 100 − downtime ÷ month × 100. */
  readonly uptimePercent: number;
  readonly commitmentPercent: number;
  /** The downtime the commitment allows in this month. */
  readonly allowedDowntimeMs: number;
  readonly allowedDowntimeMinutes: number;
  /** Allowed minus actual downtime; negative when the commitment is missed. */
  readonly budgetLeftMs: number;
  /** Whether the uptime meets the commitment. */
  readonly met: boolean;
  /** How many outages overlapped the month. */
  readonly outagesCounted: number;
}

const MONTH_RE = /^(\d{4})-(\d{2})$/;

function badArgument(message: string, details: Record<string, unknown> = {}): SlaClockError {
  return new SlaClockError("INVALID_ARGUMENT", message, details);
}

/**
 * A calendar month's bounds in a zone, from `YYYY-MM`.
 * @internal
 */
export function monthBounds(
  month: unknown,
  zone: ZoneRules,
  what = "month",
): { start: number; end: number; year: number; month: number } {
  const m = typeof month === "string" ? MONTH_RE.exec(month) : null;
  const year = m ? Number(m[1]) : Number.NaN;
  const mon = m ? Number(m[2]) : Number.NaN;
  if (!m || mon < 1 || mon > 12 || year < MIN_YEAR || year > MAX_YEAR) {
    throw badArgument(
      `${what}: ${showValue(month)} is not a month; use "YYYY-MM" between ${MIN_YEAR}-01 and ${MAX_YEAR}-12`,
      { value: month },
    );
  }
  const start = zone.wallToInstant(dayFromCivil(year, mon, 1) * DAY_MS);
  const end = zone.wallToInstant(dayFromCivil(mon === 12 ? year + 1 : year, mon === 12 ? 1 : mon + 1, 1) * DAY_MS);
  // The first and last months of the range reach past it in zones either side of UTC (December
  // 2200 in New York ends 2201-01-01T05:00Z); their bounds would be instants sla-clock refuses.
  if (start < MIN_INSTANT || end > END_INSTANT) {
    throw new SlaClockError(
      "OUT_OF_RANGE",
      `${what}: ${String(month)} in ${zone.name} runs from ${formatInstant(start)} to ${formatInstant(end)}, outside the supported range 1900-01-01T00:00Z … 2201-01-01T00:00Z`,
      { value: month, path: what },
    );
  }
  return { start, end, year, month: mon };
}

/**
 * A zone for contract arithmetic, validated.
 * @internal
 */
export function contractZone(zone: unknown, fallback: string): ZoneRules {
  const name = zone ?? fallback;
  if (typeof name !== "string" || !isKnownZone(name)) {
    throw badArgument(
      `zone: ${showValue(name)} is not an IANA time zone known to this runtime (e.g. "Europe/Stockholm")`,
      { value: name },
    );
  }
  return zoneRules(name);
}

/**
 * MOCH's monthly uptime (seed 004: "Månedlig Oppetidsprocent … mindst 99,99%"): 100 minus the
 * unavailable part of the billing month in percent, against the commitment. Overlapping outages
 * count once; outages are clipped to the month; millisecond precision (minutes are reported as
 * exact fractions). The month is the calendar month in `options.zone` (default UTC), with its real
 * length across DST.
 *
 * @example
 * ```ts
 * import { monthlyUptime } from "sla-clock";
 * const u = monthlyUptime(
 *   [
 *     { start: "2026-02-10T03:00:00Z", end: "2026-02-10T03:03:00Z" },
 *     { start: "2026-02-10T03:02:00Z", end: "2026-02-10T03:04:00Z" }, // overlaps: counted once
 *   ],
 *   "2026-02",
 * );
 * u.downtimeMinutes; // 4
 * u.met; // true: 4 ≤ 4.032 allowed minutes
 * ```
 */
export function monthlyUptime(outages: readonly Outage[], month: string, options: UptimeOptions = {}): MonthlyUptime {
  const opts = optionsObject(options, "options", '{ zone: "Europe/Copenhagen", commitmentPercent: 99.9 }', false, [
    "zone",
    "commitmentPercent",
  ]);
  const zone = contractZone(opts.zone, "UTC");
  const commitment: unknown = opts.commitmentPercent ?? 99.99;
  if (typeof commitment !== "number" || !(commitment > 0 && commitment <= 100)) {
    throw badArgument(`commitmentPercent must be a number in (0, 100], got ${showValue(commitment)}`, {
      value: commitment,
    });
  }
  if (!Array.isArray(outages)) throw badArgument("outages must be an array of { start, end }");
  const bounds = monthBounds(month, zone);
  const spans: [number, number][] = [];
  outages.forEach((o: unknown, i) => {
    if (typeof o !== "object" || o === null) throw badArgument(`outages[${i}]: expected { start, end }`, { index: i });
    const { start, end } = o as Outage;
    const a = toEpochMs(start, zone, `outages[${i}].start`);
    const b = toEpochMs(end, zone, `outages[${i}].end`);
    if (b < a)
      throw badArgument(`outages[${i}]: end (${formatInstant(b)}) is before start (${formatInstant(a)})`, { index: i });
    const s = Math.max(a, bounds.start);
    const e = Math.min(b, bounds.end);
    if (s < e) spans.push([s, e]);
  });
  spans.sort((x, y) => x[0] - y[0]);
  let downtime = 0;
  let coveredTo = -Infinity;
  for (const [s, e] of spans) {
    const from = Math.max(s, coveredTo);
    if (e > from) downtime += e - from;
    coveredTo = Math.max(coveredTo, e);
  }
  const monthMs = bounds.end - bounds.start;
  // In millionths of a percent, so that 99.99 % of a month is exact (100 − 99.99 is not, in floats).
  const allowed = (monthMs * (100_000_000 - Math.round(commitment * 1_000_000))) / 100_000_000;
  return deepFreeze({
    month,
    monthStart: new Date(bounds.start),
    monthEnd: new Date(bounds.end),
    minutesInMonth: monthMs / 60_000,
    downtimeMs: downtime,
    downtimeMinutes: downtime / 60_000,
    uptimePercent: 100 - (downtime / monthMs) * 100,
    commitmentPercent: commitment,
    allowedDowntimeMs: allowed,
    allowedDowntimeMinutes: allowed / 60_000,
    budgetLeftMs: allowed - downtime,
    met: downtime <= allowed,
    outagesCounted: spans.length,
  });
}
