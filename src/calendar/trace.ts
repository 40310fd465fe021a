/**
 * Explaining business-time arithmetic: which open stretches a result counted, and which days in
 * between were closed or short, and why. The walk is the interval index's own
 * ({@link IntervalIndex.walk}); the answers (`add`, `subtract`, `between`) come from the engine
 * first, so a trace fails exactly where the arithmetic fails and ends exactly where it ends. None
 * of this runs on the arithmetic's paths.
 */
import { SlaClockError } from "../errors";
import { DAY_MS, formatDay } from "../time/civil";
import { formatInstant } from "../time/instant";
import { MAX_YEAR, MIN_YEAR } from "../time/range";
import type { ZoneRules } from "../time/zone";
import { deepFreeze } from "../util/freeze";
import type { DayDescription } from "./calendar";
import type { DayReason } from "./day-rules";
import type { CalendarEngine } from "./engine";
import { forEachDayInstant } from "./interval-index";
import type { DayHours, Weekday } from "./spec";

/**
 * The most stretches, and the most local dates, one trace holds (as `openIntervals`' cap): a trace
 * over centuries of a dense calendar would otherwise allocate millions of objects.
 */
export const MAX_TRACE_ITEMS = 100_000;

/**
 * One counted open stretch of a {@link BusinessTimeTrace}: a piece of one local date's hours,
 * clipped to the traced span.
 *
 * @example
 * ```ts
 * const stretch: TracedStretch = {
 *   date: "2026-04-02",
 *   start: new Date("2026-04-02T09:00:00Z"),
 *   end: new Date("2026-04-02T10:00:00Z"),
 *   startLocal: "2026-04-02T11:00:00.000+02:00",
 *   endLocal: "2026-04-02T12:00:00.000+02:00",
 *   ms: 3_600_000,
 *   runningMs: 3_600_000,
 * };
 * ```
 */
export interface TracedStretch {
  /** The local date whose hours the stretch belongs to (for an overnight interval, the date it began on). */
  readonly date: string;
  readonly start: Date;
  readonly end: Date;
  /** `start` as ISO-8601 wall time in the calendar's zone, with its offset. */
  readonly startLocal: string;
  /** `end` as ISO-8601 wall time in the calendar's zone, with its offset. */
  readonly endLocal: string;
  /** Business time the stretch contributed, in milliseconds (always positive). */
  readonly ms: number;
  /** Business time counted up to the end of this stretch, in time order (always positive). */
  readonly runningMs: number;
}

/**
 * A local date in a traced span that was closed, shortened or otherwise not its weekday's usual
 * hours, with the reasons {@link Calendar.describeDay} gives for it.
 *
 * @example
 * ```ts
 * const friday: TracedDay = {
 *   date: "2026-04-03",
 *   weekday: "fri",
 *   status: "closed",
 *   hours: [],
 *   weeklyHours: [["08:00", "12:00"], ["13:00", "16:00"]],
 *   openMs: 0,
 *   reasons: [{ kind: "holiday", holidays: [{ date: "2026-04-03", name: "långfredagen", nameEn: "Good Friday", type: "public" }] }],
 * };
 * ```
 */
export interface TracedDay {
  /** The local date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly weekday: Weekday;
  /**
   * `closed`: no open time of its own (a weekend day, a holiday, a closed date, an override
   * without hours, a date the zone skipped); `shortened`: open, for less real time than its
   * weekday's hours would hold on that date; `other`: open for at least that long, but its hours
   * differ or a rule applied (an override that moves the hours, an open date that keeps a holiday
   * open, a cut after the close).
   */
  readonly status: "closed" | "shortened" | "other";
  /** The day's own hours (`describeDay(date).hours`). */
  readonly hours: DayHours;
  /** Its weekday's weekly hours, for comparison. */
  readonly weeklyHours: DayHours;
  /** Open time of the day's own hours, in milliseconds (real elapsed time). */
  readonly openMs: number;
  /** The rules that applied, exactly as `describeDay(date).reasons` (empty for a plain weekend day). */
  readonly reasons: readonly DayReason[];
}

/**
 * The arithmetic behind one result of {@link Calendar.trace}, {@link Calendar.traceBack} or
 * {@link Calendar.traceBetween}: the span `[from, to)` it covered, every open stretch counted in
 * it in time order, and every local date of the span that was closed or not its usual hours. A
 * frozen plain value; `JSON.stringify` writes the `Date`s as UTC ISO strings.
 *
 * @example
 * ```ts
 * import { getCalendar } from "sla-clock";
 * const trace: BusinessTimeTrace = getCalendar("softone-se").trace("2026-04-02T11:00", { hours: 12 });
 * trace.result; // 2026-04-08T10:00:00.000Z (Wed 12:00 Stockholm)
 * trace.stretches.map((s) => `${s.startLocal.slice(0, 16)}–${s.endLocal.slice(11, 16)}`);
 * // ["2026-04-02T11:00–12:00", "2026-04-07T08:00–12:00", "2026-04-07T13:00–16:00", "2026-04-08T08:00–12:00"]
 * trace.days.map((d) => `${d.date} ${d.status}`); // 04-02 shortened (eve), 04-03 … 04-06 closed
 * ```
 */
export interface BusinessTimeTrace {
  /** Which arithmetic was traced: `addBusinessTime`, `subtractBusinessTime` or `businessTimeBetween`. */
  readonly operation: "add" | "subtract" | "between";
  /** The calendar's zone, in which the `…Local` times and the dates are read. */
  readonly zone: string;
  /** Start of the traced span (the earlier end, whatever the direction of the arithmetic). */
  readonly from: Date;
  /** End of the traced span (`from` ≤ `to`); the span is half-open, `[from, to)`. */
  readonly to: Date;
  readonly fromLocal: string;
  readonly toLocal: string;
  /**
   * The instant the traced call returns (`addBusinessTime` / `subtractBusinessTime`): `to` when the
   * arithmetic counted forward, `from` when it counted back; `null` for `businessTimeBetween`.
   */
  readonly result: Date | null;
  /**
   * The signed business time: the duration as given for `add`/`subtract` (negative when it was
   * negative), `businessTimeBetween(a, b)` for `between`. The stretches' `ms` add up to its
   * absolute value.
   */
  readonly totalMs: number;
  readonly stretches: readonly TracedStretch[];
  readonly days: readonly TracedDay[];
}

/**
 * Describes a local date (the public `describeDay`): called with `YYYY-MM-DD` for dates in the
 * supported years, and with an instant of the span for a date just outside them (1899-12-31 or
 * 2201-01-01 local, which only the zone's offset brings into the range).
 * @internal
 */
export type DescribeDay = (date: string | number) => DayDescription;

/** The trace of `addBusinessTime(start, d)`. @internal */
export function traceAdd(engine: CalendarEngine, start: number, d: number, describe: DescribeDay): BusinessTimeTrace {
  const result = engine.add(start, d);
  return d >= 0
    ? traceSpan(engine, describe, "add", start, result, d, result)
    : traceSpan(engine, describe, "add", result, start, d, result);
}

/** The trace of `subtractBusinessTime(end, d)`. @internal */
export function traceSubtract(
  engine: CalendarEngine,
  end: number,
  d: number,
  describe: DescribeDay,
): BusinessTimeTrace {
  const result = engine.subtract(end, d);
  return d >= 0
    ? traceSpan(engine, describe, "subtract", result, end, d, result)
    : traceSpan(engine, describe, "subtract", end, result, d, result);
}

/** The trace of `businessTimeBetween(a, b)`. @internal */
export function traceBetween(engine: CalendarEngine, a: number, b: number, describe: DescribeDay): BusinessTimeTrace {
  const total = engine.between(a, b);
  return b >= a
    ? traceSpan(engine, describe, "between", a, b, total, null)
    : traceSpan(engine, describe, "between", b, a, total, null);
}

function traceSpan(
  engine: CalendarEngine,
  describe: DescribeDay,
  operation: BusinessTimeTrace["operation"],
  from: number,
  to: number,
  totalMs: number,
  result: number | null,
): BusinessTimeTrace {
  const zone = engine.zone;
  const firstDay = engine.localDay(from);
  const lastDay = to > from ? engine.localDay(to - 1) : firstDay - 1;
  // Checked before anything is collected: the dates are cheap to count, not to describe.
  if (lastDay - firstDay + 1 > MAX_TRACE_ITEMS) throw tooLong(operation, from, to, "local dates");

  const stretches: { date: number; start: number; end: number }[] = [];
  engine.index.walk(from, to, (start, end, owner) => {
    const last = stretches[stretches.length - 1];
    // One interval split at a UTC new year (or two touching intervals of the same date) is one stretch.
    if (last !== undefined && last.end === start && last.date === owner) {
      last.end = end;
      return true;
    }
    stretches.push({ date: owner, start, end });
    return stretches.length <= MAX_TRACE_ITEMS;
  });
  if (stretches.length > MAX_TRACE_ITEMS) throw tooLong(operation, from, to, "open stretches");

  let running = 0;
  const traced: TracedStretch[] = stretches.map(({ date, start, end }) => {
    running += end - start;
    return {
      date: formatDay(date),
      start: new Date(start),
      end: new Date(end),
      startLocal: formatLocal(zone, start),
      endLocal: formatLocal(zone, end),
      ms: end - start,
      runningMs: running,
    };
  });

  const days: TracedDay[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const listed = tracedDay(engine, describe, day, from);
    if (listed !== undefined) days.push(listed);
  }

  return deepFreeze({
    operation,
    zone: zone.name,
    from: new Date(from),
    to: new Date(to),
    fromLocal: formatLocal(zone, from),
    toLocal: formatLocal(zone, to),
    result: result === null ? null : new Date(result),
    totalMs: totalMs + 0, // -0 → 0
    stretches: traced,
    days,
  });
}

/** The entry of a local date in a trace, or `undefined` for an ordinary day (its weekday's hours, no rule). */
function tracedDay(engine: CalendarEngine, describe: DescribeDay, day: number, from: number): TracedDay | undefined {
  const year = Number(formatDay(day).slice(0, 4));
  // A date just outside the supported years is named by an instant of the span on it.
  const description = describe(
    year >= MIN_YEAR && year <= MAX_YEAR ? formatDay(day) : Math.max(from, engine.zone.wallToInstant(day * DAY_MS)),
  );
  const { open, hours, weeklyHours, reasons, openMs } = description;
  if (open && reasons.length === 0 && sameHours(hours, weeklyHours)) return undefined;
  // A combined calendar has no weekly hours to differ from: only its closed dates are listed.
  if (open && engine.members !== undefined) return undefined;
  let status: TracedDay["status"] = "closed";
  if (open) {
    let weeklyMs = 0;
    forEachDayInstant(engine.zone, day, engine.weeklyOf(day), (a, b) => {
      weeklyMs += b - a;
    });
    status = openMs < weeklyMs ? "shortened" : "other";
  }
  return { date: description.date, weekday: description.weekday, status, hours, weeklyHours, openMs, reasons };
}

function sameHours(a: DayHours, b: DayHours): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  return true;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** ISO-8601 wall time of an instant in the zone, with milliseconds and its offset (`±HH:MM[:SS]`). */
function formatLocal(zone: ZoneRules, t: number): string {
  const wall = zone.instantToWall(t);
  const day = Math.floor(wall / DAY_MS);
  let rest = wall - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const ms = rest - s * 1000;
  const offset = Math.round((wall - t) / 1000);
  const abs = Math.abs(offset);
  const oh = Math.floor(abs / 3600);
  const om = Math.floor((abs % 3600) / 60);
  const os = abs % 60;
  const sign = offset < 0 ? "-" : "+";
  return `${formatDay(day)}T${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms, 3)}${sign}${pad(oh)}:${pad(om)}${os === 0 ? "" : `:${pad(os)}`}`;
}

function tooLong(operation: string, from: number, to: number, what: string): SlaClockError {
  const name = operation === "add" ? "trace" : operation === "subtract" ? "traceBack" : "traceBetween";
  return new SlaClockError(
    "INVALID_ARGUMENT",
    `${name}: the span from ${formatInstant(from)} to ${formatInstant(to)} holds more than ${MAX_TRACE_ITEMS} ${what}; a trace explains one deadline at a time: trace a shorter span`,
    { limit: MAX_TRACE_ITEMS, from: formatInstant(from), to: formatInstant(to) },
  );
}
