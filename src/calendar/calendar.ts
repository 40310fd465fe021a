import { DateTime } from "luxon";
import { optionsObject, showValue, SlaClockError } from "../errors";
import { DAY_MS, MINUTE_MS, formatDay, formatMinute, isoWeekday, parseDay } from "../time/civil";
import { toElapsedMs, type DurationInput } from "../time/duration";
import { formatInZone, INSTANT_STYLES, type InstantStyle } from "../time/format";
import { describe, toEndMs, toEpochMs, type InstantInput } from "../time/instant";
import { MAX_YEAR, MIN_YEAR } from "../time/range";
import { deepFreeze } from "../util/freeze";
import { formatHours, type DayReason } from "./day-rules";
import { CalendarEngine } from "./engine";
import { buildIndexExport, type IndexExport } from "./export-index";
import { traceAdd, traceBetween, traceSubtract, type BusinessTimeTrace } from "./trace";
import {
  compileCalendarSpec,
  WEEKDAYS,
  type AnyCalendarSpec,
  type CalendarSpec,
  type CombinedCalendarSpec,
  type DayHours,
  type Weekday,
} from "./spec";

/**
 * An open stretch of time, `[start, end)`.
 *
 * @example
 * ```ts
 * const morning: OpenInterval = { start: new Date("2026-04-02T06:00:00Z"), end: new Date("2026-04-02T10:00:00Z") };
 * ```
 */
export interface OpenInterval {
  readonly start: Date;
  readonly end: Date;
}

/**
 * A local date's hours and why they differ from the weekly hours, as returned by
 * {@link Calendar.describeDay}.
 *
 * @example
 * ```ts
 * import { getCalendar } from "sla-clock";
 * const day: DayDescription = getCalendar("softone-se").describeDay("2026-04-02");
 * // day.hours → [["08:00", "12:00"]]; day.reasons[0].kind → "eve" (Långfredagen is tomorrow)
 * ```
 */
export interface DayDescription {
  /** The local date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly weekday: Weekday;
  /** Whether the day has any open time of its own. */
  readonly open: boolean;
  /** The day's resolved hours as wall-clock intervals. */
  readonly hours: DayHours;
  /** The same hours as instants. */
  readonly intervals: readonly OpenInterval[];
  /** Total open time of the day in milliseconds (real elapsed time). */
  readonly openMs: number;
  /** The weekday's weekly hours, for comparison. */
  readonly weeklyHours: DayHours;
  /** The rules that applied to this date (empty for an ordinary day, and for a combined calendar). */
  readonly reasons: readonly DayReason[];
  /**
   * For a combined calendar (`anyOf` / `allOf`): each member's own description of the same date
   * (in the member's zone), in the spec's order, with its hours and reasons. Absent for a plain
   * calendar.
   */
  readonly members?: readonly DayDescription[];
}

/**
 * Options of {@link Calendar.format}.
 *
 * @example
 * ```ts
 * const options: FormatOptions = { style: "zoned" };
 * ```
 */
export interface FormatOptions {
  /** `"iso"` (the default), `"zoned"` or `"date"`; see {@link InstantStyle}. */
  readonly style?: InstantStyle;
}

/**
 * Options of {@link Calendar.parse}.
 *
 * @example
 * ```ts
 * const options: ParseOptions = { path: "tickets[3].createdAt" };
 * ```
 */
export interface ParseOptions {
  /** What the input is, for error messages and `details.path` (default `"instant"`). */
  readonly path?: string;
}

/**
 * Options of {@link Calendar.exportIndex}.
 *
 * @example
 * ```ts
 * const options: ExportOptions = { generatedAt: "2026-04-02T12:00:00Z" };
 * ```
 */
export interface ExportOptions {
  /** The generation time written into the identity (default: now); fixed for reproducible files. */
  readonly generatedAt?: InstantInput;
}

/** Reads a calendar's private engine (`undefined` for an object that is not a calendar); set by the class. */
let readEngine: (value: object) => CalendarEngine | undefined;

/**
 * The engine of a calendar, for the library's own modules. The engine is a private field, not a
 * property: calendars (and the shared presets) are handed to every caller, and whatever a caller
 * could reach it would change for all of them.
 * @internal
 */
export function engineOf(calendar: Calendar): CalendarEngine {
  const engine = readEngine(calendar);
  if (engine === undefined)
    throw new SlaClockError("INVALID_ARGUMENT", "calendar: expected a Calendar from createCalendar or getCalendar");
  return engine;
}

/**
 * The exclusive end of a range (`exportIndex`'s `to`, the CLI's `--to`) read as the calendar reads
 * an instant, where the range's own end 2201-01-01T00:00Z is valid too.
 *
 * @example
 * ```ts
 * parseRangeEnd(getCalendar("softone-se"), "2201-01-01T00:00Z", "--to"); // 7289654400000
 * ```
 * @internal
 */
export function parseRangeEnd(calendar: Calendar, input: InstantInput, path: string): number {
  return toEndMs(input, engineOf(calendar).zone, path);
}

/**
 * An immutable opening-hour calendar with exact business-time arithmetic. Create one with
 * {@link createCalendar} or take a preset with `getCalendar(id)`.
 *
 * Instants in may be a `Date`, epoch milliseconds, a luxon `DateTime` or an ISO-8601 string (an
 * offset-less string is wall time in the calendar's zone); instants out are `Date`s. Durations may
 * be milliseconds, a luxon `Duration`, an ISO-8601 duration or `{ hours: 2 }`. The exact rules are
 * in `docs/semantics.md`: intervals are half-open, `addBusinessTime` returns the earliest instant
 * that has used up the duration (a closing instant rather than the next opening), millisecond
 * precision, 1900–2200.
 *
 * @example
 * ```ts
 * import { createCalendar } from "sla-clock";
 * const cal = createCalendar({
 *   zone: "Europe/Stockholm",
 *   weekly: { mon: [["08:00", "16:00"]], tue: [["08:00", "16:00"]], wed: [["08:00", "16:00"]], thu: [["08:00", "16:00"]], fri: [["08:00", "16:00"]] },
 *   holidays: { country: "SE" },
 * });
 * cal.addBusinessTime("2026-04-02T15:00", { hours: 2 }); // Thu 15:00 + 2 h → Tue 2026-04-07 09:00 (Easter)
 * ```
 */
export class Calendar {
  /** The validated spec, frozen: a plain {@link CalendarSpec} or a {@link CombinedCalendarSpec}. */
  readonly spec: AnyCalendarSpec;
  /** The IANA zone in which the calendar reads wall time (a combined calendar's `zone`, or its first member's). */
  readonly zone: string;
  /** A combined calendar's member calendars, in the spec's order; empty for a plain calendar. */
  readonly members: readonly Calendar[];
  readonly #engine: CalendarEngine;

  static {
    readEngine = (value) => (#engine in value ? (value as Calendar).#engine : undefined);
  }

  /** @internal Use {@link createCalendar}. */
  constructor(spec: AnyCalendarSpec, engine: CalendarEngine, zone: string, members: readonly Calendar[] = []) {
    // The class is exported for `instanceof` and its type; `new Calendar(spec)` made an object whose
    // every method threw a TypeError.
    if (!(engine instanceof CalendarEngine))
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        "Calendar: make a calendar with createCalendar(spec), not new Calendar",
        {
          path: "Calendar",
        },
      );
    this.spec = spec;
    this.zone = zone;
    this.members = Object.freeze([...members]);
    this.#engine = engine;
    Object.freeze(this);
  }

  #t(input: InstantInput, what: string): number {
    return toEpochMs(input, this.#engine.zone, what);
  }

  /**
   * Whether the calendar is open at an instant (intervals are half-open: open at the opening
   * instant, closed at the closing instant).
   *
   * @example
   * ```ts
   * cal.isOpen("2026-04-02T12:30"); // false: lunch
   * ```
   */
  isOpen(t: InstantInput): boolean {
    return this.#engine.isOpen(this.#t(t, "t"));
  }

  /**
   * The earliest instant at or after `t` at which the calendar is open (`t` itself when open).
   * Throws `NO_OPEN_TIME` when there is none within 10 years, `OUT_OF_RANGE` when it would lie after
   * 2200-12-31.
   *
   * @example
   * ```ts
   * cal.nextOpen("2026-04-03T10:00"); // Good Friday → Tuesday 2026-04-07 08:00
   * ```
   */
  nextOpen(t: InstantInput): Date {
    return new Date(this.#engine.nextOpen(this.#t(t, "t")));
  }

  /**
   * The first closing instant after `t`: the end of the open stretch containing `t`, or of the next
   * one when closed. Stretches that touch (an overnight shift meeting the next day's hours) count as
   * one. Throws `NO_CLOSING_TIME` for a calendar that is open around the clock for 10 years, and
   * `OUT_OF_RANGE` when the stretch is still open at the end of 2200-12-31.
   *
   * @example
   * ```ts
   * cal.nextClose("2026-04-02T09:00"); // 2026-04-02 12:00 (eve of Good Friday)
   * ```
   */
  nextClose(t: InstantInput): Date {
    return new Date(this.#engine.nextClose(this.#t(t, "t")));
  }

  /**
   * The latest instant at or before `t` up to which the calendar was open: `t` itself when the
   * calendar is open just before `t` (inside an open stretch, or exactly at its close), else the
   * close of the last stretch before `t`. The mirror of {@link Calendar.nextOpen}: intervals are
   * half-open, so at an opening instant the calendar has only just opened and the answer is the
   * previous close. Throws `NO_OPEN_TIME` when there is no open time within 10 years before `t`,
   * `OUT_OF_RANGE` when it would lie before 1900-01-01.
   *
   * @example
   * ```ts
   * cal.previousClose("2026-04-07T07:00"); // Thursday 2026-04-02 12:00 (the eve's close before Easter)
   * cal.previousClose("2026-04-07T09:30"); // 2026-04-07 09:30 itself: open
   * ```
   */
  previousClose(t: InstantInput): Date {
    return new Date(this.#engine.previousClose(this.#t(t, "t")));
  }

  /**
   * The opening of the open stretch the calendar was in just before `t`, or of the last stretch
   * before `t` when it was closed just before: always earlier than `t`. The mirror of
   * {@link Calendar.nextClose}: inside a stretch it is the stretch's opening; exactly at an opening
   * it is the previous stretch's opening; stretches that touch count as one. Throws
   * `NO_OPEN_TIME` when there is no open time within 10 years before `t`, `NO_CLOSING_TIME` for a
   * calendar open around the clock for 10 years before `t`, and `OUT_OF_RANGE` when the stretch
   * is already open at 1900-01-01.
   *
   * @example
   * ```ts
   * cal.previousOpen("2026-04-07T09:30"); // 2026-04-07 08:00, the opening of the current stretch
   * cal.previousOpen("2026-04-07T08:00"); // Thursday 2026-04-02 08:00: at 08:00 it has only just opened
   * ```
   */
  previousOpen(t: InstantInput): Date {
    return new Date(this.#engine.previousOpen(this.#t(t, "t")));
  }

  /**
   * How many business days lie between two dates: the local dates from `a`'s date up to but not
   * including `b`'s date that have open hours of their own ({@link Calendar.isBusinessDay}), and
   * minus that count of `[b's date, a's date)` when `b` is earlier. Half-open like
   * {@link Calendar.businessTimeBetween}, so counts add up: `between(a, b) + between(b, c) =
   * between(a, c)`, and `between(a, b) = -between(b, a)`. Dates are `YYYY-MM-DD` or instants
   * (their local dates; the time of day does not matter). From a business day `t`,
   * `businessDaysBetween(t, addBusinessDays(t, n)) === n`.
   *
   * @example
   * ```ts
   * cal.businessDaysBetween("2026-03-30", "2026-04-13"); // 8: Mon 30 Mar … Thu 2 Apr, Tue 7 … Fri 10 (Easter)
   * cal.businessDaysBetween("2026-04-13", "2026-03-30"); // -8
   * ```
   */
  businessDaysBetween(a: string | InstantInput, b: string | InstantInput): number {
    return this.#engine.businessDaysBetween(this.#day(a), this.#day(b));
  }

  /**
   * The open stretches between two instants, as {@link Calendar.openIntervals} gives them, one at a
   * time: nothing is computed until it is asked for, memory stays bounded however long the span
   * (one year's index at a time), and there is no limit on the number of stretches. Stop early with
   * `break`. `to` before `from` fails at once with `INVALID_ARGUMENT`.
   *
   * @example
   * ```ts
   * let hours = 0;
   * for (const { start, end } of cal.iterateOpenIntervals("2026-01-01T00:00", "2027-01-01T00:00")) {
   *   hours += (end.getTime() - start.getTime()) / 3_600_000;
   * }
   * ```
   */
  iterateOpenIntervals(from: InstantInput, to: InstantInput): IterableIterator<OpenInterval> {
    const a = this.#t(from, "from");
    const b = this.#t(to, "to");
    if (b < a)
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `iterateOpenIntervals: "to" (${new Date(b).toISOString()}) is before "from" (${new Date(a).toISOString()})`,
      );
    return asOpenIntervals(this.#engine.iterateOpenIntervals(a, b));
  }

  /**
   * The open stretches between two instants, clipped to `[from, to)`; touching intervals are merged.
   * At most 100 000 stretches are returned at once (a year of a calendar with about 270 stretches a
   * day): a longer request fails with `INVALID_ARGUMENT` naming the limit and the end of the
   * 100 000th stretch; read long spans page by page, each page starting where the last one ended.
   *
   * @example
   * ```ts
   * cal.openIntervals("2026-04-02T00:00", "2026-04-08T00:00"); // Thu 08–12, Tue 08–12, 13–16
   * ```
   */
  openIntervals(from: InstantInput, to: InstantInput): OpenInterval[] {
    const a = this.#t(from, "from");
    const b = this.#t(to, "to");
    if (b < a)
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `openIntervals: "to" (${new Date(b).toISOString()}) is before "from" (${new Date(a).toISOString()})`,
      );
    return this.#engine.openIntervals(a, b).map(([s, e]) => Object.freeze({ start: new Date(s), end: new Date(e) }));
  }

  /**
   * A local date's hours and the reasons they differ from the week: the holiday's name, an eve, a
   * weekday rule, an override. `date` is a `YYYY-MM-DD` string or an instant (its local date).
   * `intervals` are the date's own open instants in time order without overlaps (on a spring-forward
   * date an interval in the gap moves forward and is joined with one it lands on), and `openMs` is
   * their total; `hours` are the wall times as the spec gives them.
   *
   * @example
   * ```ts
   * cal.describeDay("2026-12-24").reasons; // [{ kind: "eve", holidays: [{ name: "juldagen", … }], closeAt: "13:00" }]
   * ```
   */
  describeDay(date: string | InstantInput): DayDescription {
    return this.#describeDay(this.#day(date));
  }

  /** {@link Calendar.describeDay} of a local day number (a member describes its combination's day so). */
  #describeDay(day: number): DayDescription {
    const engine = this.#engine;
    const resolved = engine.explainDay(day);
    const instants = engine.dayInstants(day);
    const reasons: DayReason[] = [...resolved.reasons];
    if (
      resolved.intervals.length > 0 &&
      instants.length === 0 &&
      engine.zone.wallToInstant((day + 1) * DAY_MS) <= engine.zone.wallToInstant(day * DAY_MS)
    ) {
      reasons.push({ kind: "nonexistentDate" });
    }
    const weekday = WEEKDAYS[isoWeekday(day) - 1] as Weekday;
    const combined = engine.members !== undefined;
    return deepFreeze({
      date: formatDay(day),
      weekday,
      open: instants.length > 0,
      hours:
        combined || cutByDayBefore(engine, day, instants)
          ? instants.map(([s, e]) => [wallTime(engine, s, day), wallTime(engine, e, day)] as const)
          : instants.length > 0
            ? formatHours(resolved.intervals)
            : [],
      intervals: instants.map(([s, e]) => ({ start: new Date(s), end: new Date(e) })),
      openMs: instants.reduce((sum, [s, e]) => sum + (e - s), 0),
      weeklyHours: formatHours(engine.weeklyOf(day)),
      reasons,
      // By the day number: a date string of a day just outside the supported years (1899-12-31, named
      // by an instant of 1900 in a zone west of UTC) is refused, the day itself is not.
      ...(combined ? { members: this.members.map((m) => m.#describeDay(day)) } : {}),
    });
  }

  /**
   * The instant at which `duration` of business time has been used up, counting from `start`: the
   * earliest instant `t ≥ start` with `businessTimeBetween(start, t) === duration`. A start outside
   * hours counts from the next opening; a duration used up exactly at a close returns the closing
   * instant; a zero duration returns `start`; a negative one subtracts.
   *
   * @example
   * ```ts
   * cal.addBusinessTime("2026-04-02T11:00", { hours: 1 }); // 2026-04-02 12:00, the eve's close
   * ```
   */
  addBusinessTime(start: InstantInput, duration: DurationInput): Date {
    return new Date(this.#engine.add(this.#t(start, "start"), toElapsedMs(duration, "duration")));
  }

  /**
   * The latest instant `t ≤ end` with `businessTimeBetween(t, end) === duration`: the inverse of
   * {@link Calendar.addBusinessTime}. A negative duration adds.
   *
   * @example
   * ```ts
   * cal.subtractBusinessTime("2026-04-07T09:00", { hours: 2 }); // 2026-04-02 11:00
   * ```
   */
  subtractBusinessTime(end: InstantInput, duration: DurationInput): Date {
    return new Date(this.#engine.subtract(this.#t(end, "end"), toElapsedMs(duration, "duration")));
  }

  /**
   * Business time in `[a, b)` in milliseconds; negative when `b` is before `a`.
   *
   * @example
   * ```ts
   * cal.businessTimeBetween("2026-04-02T11:00", "2026-04-07T09:00"); // 7_200_000 (2 h)
   * ```
   */
  businessTimeBetween(a: InstantInput, b: InstantInput): number {
    return this.#engine.between(this.#t(a, "a"), this.#t(b, "b"));
  }

  /**
   * Whether a local date has open hours of its own. `date` is `YYYY-MM-DD` or an instant.
   *
   * @example
   * ```ts
   * cal.isBusinessDay("2026-04-06"); // false: Annandag påsk
   * ```
   */
  isBusinessDay(date: string | InstantInput): boolean {
    return this.#engine.isBusinessDay(this.#day(date));
  }

  /**
   * The same local time of day on the `n`-th business day after `t`'s local date (before it when
   * `n` is negative). `t`'s own date is not counted; `n = 0` returns `t`. The time of day is kept
   * even where it falls outside the hours. Throws `NO_OPEN_TIME` after 3 660 dates in a row (ten
   * years of 366) without a business day, and `OUT_OF_RANGE` when the result, or that search, would
   * leave the supported range (1900-01-01 … 2200-12-31) first.
   *
   * @example
   * ```ts
   * cal.addBusinessDays("2026-04-02T10:00", 1); // Tuesday 2026-04-07 10:00
   * ```
   */
  addBusinessDays(t: InstantInput, n: number): Date {
    if (!Number.isInteger(n) || Math.abs(n) > (MAX_YEAR - MIN_YEAR + 1) * 366) {
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `addBusinessDays: n must be a whole number of days, got ${showValue(n)}`,
        { value: n },
      );
    }
    return new Date(this.#engine.addBusinessDays(this.#t(t, "t"), n));
  }

  /**
   * The last closing instant of the business day on which a clock started at `t` starts (at `t`
   * when open, else at the next opening; a start exactly at a closing instant belongs to the next
   * business day).
   *
   * @example
   * ```ts
   * cal.endOfBusinessDay("2026-04-01T18:00"); // 2026-04-02 12:00: next business day is the eve
   * ```
   */
  endOfBusinessDay(t: InstantInput): Date {
    return new Date(this.#engine.endOfBusinessDay(this.#t(t, "t")));
  }

  /**
   * The last closing instant of the last day with open time in the ISO week (Monday–Sunday, local)
   * in which a clock started at `t` starts.
   *
   * @example
   * ```ts
   * cal.endOfBusinessWeek("2026-12-21T10:00"); // 2026-12-24 12:00: Julafton is the week's last open day
   * ```
   */
  endOfBusinessWeek(t: InstantInput): Date {
    return new Date(this.#engine.endOfBusinessWeek(this.#t(t, "t")));
  }

  /**
   * {@link Calendar.addBusinessTime} for whole arrays of epoch milliseconds, without allocating per
   * element: `out[i]` is the deadline of `starts[i]` plus `durations[i]` (or the one `durations`
   * number) of business time. A start that is NaN, fractional or outside 1900–2200, a duration that
   * is not finite, or a result that does not exist yields NaN in that slot; the rest of the batch
   * goes on. Pass `out` to reuse a buffer (it may be `starts` itself).
   *
   * @example
   * ```ts
   * const starts = Float64Array.from([Date.parse("2026-04-02T09:00:00Z"), Date.parse("2026-04-03T09:00:00Z")]);
   * const due = cal.addBusinessTimeMany(starts, 4 * 3_600_000); // Float64Array of epoch ms
   * ```
   */
  addBusinessTimeMany(starts: Float64Array, durations: Float64Array | number, out?: Float64Array): Float64Array {
    if (!(starts instanceof Float64Array)) throw bulkArgument("starts", "a Float64Array of epoch milliseconds");
    if (typeof durations !== "number" && !(durations instanceof Float64Array)) {
      throw bulkArgument("durations", "a Float64Array of milliseconds or one number");
    }
    if (typeof durations !== "number" && durations.length !== starts.length) {
      throw bulkArgument("durations", `as long as starts (${starts.length}), got ${durations.length}`);
    }
    return this.#engine.addMany(starts, durations, output(out, starts.length));
  }

  /**
   * {@link Calendar.businessTimeBetween} for whole arrays: `out[i]` is the signed business time
   * from `a[i]` to `b[i]` in ms, NaN where an instant is NaN, fractional or out of range.
   *
   * @example
   * ```ts
   * const created = Float64Array.from([Date.parse("2026-04-02T09:00:00Z")]);
   * const answered = Float64Array.from([Date.parse("2026-04-07T09:00:00Z")]);
   * cal.businessTimeBetweenMany(created, answered); // Float64Array [business ms]
   * ```
   */
  businessTimeBetweenMany(a: Float64Array, b: Float64Array, out?: Float64Array): Float64Array {
    if (!(a instanceof Float64Array)) throw bulkArgument("a", "a Float64Array of epoch milliseconds");
    if (!(b instanceof Float64Array) || b.length !== a.length) {
      throw bulkArgument("b", `a Float64Array as long as a (${a.length})`);
    }
    return this.#engine.betweenMany(a, b, output(out, a.length));
  }

  /**
   * The calendar's open time over `[from, to)` as tables for a data warehouse: the open stretches
   * with running totals, a row per UTC day and a row per business hour, the business days' closes,
   * the zone's offsets both ways and the months, plus the calendar's identity (id, spec hash, range,
   * generation time, library version). SQL over these tables (`docs/warehouse.md`) gives the same
   * answers as {@link Calendar.businessTimeBetween}, {@link Calendar.addBusinessTime} and a policy's
   * deadlines on this calendar to the millisecond, and NULL outside the range. `to` is exclusive, so
   * it may be 2201-01-01T00:00Z, the end of the supported range. Fails with `INVALID_ARGUMENT` for
   * an empty or reversed range, and for a table of more than 10 000 000 rows.
   *
   * @example
   * ```ts
   * const ex = cal.exportIndex("2026-01-01T00:00Z", "2027-01-01T00:00Z");
   * ex.identity.specHash; // "fnv1a64:…", changes whenever the spec does
   * ex.intervals.columns; // ["i", "start_ms", "end_ms", "cum_ms"]
   * ```
   */
  exportIndex(from: InstantInput, to: InstantInput, options?: ExportOptions): IndexExport {
    const { generatedAt } = optionsObject(
      options,
      "exportIndex options",
      `{ generatedAt: "2026-04-02T12:00Z" }`,
      false,
      ["generatedAt"],
    ) as ExportOptions;
    return buildIndexExport(
      this.#engine,
      this.spec,
      this.zone,
      this.#t(from, "from"),
      // `to` is exclusive: the range's own end 2201-01-01T00:00Z is a valid one.
      toEndMs(to, this.#engine.zone, "to"),
      generatedAt === undefined ? Date.now() : this.#t(generatedAt, "generatedAt"),
    );
  }

  /**
   * An instant written in the calendar's zone: ISO-8601 with the zone's offset by default
   * (`2026-04-08T12:00:00+02:00`), with the zone as an RFC 9557 annotation (`style: "zoned"`,
   * as `Temporal` and Java print it), or the local date (`style: "date"`). Seconds are always
   * written, milliseconds only when there are some. The `"iso"` and `"zoned"` forms read back as
   * the same instant with {@link Calendar.parse} (or `new Date(text)` for `"iso"`); an instant whose
   * offset has seconds (local mean time, before the 1970s in most zones) is written in UTC (`Z`),
   * the only exact form RFC 3339 allows for it.
   *
   * @example
   * ```ts
   * const cal = getCalendar("softone-se");
   * cal.format(new Date("2026-04-08T10:00:00Z")); // "2026-04-08T12:00:00+02:00"
   * cal.format("2026-04-08T10:00Z", { style: "zoned" }); // "2026-04-08T12:00:00+02:00[Europe/Stockholm]"
   * cal.format("2026-04-08T23:30Z", { style: "date" }); // "2026-04-09"
   * ```
   */
  format(t: InstantInput, options?: FormatOptions): string {
    const given = optionsObject(options, "options", '{ style: "zoned" }', false, ["style"]).style;
    const style = (given === undefined ? "iso" : given) as InstantStyle;
    if (!INSTANT_STYLES.includes(style))
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `format: options.style must be one of ${INSTANT_STYLES.map((s) => `"${s}"`).join(", ")}, got ${describe(style)}`,
        { value: style, path: "options.style" },
      );
    return formatInZone(this.#t(t, "t"), this.#engine.zone, style);
  }

  /**
   * An instant as a luxon `DateTime` in the calendar's zone, for formatting with luxon's own
   * tokens and locales, or for calendar arithmetic of your own.
   *
   * @example
   * ```ts
   * const local = getCalendar("softone-se").toLocal("2026-04-08T10:00Z");
   * local.toFormat("cccc HH:mm"); // "Wednesday 12:00"
   * local.zoneName; // "Europe/Stockholm"
   * ```
   */
  toLocal(t: InstantInput): DateTime {
    return DateTime.fromMillis(this.#t(t, "t"), { zone: this.zone });
  }

  /**
   * Reads an instant as every method of the calendar reads one, and returns it as a `Date`: the
   * inverse of {@link Calendar.format}. An ISO-8601 string with an offset or `Z` names that instant;
   * one without is wall time in the calendar's zone (a wall time in a DST gap moves forward by the
   * gap, an ambiguous one takes the earlier offset); a date alone is local midnight; an RFC 9557
   * zone annotation must agree with the offset. A `Date`, epoch milliseconds or a luxon `DateTime`
   * is checked and taken as it is. Throws `INVALID_INSTANT` (naming `options.path`, default
   * `"instant"`, in the message and `details.path`) for anything else, `OUT_OF_RANGE` outside
   * 1900–2200.
   *
   * @example
   * ```ts
   * const cal = getCalendar("softone-se");
   * cal.parse("2026-04-08T12:00"); // 2026-04-08T10:00:00.000Z: wall time in Stockholm
   * cal.parse("2026-03-29T02:30"); // 2026-03-29T01:30:00.000Z: 02:30 does not exist, read as 03:30
   * cal.parse("2026-04-08T12:00:00+02:00[Europe/Stockholm]"); // 2026-04-08T10:00:00.000Z
   * cal.parse("soon", { path: "created_at" }); // throws INVALID_INSTANT: created_at: "soon" is not …
   * ```
   */
  parse(input: InstantInput, options?: ParseOptions): Date {
    const given = optionsObject(options, "options", '{ path: "created_at" }', false, ["path"]).path;
    const path = given === undefined ? "instant" : given;
    if (typeof path !== "string")
      throw new SlaClockError("INVALID_ARGUMENT", `options.path must be a string, got ${describe(path)}`, {
        value: path,
        path: "options.path",
      });
    return new Date(toEpochMs(input, this.#engine.zone, path));
  }

  /**
   * The arithmetic behind {@link Calendar.addBusinessTime}: the open stretches it counted from
   * `start`, in time order, each with its local date, the time it contributed and the running
   * total, and every local date of the span that was closed or not its weekday's usual hours, with
   * the reasons {@link Calendar.describeDay} gives. The last stretch ends exactly at
   * `addBusinessTime(start, duration)` (a closing instant when the duration is used up at a close);
   * a zero duration traces an empty span. A negative duration traces the subtraction. Fails as
   * `addBusinessTime` does, and with `INVALID_ARGUMENT` for a span of more than 100 000 stretches
   * or local dates. See `docs/semantics.md` ("Traces").
   *
   * @example
   * ```ts
   * const trace = getCalendar("softone-se").trace("2026-04-02T11:00", { hours: 12 });
   * trace.result; // Wed 2026-04-08 12:00 Stockholm (10:00Z)
   * trace.stretches.map((s) => [s.startLocal, s.endLocal, s.ms / 3_600_000]);
   * // Thu 11–12 (1 h, the eve of Långfredagen), Tue 08–12 (4), Tue 13–16 (3), Wed 08–12 (4)
   * trace.days.map((d) => [d.date, d.status, d.reasons.map((r) => r.kind)]);
   * // 04-02 shortened [eve], 04-03 closed [holiday], 04-04 closed [eve], 04-05 closed [holiday], 04-06 closed [holiday]
   * ```
   */
  trace(start: InstantInput, duration: DurationInput): BusinessTimeTrace {
    return traceAdd(this.#engine, this.#t(start, "start"), toElapsedMs(duration, "duration"), (d) =>
      this.describeDay(d),
    );
  }

  /**
   * The arithmetic behind {@link Calendar.subtractBusinessTime}, as {@link Calendar.trace} gives it:
   * the first stretch starts exactly at `subtractBusinessTime(end, duration)` and the last ends at
   * `end` (or before it, when `end` is closed). Stretches are listed in time order, their running
   * total counted from the earliest.
   *
   * @example
   * ```ts
   * const trace = getCalendar("softone-se").traceBack("2026-04-07T09:00", { hours: 2 });
   * trace.result; // 2026-04-02 11:00 Stockholm: Thu 11–12 and Tue 08–09
   * ```
   */
  traceBack(end: InstantInput, duration: DurationInput): BusinessTimeTrace {
    return traceSubtract(this.#engine, this.#t(end, "end"), toElapsedMs(duration, "duration"), (d) =>
      this.describeDay(d),
    );
  }

  /**
   * The arithmetic behind {@link Calendar.businessTimeBetween}: the open stretches in `[a, b)`, in
   * time order. `totalMs` equals `businessTimeBetween(a, b)` exactly; when `b` is before `a` the
   * trace covers `[b, a)` and `totalMs` is negative (the stretches' `ms` are always positive).
   *
   * @example
   * ```ts
   * const trace = getCalendar("softone-se").traceBetween("2026-04-02T11:00", "2026-04-07T09:00");
   * trace.totalMs; // 7_200_000
   * trace.stretches.length; // 2: Thu 11–12, Tue 08–09
   * ```
   */
  traceBetween(a: InstantInput, b: InstantInput): BusinessTimeTrace {
    return traceBetween(this.#engine, this.#t(a, "a"), this.#t(b, "b"), (d) => this.describeDay(d));
  }

  #day(date: string | InstantInput): number {
    if (typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date.trim())) {
      const day = parseDay(date.trim());
      if (day === undefined)
        throw new SlaClockError("INVALID_DATE", `date: "${date}" is not a calendar date; use "YYYY-MM-DD"`, {
          value: date,
        });
      const year = Number(date.trim().slice(0, 4));
      if (year < MIN_YEAR || year > MAX_YEAR) {
        throw new SlaClockError(
          "OUT_OF_RANGE",
          `date: "${date}" is outside the supported years ${MIN_YEAR}–${MAX_YEAR}`,
          { value: date },
        );
      }
      return day;
    }
    return this.#engine.localDay(this.#t(date, "date"));
  }

  /** @internal */
  toJSON(): AnyCalendarSpec {
    return this.spec;
  }
}

/**
 * The wall time of an instant of local day `day` as a combined calendar's hours write it: `HH:mm`
 * (`24:00` for the next midnight), with seconds when the zones' offsets make it fall between
 * minutes (local mean time before the 1970s).
 */
/** Whether the day before's overnight hours cover some of a plain calendar's date's own (`instants`). */
function cutByDayBefore(engine: CalendarEngine, day: number, instants: readonly [number, number][]): boolean {
  if (instants.length === 0) return false;
  const given = engine.dayInstants(day, false);
  return (
    given.length !== instants.length || given.some(([a, b], k) => a !== instants[k]?.[0] || b !== instants[k]?.[1])
  );
}

/**
 * The wall time of instant `t` as a day's hours write it: "24:00" at the next midnight (also where
 * the clocks skip it: Havana's 2012-04-01 00:00 is 01:00, and read from the day before it was
 * "25:00"), and a time past midnight as the next day's ("06:00" for an overnight end, as specs
 * write it; it was "30:00", which no spec accepts back).
 */
function wallTime(engine: CalendarEngine, t: number, day: number): string {
  if (t === engine.zone.wallToInstant((day + 1) * DAY_MS)) return "24:00";
  let ms = engine.zone.instantToWall(t) - day * DAY_MS;
  if (ms > DAY_MS) ms -= DAY_MS;
  const minutes = Math.floor(ms / MINUTE_MS);
  const seconds = (ms - minutes * MINUTE_MS) / 1000;
  const text = formatMinute(minutes);
  return seconds === 0 ? text : `${text}:${String(seconds).padStart(2, "0")}`;
}

/**
 * Validates a {@link CalendarSpec} and returns an immutable {@link Calendar}. Throws
 * `INVALID_CALENDAR_SPEC` with every problem and its path (`weekly.mon[1]: …`).
 *
 * @example
 * ```ts
 * import { createCalendar } from "sla-clock";
 * const cal = createCalendar({
 *   zone: "Europe/Stockholm",
 *   weekly: { mon: [["08:00", "12:00"], ["13:00", "16:00"]], fri: [["08:00", "12:00"]] },
 *   holidays: { country: "SE" },
 *   eves: { closeAt: "13:00" },
 * });
 * cal.isOpen("2026-04-06T09:00"); // false: Easter Monday
 * ```
 */
export function createCalendar(spec: AnyCalendarSpec): Calendar {
  return createCalendarAt(spec, "");
}

/**
 * {@link createCalendar} for a spec that is part of another (`calendar.` in a policy spec): the
 * paths of its issues, and those their messages name, are under `at`.
 * @internal
 */
export function createCalendarAt(spec: AnyCalendarSpec, at: string): Calendar {
  const result = compileCalendarSpec(spec, at);
  if (result.combined === undefined) {
    return new Calendar(result.spec, new CalendarEngine(result.compiled), result.spec.zone);
  }
  const engine = new CalendarEngine(result.combined);
  const memberSpecs = (result.spec.anyOf ?? result.spec.allOf) as readonly CalendarSpec[];
  const members = memberSpecs.map(
    (m, i) => new Calendar(m, (engine.members as CalendarEngine[])[i] as CalendarEngine, m.zone),
  );
  return new Calendar(result.spec satisfies CombinedCalendarSpec, engine, result.combined.zone, members);
}

function* asOpenIntervals(stretches: Iterable<[number, number]>): Generator<OpenInterval, void, undefined> {
  for (const [s, e] of stretches) yield Object.freeze({ start: new Date(s), end: new Date(e) });
}

function bulkArgument(name: string, expected: string): SlaClockError {
  return new SlaClockError("INVALID_ARGUMENT", `${name}: expected ${expected}`);
}

function output(out: Float64Array | undefined, n: number): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (!(out instanceof Float64Array) || out.length < n)
    throw bulkArgument("out", `a Float64Array of at least ${n} elements`);
  return out;
}
