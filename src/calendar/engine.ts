import { DAY_MS, addMonthsToDay, dayFromCivil, isoWeekday, mondayOnOrBefore } from "../time/civil";
import { roundMs, type CalendarDuration } from "../time/duration";
import { formatInstant } from "../time/instant";
import { END_INSTANT, MAX_YEAR, MIN_INSTANT, MIN_YEAR, inSupportedRange } from "../time/range";
import { zoneRules, type ZoneRules } from "../time/zone";
import { resolveDay, type ResolvedDay } from "./day-rules";
import { holidayProvider, type HolidayProvider } from "./holiday-source";
import { indexFor, OverlayIndex, type ChunkIndex } from "./shared-index";
import {
  IntervalIndex,
  SEARCH_LIMIT_YEARS,
  forEachDayInstant,
  noOpenTime,
  outOfRange,
  yearOfInstant,
} from "./interval-index";
import {
  advance,
  cursorAtOrAfter,
  isOpenAt,
  iterateStretches,
  lastEndOwnedUpTo,
  nextClosing,
  nextOpening,
  openTimeBetween,
  previousClosing,
  previousOpening,
  retreat,
  stretches,
} from "./index-walk";
import { combinedYear } from "./combine";
import type { CompiledCombination, CompiledSpec, MinuteInterval } from "./spec";

/** Longest run of days without open hours that `addBusinessDays` crosses. */
const DAY_SEARCH_LIMIT = SEARCH_LIMIT_YEARS * 366;

/** The rules in force from local day `from` on: a calendar's own rules, or one of its dated versions. */
interface Rules {
  readonly from: number;
  readonly spec: CompiledSpec;
  readonly holidays: HolidayProvider | undefined;
}

const NO_HOURS: readonly MinuteInterval[] = Object.freeze([]);

/**
 * All business-time arithmetic of one calendar, on epoch milliseconds. The public `Calendar`
 * converts inputs and outputs around it; policies and the ticket clock call it directly.
 * @internal
 */
export class CalendarEngine {
  readonly zone: ZoneRules;
  readonly index: ChunkIndex;
  /**
   * The index when it is an overlay on a shared base: additions and measures then read the years
   * of its own dates through the base's chunks instead of building chunks of their own.
   */
  readonly #overlay: OverlayIndex | undefined;
  /** A combined calendar's members, in the spec's order (`undefined` for a plain calendar). */
  readonly members: readonly CalendarEngine[] | undefined;
  /** The calendar's own rules, then its dated versions in date order (empty for a combined calendar). */
  readonly #rules: readonly Rules[];

  constructor(spec: CompiledSpec | CompiledCombination) {
    if ("members" in spec) {
      // A combined calendar keeps an index of its own, fed from its members' indexes (each of
      // which may be a shared base or an overlay on one: ./combine.ts reads any of them).
      const members = spec.members.map((m) => new CalendarEngine(m));
      const indexes = members.map((m) => m.index);
      const zone = zoneRules(spec.zone);
      this.zone = zone;
      this.members = members;
      this.#rules = [];
      this.#overlay = undefined;
      this.index = new IntervalIndex(
        zone,
        () => NO_HOURS,
        1440,
        (year) => combinedYear(spec.kind, indexes, zone, year),
      );
      return;
    }
    this.members = undefined;
    if (spec.versions.length === 0) {
      // The zone's rules, the holiday years and the index of the calendar's base (all but its own
      // dates) are shared with every calendar of the same base (./shared-index.ts, issue 20), and
      // so are the compiled parts of the spec equal to the base's. A base knows nothing of dated
      // versions, so only a calendar without them shares one.
      const shared = indexFor(spec, latestEndMinute(spec));
      this.zone = shared.zone;
      this.index = shared.index;
      this.#overlay = shared.index instanceof OverlayIndex ? shared.index : undefined;
      this.#rules = [{ from: -Infinity, spec: shared.spec, holidays: shared.holidays }];
      return;
    }
    // A calendar with dated versions has an index of its own (its zone and holiday years are still
    // shared: zoneRules and holidayProvider read the process-wide caches).
    this.zone = zoneRules(spec.zone);
    this.#overlay = undefined;
    this.#rules = [
      { from: -Infinity, spec, holidays: spec.holidays && holidayProvider(spec.holidays) },
      ...spec.versions.map((v) => ({
        from: v.from,
        spec: v.spec,
        holidays: v.spec.holidays && holidayProvider(v.spec.holidays),
      })),
    ];
    const resolve = (day: number): readonly MinuteInterval[] => {
      const rules = this.#rulesOf(day);
      return resolveDay(rules.spec, rules.holidays, day, false).intervals;
    };
    this.index = new IntervalIndex(this.zone, resolve, Math.max(...this.#rules.map((r) => latestEndMinute(r.spec))));
  }

  /**
   * The index whose chunks this calendar's queries read: a shared base's for a calendar that
   * overlays one, its own otherwise. Engines with the same one read the same memory.
   */
  get readIndex(): ChunkIndex {
    return this.#overlay?.base ?? this.index;
  }

  /** The rules in force on a local day of a plain calendar: the last version that has begun by then. */
  #rulesOf(day: number): Rules {
    const rules = this.#rules;
    for (let k = rules.length - 1; k > 0; k--) if (day >= (rules[k] as Rules).from) return rules[k] as Rules;
    return rules[0] as Rules;
  }

  /** Local day number of an instant. */
  localDay(t: number): number {
    return Math.floor(this.zone.instantToWall(t) / DAY_MS);
  }

  /**
   * The resolved hours of a local day, with reasons (of the version in force that day). A combined
   * calendar has no hours of its own: its days are described by their instants and its members.
   */
  explainDay(day: number): ResolvedDay {
    if (this.members !== undefined) return { intervals: NO_HOURS, reasons: [] };
    const rules = this.#rulesOf(day);
    return resolveDay(rules.spec, rules.holidays, day, true);
  }

  /** The weekly hours that the rules in force on a local day give its weekday (none for a combined calendar). */
  weeklyOf(day: number): readonly MinuteInterval[] {
    if (this.members !== undefined) return NO_HOURS;
    return this.#rulesOf(day).spec.weekly[isoWeekday(day)] ?? NO_HOURS;
  }

  /**
   * The instants of a local day's own intervals (before merging with neighbouring days), in time
   * order and without overlaps, less what the day before's overnight intervals cover (unless `own`
   * is false: then as the day's hours give them). For a combined calendar: its open time on that local date, read from
   * its index.
   */
  dayInstants(day: number, own = true): [number, number][] {
    if (this.members !== undefined) {
      const joined: [number, number][] = [];
      const from = Math.max(MIN_INSTANT, this.zone.wallToInstant(day * DAY_MS));
      const to = Math.min(END_INSTANT, this.zone.wallToInstant((day + 1) * DAY_MS));
      this.index.walk(from, to, (a, b, owner) => {
        if (owner !== day) return;
        const last = joined[joined.length - 1];
        if (last !== undefined && last[1] === a) last[1] = b;
        else joined.push([a, b]);
      });
      return joined;
    }
    const found: [number, number][] = [];
    const rules = this.#rulesOf(day);
    forEachDayInstant(this.zone, day, resolveDay(rules.spec, rules.holidays, day, false).intervals, (a, b) => {
      found.push([a, b]);
    });
    // On a spring-forward date an interval in or across the gap moves forward, onto or past the
    // next one: the day's open time is the union, in time order (as the index counts it). Touching
    // intervals stay apart, as the spec gives them.
    found.sort((x, y) => x[0] - y[0]);
    // The day before's overnight intervals are kept whole where they overlap this day's (the union
    // keeps the earlier day's interval): what they cover is not this day's own.
    const reach = own ? this.reachInto(day) : -Infinity;
    const out: [number, number][] = [];
    for (const [from, b] of found) {
      const a = Math.max(from, reach);
      if (a >= b) continue;
      const last = out[out.length - 1];
      if (last !== undefined && a < last[1]) last[1] = Math.max(last[1], b);
      else out.push([a, b]);
    }
    return out;
  }

  /**
   * The end of the day before's last interval when it runs past that day's midnight (an overnight
   * interval, which belongs to the day before), else -Infinity: this day owns nothing before it.
   * A plain calendar's only.
   */
  reachInto(day: number): number {
    const reach = this.#reachFrom(day - 1);
    // A date the zone skipped (Apia, 2011-12-30) has no instants of its own: the overnight interval
    // of the date before it ends past it, in `day` (its end moved forward with the gap). Asked only
    // of rules with hours past midnight at all: the two zone look-ups cost a trace a tenth more.
    if (!mayRunPastMidnight(this.#rulesOf(day - 2).spec)) return reach;
    const zone = this.zone;
    if (zone.wallToInstant(day * DAY_MS) > zone.wallToInstant((day - 1) * DAY_MS)) return reach;
    return Math.max(reach, this.#reachFrom(day - 2));
  }

  /** The end of a day's last interval when it runs past its midnight, else -Infinity. */
  #reachFrom(day: number): number {
    const rules = this.#rulesOf(day);
    if (!mayRunPastMidnight(rules.spec)) return -Infinity;
    const intervals = resolveDay(rules.spec, rules.holidays, day, false).intervals;
    let reach = -Infinity;
    if (!intervals.some((iv) => iv.end > 1440)) return reach;
    forEachDayInstant(this.zone, day, intervals, (_, b) => {
      if (b > reach) reach = b;
    });
    return reach;
  }

  /** Whether a local day has open hours of its own (not covered by the day before's overnight hours). */
  isBusinessDay(day: number): boolean {
    if (this.members !== undefined) return this.dayInstants(day).length > 0;
    const rules = this.#rulesOf(day);
    const intervals = resolveDay(rules.spec, rules.holidays, day, false).intervals;
    if (intervals.length === 0) return false;
    const reach = this.reachInto(day);
    // The first interval of positive length decides: a dense day is not converted in full.
    let open = false;
    forEachDayInstant(this.zone, day, intervals, (_, b) => b > reach && (open = true));
    return open;
  }

  isOpen(t: number): boolean {
    return isOpenAt(this.index, t);
  }

  /** Earliest instant ≥ t at which the calendar is open. */
  nextOpen(t: number): number {
    return nextOpening(this.index, t);
  }

  /** The first closing instant after t: the end of the open stretch containing t, or of the next one. */
  nextClose(t: number): number {
    return nextClosing(this.index, t);
  }

  /** The latest instant ≤ t up to which the calendar was open (the mirror of nextOpen). */
  previousClose(t: number): number {
    return previousClosing(this.index, t);
  }

  /** The opening of the open stretch holding the instant just before t, or of the last one before t. */
  previousOpen(t: number): number {
    return previousOpening(this.index, t);
  }

  /**
   * Business days among the local dates [day(a), day(b)), negated when b's date is earlier: the
   * dates with open hours of their own, as isBusinessDay counts them.
   */
  businessDaysBetween(a: number, b: number): number {
    if (b < a) return -this.businessDaysBetween(b, a);
    let count = 0;
    for (let day = a; day < b; day++) if (this.isBusinessDay(day)) count++;
    return count;
  }

  /** The maximal open stretches meeting [from, to), clipped to it, one at a time. */
  iterateOpenIntervals(from: number, to: number): Generator<[number, number], void, undefined> {
    return iterateStretches(this.index, from, to);
  }

  /** Earliest t ≥ start with businessTimeBetween(start, t) = d (d may be negative: subtracts). */
  add(start: number, d: number): number {
    const overlay = this.#overlay;
    return overlay === undefined ? advance(this.index, start, d) : overlay.advance(start, d);
  }

  /**
   * Whether {@link CalendarEngine.add} of `d` ≥ 0 from `start` surely returns an instant (rather
   * than failing with OUT_OF_RANGE or NO_OPEN_TIME), shown without making the addition: the UTC
   * year after `start`'s lies before the supported range's last year and holds at least `d` of open
   * time, so the sum is reached by that year's end. `false` shows nothing: the caller adds at once.
   * A batch leaves the additions this shows safe for whoever reads their results.
   */
  addReturns(start: number, d: number): boolean {
    const next = yearOfInstant(start) + 1;
    return next < MAX_YEAR && this.index.yearTotal(next) >= d;
  }

  /** Latest t ≤ end with businessTimeBetween(t, end) = d (d may be negative: adds). */
  subtract(end: number, d: number): number {
    const overlay = this.#overlay;
    return overlay === undefined ? retreat(this.index, end, d) : overlay.retreat(end, d);
  }

  /** Open time in [a, b), negative when b < a. */
  between(a: number, b: number): number {
    const overlay = this.#overlay;
    return overlay === undefined ? openTimeBetween(this.index, a, b) : overlay.between(a, b);
  }

  /**
   * The maximal open stretches meeting [from, to), clipped to it. More than
   * `MAX_OPEN_INTERVALS` (./index-walk.ts) fail with `INVALID_ARGUMENT` before they are all collected.
   */
  openIntervals(from: number, to: number): [number, number][] {
    return stretches(this.index, from, to);
  }

  /**
   * The last closing instant of the business day on which a clock starting at `t` starts (at `t`
   * when open, else at the next opening). The business day is the local date that owns the interval.
   */
  endOfBusinessDay(t: number): number {
    const { c, i } = cursorAtOrAfter(this.index, t);
    const owner = c.owners[i] as number;
    return this.#endInRange(lastEndOwnedUpTo(this.index, c, i, owner), owner, owner);
  }

  /**
   * The last closing instant of the last day with open time in the ISO week (Monday–Sunday, local)
   * of the business day on which a clock starting at `t` starts.
   */
  endOfBusinessWeek(t: number): number {
    const { c, i } = cursorAtOrAfter(this.index, t);
    const firstDay = c.owners[i] as number;
    const lastDay = mondayOnOrBefore(firstDay) + 6;
    return this.#endInRange(lastEndOwnedUpTo(this.index, c, i, lastDay), firstDay, lastDay);
  }

  #endInRange(end: number, firstDay: number, lastDay: number): number {
    let past = end >= END_INSTANT;
    // Only days near the range end can own time past it (a local day spans at most two UTC days).
    for (let day = Math.max(firstDay, END_INSTANT / DAY_MS - 3); day <= lastDay && !past; day++)
      past = this.dayInstants(day).some(([, b]) => b >= END_INSTANT);
    if (past) throw outOfRange("the last closing instant of that business day or week");
    return end;
  }

  /** Same local time of day on the n-th business day after (n > 0) or before (n < 0) t's local date. */
  addBusinessDays(t: number, n: number): number {
    if (n === 0) return t;
    const wall = this.zone.instantToWall(t);
    let day = Math.floor(wall / DAY_MS);
    const timeOfDay = wall - day * DAY_MS;
    const step = n > 0 ? 1 : -1;
    let left = Math.abs(n);
    const firstDay = dayFromCivil(MIN_YEAR, 1, 1) - 1;
    const lastDay = dayFromCivil(MAX_YEAR + 1, 1, 1);
    // Each business day takes at least one date: more than the dates left in the range cannot fit.
    if (left > (step > 0 ? lastDay - day : day - firstDay)) throw outOfRange("the result of adding business days");
    let misses = 0;
    while (left > 0) {
      day += step;
      if (day < firstDay || day > lastDay) throw outOfRange("the result of adding business days");
      if (this.isBusinessDay(day)) {
        left--;
        misses = 0;
      } else if (++misses > DAY_SEARCH_LIMIT) {
        throw noOpenTime(t, step > 0 ? "after" : "before");
      }
    }
    return this.checked(this.zone.wallToInstant(day * DAY_MS + timeOfDay), "the result of adding business days");
  }

  /**
   * Calendar arithmetic in the zone: months and days by wall clock (day clamped to the month's
   * end, time of day kept; a gap moves forward, an overlap takes the earlier offset), then the
   * elapsed part.
   */
  addCalendar(t: number, d: CalendarDuration): number {
    let result = t;
    if (d.months !== 0 || d.days !== 0) {
      const wall = this.zone.instantToWall(t);
      const day = Math.floor(wall / DAY_MS);
      const timeOfDay = wall - day * DAY_MS;
      const newDay = addMonthsToDay(day, d.months) + d.days;
      result = this.zone.wallToInstant(newDay * DAY_MS + timeOfDay);
    }
    return this.checked(result + d.ms, "the result of adding a calendar duration");
  }

  /** Throws OUT_OF_RANGE when a computed instant leaves the supported range. */
  checked(t: number, what: string): number {
    if (!inSupportedRange(t)) throw outOfRange(`${what} (${formatInstant(t)})`);
    return t;
  }

  /**
   * `out[i] = add(starts[i], durations[i])` for a whole array; NaN in, out of range or no answer
   * (a search that ends in an error) gives NaN in that slot and the rest goes on.
   */
  addMany(starts: Float64Array, durations: Float64Array | number, out: Float64Array): Float64Array {
    const n = starts.length;
    const single = typeof durations === "number";
    for (let i = 0; i < n; i++) {
      const s = starts[i] as number;
      const d = single ? durations : (durations[i] as number);
      if (!(s >= MIN_INSTANT && s < END_INSTANT) || !Number.isInteger(s) || !Number.isFinite(d)) {
        out[i] = Number.NaN;
        continue;
      }
      try {
        out[i] = this.add(s, roundMs(d));
      } catch {
        out[i] = Number.NaN;
      }
    }
    return out;
  }

  /** `out[i] = between(a[i], b[i])`; NaN for an instant that is NaN, fractional or out of range. */
  betweenMany(a: Float64Array, b: Float64Array, out: Float64Array): Float64Array {
    const n = a.length;
    for (let i = 0; i < n; i++) {
      const x = a[i] as number;
      const y = b[i] as number;
      out[i] =
        x >= MIN_INSTANT &&
        x < END_INSTANT &&
        y >= MIN_INSTANT &&
        y < END_INSTANT &&
        Number.isInteger(x) &&
        Number.isInteger(y)
          ? this.between(x, y)
          : Number.NaN;
    }
    return out;
  }
}

/** The latest wall minute from a day's midnight at which any interval of the spec can end. @internal */
export function latestEndMinute(spec: CompiledSpec): number {
  let latest = 1440;
  const consider = (intervals: readonly { readonly end: number }[] | undefined): void => {
    for (const iv of intervals ?? []) latest = Math.max(latest, iv.end);
  };
  for (const day of spec.weekly) consider(day);
  consider(spec.eve?.hours);
  for (const o of spec.openDates.values()) consider(o.hours);
  for (const o of spec.overrides.values()) consider(o.hours);
  return latest;
}

/** Per compiled rules: whether any of their hours (weekly, dated, eve) run past midnight. */
const pastMidnight = new WeakMap<CompiledSpec, boolean>();

/** Whether a day under `spec` can have an interval that runs past its midnight (a cheap "no"). */
function mayRunPastMidnight(spec: CompiledSpec): boolean {
  let answer = pastMidnight.get(spec);
  if (answer === undefined) {
    const past = (hours: readonly MinuteInterval[] | undefined): boolean => hours?.some((iv) => iv.end > 1440) ?? false;
    answer =
      spec.weekly.some((hours) => past(hours)) ||
      [...spec.overrides.values()].some((o) => past(o.hours)) ||
      [...spec.openDates.values()].some((o) => past(o.hours)) ||
      past(spec.eve?.hours);
    pastMidnight.set(spec, answer);
  }
  return answer;
}
