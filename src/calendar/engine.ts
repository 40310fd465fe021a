import { SlaClockError } from "../errors";
import { DAY_MS, addMonthsToDay, dayFromCivil, isoWeekday, mondayOnOrBefore } from "../time/civil";
import type { CalendarDuration } from "../time/duration";
import { formatInstant } from "../time/instant";
import { END_INSTANT, MAX_YEAR, MIN_INSTANT, MIN_YEAR, inSupportedRange } from "../time/range";
import { zoneRules, type ZoneRules } from "../time/zone";
import { resolveDay, type ResolvedDay } from "./day-rules";
import { holidayProvider, type HolidayProvider } from "./holiday-source";
import { indexFor, type ChunkIndex } from "./shared-index";
import {
  IntervalIndex,
  SEARCH_LIMIT_YEARS,
  cumBefore,
  firstReaching,
  forEachDayInstant,
  lastStartingBefore,
  locate,
  noOpenTime,
  outOfRange,
  type Chunk,
} from "./interval-index";
import { combinedYear } from "./combine";
import type { CompiledCombination, CompiledSpec, MinuteInterval } from "./spec";

/** Longest stretch a search for a closing instant crosses before it gives up. */
const CLOSE_SEARCH_LIMIT_MS = SEARCH_LIMIT_YEARS * 366 * DAY_MS;
/** Longest run of days without open hours that `addBusinessDays` crosses. */
const DAY_SEARCH_LIMIT = SEARCH_LIMIT_YEARS * 366;

/**
 * The most open stretches `openIntervals` returns at once (a year of a calendar with about 270
 * stretches a day): a request over centuries of a dense calendar would otherwise allocate millions
 * of objects. Longer spans are read page by page.
 */
export const MAX_OPEN_INTERVALS = 100_000;

/** The rules in force from local day `from` on: a calendar's own rules, or one of its dated versions. */
interface Rules {
  readonly from: number;
  readonly spec: CompiledSpec;
  readonly holidays: HolidayProvider | undefined;
}

const NO_HOURS: readonly MinuteInterval[] = Object.freeze([]);

/** A position in the index: interval `i` of chunk `c`. */
interface Cursor {
  c: Chunk;
  i: number;
}

/**
 * The cursor every engine fills and its caller reads at once (filled by #cursorAtOrAfter before any
 * read). One for the process rather than one per engine: a calendar's own cursor would keep the
 * last chunk it read alive after the chunk budget dropped it.
 */
const SCRATCH: Cursor = { c: undefined as unknown as Chunk, i: 0 };

/**
 * All business-time arithmetic of one calendar, on epoch milliseconds. The public `Calendar`
 * converts inputs and outputs around it; policies and the ticket clock call it directly.
 * @internal
 */
export class CalendarEngine {
  readonly zone: ZoneRules;
  readonly index: ChunkIndex;
  /** A combined calendar's members, in the spec's order (`undefined` for a plain calendar). */
  readonly members: readonly CalendarEngine[] | undefined;
  /** The calendar's own rules, then its dated versions in date order (empty for a combined calendar). */
  readonly #rules: readonly Rules[];
  readonly #scratch: Cursor;

  constructor(spec: CompiledSpec | CompiledCombination) {
    this.#scratch = SCRATCH;
    if ("members" in spec) {
      // A combined calendar keeps an index of its own, fed from its members' indexes (each of
      // which may be a shared base or an overlay on one: ./combine.ts reads any of them).
      const members = spec.members.map((m) => new CalendarEngine(m));
      const indexes = members.map((m) => m.index);
      const zone = zoneRules(spec.zone);
      this.zone = zone;
      this.members = members;
      this.#rules = [];
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
      this.#rules = [{ from: -Infinity, spec: shared.spec, holidays: shared.holidays }];
      return;
    }
    // A calendar with dated versions has an index of its own (its zone and holiday years are still
    // shared: zoneRules and holidayProvider read the process-wide caches).
    this.zone = zoneRules(spec.zone);
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
   * order and without overlaps. For a combined calendar: its open time on that local date, read from
   * its index.
   */
  dayInstants(day: number): [number, number][] {
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
    const out: [number, number][] = [];
    for (const [a, b] of found) {
      const last = out[out.length - 1];
      if (last !== undefined && a < last[1]) last[1] = Math.max(last[1], b);
      else out.push([a, b]);
    }
    return out;
  }

  /** Whether a local day has open hours of its own. */
  isBusinessDay(day: number): boolean {
    if (this.members !== undefined) return this.dayInstants(day).length > 0;
    const rules = this.#rulesOf(day);
    const intervals = resolveDay(rules.spec, rules.holidays, day, false).intervals;
    // The first interval of positive length decides: a dense day is not converted in full.
    let open = false;
    forEachDayInstant(this.zone, day, intervals, () => (open = true));
    return open;
  }

  isOpen(t: number): boolean {
    const c = this.index.chunkAt(t);
    const i = locate(c, t);
    return i < c.n && (c.starts[i] as number) <= t;
  }

  /**
   * The interval that contains `t` or is the first after it. Returns a scratch cursor owned by the
   * engine (valid until the next call): these lookups run per ticket in bulk evaluation.
   */
  #cursorAtOrAfter(t: number): Cursor {
    let c = this.index.chunkAt(t);
    let i = locate(c, t);
    let empty = 0;
    while (i === c.n) {
      const next = this.index.chunkOfYear(c.year + 1);
      // An opening past the range end may exist, but cannot be reported.
      if (next === undefined) throw outOfRange(`the next opening after ${formatInstant(t)}`);
      if (++empty > SEARCH_LIMIT_YEARS) throw noOpenTime(t, "after");
      c = next;
      i = 0;
    }
    const cur = this.#scratch;
    cur.c = c;
    cur.i = i;
    return cur;
  }

  /** Earliest instant ≥ t at which the calendar is open. */
  nextOpen(t: number): number {
    const { c, i } = this.#cursorAtOrAfter(t);
    const s = c.starts[i] as number;
    return s > t ? s : t;
  }

  /**
   * The first closing instant after t: the end of the open stretch containing t, or of the next one.
   * A stretch that runs through whole years (a calendar open around the clock) crosses them by their
   * totals, without building them.
   */
  nextClose(t: number): number {
    const cur = this.#cursorAtOrAfter(t);
    let c = cur.c;
    let i = cur.i;
    let end = c.ends[i] as number;
    for (;;) {
      while (i + 1 < c.n && (c.starts[i + 1] as number) === end) end = c.ends[++i] as number;
      if (i + 1 < c.n || end < c.end || end - t > CLOSE_SEARCH_LIMIT_MS) break;
      // The stretch reaches the end of the year: it goes on through every year that is open throughout.
      let year = c.year + 1;
      while (year <= MAX_YEAR && end - t <= CLOSE_SEARCH_LIMIT_MS) {
        const yearEnd = dayFromCivil(year + 1, 1, 1) * DAY_MS;
        if (this.index.yearTotal(year) !== yearEnd - end) break;
        end = yearEnd;
        year++;
      }
      if (year > MAX_YEAR || end - t > CLOSE_SEARCH_LIMIT_MS) break;
      const next = this.index.chunkOfYear(year) as Chunk;
      if (next.n === 0 || (next.starts[0] as number) !== end) break;
      c = next;
      i = 0;
      end = c.ends[0] as number;
    }
    if (end - t > CLOSE_SEARCH_LIMIT_MS) {
      throw new SlaClockError(
        "NO_CLOSING_TIME",
        `the calendar does not close within ${SEARCH_LIMIT_YEARS} years after ${new Date(t).toISOString()} (it is open around the clock)`,
        { from: new Date(t).toISOString() },
      );
    }
    // The stretch is still open at the end of the range: it closes past it.
    if (end >= END_INSTANT) throw outOfRange(`the next closing after ${formatInstant(t)}`);
    return end;
  }

  /**
   * The last interval that starts before t: the one holding the instant just before t, or else the
   * last one that ends at or before t. The mirror of #cursorAtOrAfter (half-open intervals seen
   * from the right). Years without open time are crossed by their totals, without building them.
   */
  #cursorBefore(t: number): Cursor {
    let c = this.index.chunkAt(t);
    let i = locate(c, t);
    if (!(i < c.n && (c.starts[i] as number) < t)) i--;
    if (i < 0) {
      for (let year = c.year - 1, empty = 1; ; year--, empty++) {
        // An opening before the range start may exist, but cannot be reported.
        if (year < MIN_YEAR) throw outOfRange(`the last open time before ${formatInstant(t)}`);
        if (empty > SEARCH_LIMIT_YEARS) throw noOpenTime(t, "before");
        if (this.index.yearTotal(year) === 0) continue;
        c = this.index.chunkOfYear(year) as Chunk;
        i = c.n - 1;
        break;
      }
    }
    const cur = this.#scratch;
    cur.c = c;
    cur.i = i;
    return cur;
  }

  /**
   * The latest instant ≤ t up to which the calendar was open: t itself when open just before t,
   * else the end of the last stretch before t. The mirror of nextOpen.
   */
  previousClose(t: number): number {
    const { c, i } = this.#cursorBefore(t);
    const e = c.ends[i] as number;
    return e < t ? e : t;
  }

  /**
   * The opening of the open stretch that holds the instant just before t, or of the last stretch
   * before t: always before t. The mirror of nextClose: touching intervals are one stretch, and a
   * stretch that runs back through whole years is crossed by their totals.
   */
  previousOpen(t: number): number {
    const cur = this.#cursorBefore(t);
    let c = cur.c;
    let i = cur.i;
    let start = c.starts[i] as number;
    for (;;) {
      while (i > 0 && (c.ends[i - 1] as number) === start) start = c.starts[--i] as number;
      if (i > 0 || start > c.start || t - start > CLOSE_SEARCH_LIMIT_MS) break;
      // The stretch reaches back to the start of the year: it goes on through every year open throughout.
      let year = c.year - 1;
      while (year >= MIN_YEAR && t - start <= CLOSE_SEARCH_LIMIT_MS) {
        const yearStart = dayFromCivil(year, 1, 1) * DAY_MS;
        if (this.index.yearTotal(year) !== start - yearStart) break;
        start = yearStart;
        year--;
      }
      if (year < MIN_YEAR || t - start > CLOSE_SEARCH_LIMIT_MS) break;
      const prev = this.index.chunkOfYear(year) as Chunk;
      if (prev.n === 0 || (prev.ends[prev.n - 1] as number) !== start) break;
      c = prev;
      i = prev.n - 1;
      start = c.starts[i] as number;
    }
    if (t - start > CLOSE_SEARCH_LIMIT_MS) {
      throw new SlaClockError(
        "NO_CLOSING_TIME",
        `the calendar has not opened within ${SEARCH_LIMIT_YEARS} years before ${new Date(t).toISOString()} (it is open around the clock)`,
        { from: new Date(t).toISOString() },
      );
    }
    // The stretch is already open at the start of the range: it opened before it.
    if (start <= MIN_INSTANT) throw outOfRange(`the last opening before ${formatInstant(t)}`);
    return start;
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

  /**
   * The maximal open stretches meeting [from, to), clipped to it, one at a time: only the chunk
   * being read is held (an evicted chunk stays valid while the walk holds it), and years without
   * open time are skipped by their totals.
   */
  *iterateOpenIntervals(from: number, to: number): Generator<[number, number], void, undefined> {
    if (to <= from) return;
    const index = this.index;
    let c: Chunk | undefined = index.chunkAt(from);
    let i = locate(c, from);
    let pending = false;
    let pendingStart = 0;
    let pendingEnd = 0;
    while (c !== undefined) {
      for (; i < c.n; i++) {
        const s = c.starts[i] as number;
        if (s >= to) break;
        const a = s > from ? s : from;
        const e = c.ends[i] as number;
        const b = e < to ? e : to;
        if (pending && a === pendingEnd) pendingEnd = b;
        else {
          if (pending) yield [pendingStart, pendingEnd];
          pending = true;
          pendingStart = a;
          pendingEnd = b;
        }
      }
      if (i < c.n || c.end >= to) break;
      let year: number = c.year + 1;
      while (year <= MAX_YEAR && index.yearTotal(year) === 0) year++;
      c = dayFromCivil(year, 1, 1) * DAY_MS < to ? index.chunkOfYear(year) : undefined;
      i = 0;
    }
    if (pending) yield [pendingStart, pendingEnd];
  }

  /** Earliest t ≥ start with businessTimeBetween(start, t) = d (d may be negative: subtracts). */
  add(start: number, d: number): number {
    if (d === 0) return start;
    if (d < 0) return this.subtract(start, -d);
    const index = this.index;
    let c = index.chunkAt(start);
    const i = locate(c, start);
    const target = i === c.n ? c.total + d : (c.cum[i] as number) + Math.max(0, start - (c.starts[i] as number)) + d;
    if (target <= c.total) {
      const j = firstReaching(c, target, i);
      return this.#beforeRangeEnd((c.starts[j] as number) + (target - (c.cum[j] as number)));
    }
    let remaining = target - c.total;
    // Open time can never exceed the real time left in the range: a hopeless duration fails at once.
    if (remaining > END_INSTANT - c.end) throw outOfRange("the result of adding business time");
    let empty = 0;
    for (let year = c.year + 1; ; year++) {
      if (year > MAX_YEAR) throw outOfRange("the result of adding business time");
      const total = index.yearTotal(year);
      if (total >= remaining) {
        c = index.chunkOfYear(year) as Chunk;
        const j = firstReaching(c, remaining, 0);
        return this.#beforeRangeEnd((c.starts[j] as number) + (remaining - (c.cum[j] as number)));
      }
      remaining -= total;
      empty = total === 0 ? empty + 1 : 0;
      if (empty >= SEARCH_LIMIT_YEARS) throw noOpenTime(start, "after");
    }
  }

  /** Latest t ≤ end with businessTimeBetween(t, end) = d (d may be negative: adds). */
  subtract(end: number, d: number): number {
    if (d === 0) return end;
    if (d < 0) return this.add(end, -d);
    const index = this.index;
    let c = index.chunkAt(end);
    const target = cumBefore(c, end) - d;
    if (target >= 0) {
      const j = lastStartingBefore(c, target);
      return (c.starts[j] as number) + (target - (c.cum[j] as number));
    }
    let remaining = -target;
    if (remaining > c.start - MIN_INSTANT) throw outOfRange("the result of subtracting business time");
    let empty = 0;
    for (let year = c.year - 1; ; year--) {
      if (year < MIN_YEAR) throw outOfRange("the result of subtracting business time");
      const total = index.yearTotal(year);
      if (total >= remaining) {
        c = index.chunkOfYear(year) as Chunk;
        const inChunk = total - remaining;
        const j = lastStartingBefore(c, inChunk);
        return (c.starts[j] as number) + (inChunk - (c.cum[j] as number));
      }
      remaining -= total;
      empty = total === 0 ? empty + 1 : 0;
      if (empty >= SEARCH_LIMIT_YEARS) throw noOpenTime(end, "before");
    }
  }

  /**
   * A result of adding business time: the last year's chunk ends at the range end, so the duration
   * can be used up exactly there, at the first instant past the range.
   */
  #beforeRangeEnd(t: number): number {
    if (t >= END_INSTANT) throw outOfRange("the result of adding business time");
    return t;
  }

  /** Open time in [a, b), negative when b < a. */
  between(a: number, b: number): number {
    if (a === b) return 0;
    if (b < a) return -this.between(b, a);
    const index = this.index;
    const ca = index.chunkAt(a);
    if (b < ca.end) return cumBefore(ca, b) - cumBefore(ca, a);
    let sum = ca.total - cumBefore(ca, a);
    for (let year = ca.year + 1; ; year++) {
      const yearEnd = dayFromCivil(year + 1, 1, 1) * DAY_MS;
      if (b < yearEnd) return sum + cumBefore(index.chunkOfYear(year) as Chunk, b);
      sum += index.yearTotal(year);
    }
  }

  /**
   * The maximal open stretches meeting [from, to), clipped to it. More than
   * {@link MAX_OPEN_INTERVALS} fail with `INVALID_ARGUMENT` before they are all collected.
   */
  openIntervals(from: number, to: number): [number, number][] {
    const out: [number, number][] = [];
    if (to <= from) return out;
    let c = this.index.chunkAt(from);
    let i = locate(c, from);
    for (;;) {
      for (; i < c.n; i++) {
        const s = c.starts[i] as number;
        if (s >= to) return out;
        const a = s > from ? s : from;
        const e = c.ends[i] as number;
        const b = e < to ? e : to;
        const last = out[out.length - 1];
        if (last !== undefined && last[1] === a) last[1] = b;
        else if (out.push([a, b]) > MAX_OPEN_INTERVALS) throw tooManyIntervals(from, to, last as [number, number]);
      }
      if (c.end >= to) return out;
      const next = this.index.chunkOfYear(c.year + 1);
      if (next === undefined) return out;
      c = next;
      i = 0;
    }
  }

  /**
   * The last closing instant of the business day on which a clock starting at `t` starts (at `t`
   * when open, else at the next opening). The business day is the local date that owns the interval.
   */
  endOfBusinessDay(t: number): number {
    const { c, i } = this.#cursorAtOrAfter(t);
    const owner = c.owners[i] as number;
    return this.#lastEndOwnedUpTo(c, i, owner);
  }

  /**
   * The last closing instant of the last day with open time in the ISO week (Monday–Sunday, local)
   * of the business day on which a clock starting at `t` starts.
   */
  endOfBusinessWeek(t: number): number {
    const { c, i } = this.#cursorAtOrAfter(t);
    return this.#lastEndOwnedUpTo(c, i, mondayOnOrBefore(c.owners[i] as number) + 6);
  }

  /**
   * The end of the last interval from (c, i) on whose owner day is at most `lastDay`. When those
   * days reach past the range (an interval clipped at its end, or one of them owning time after
   * it), the answer lies past the range and cannot be given.
   */
  #lastEndOwnedUpTo(c: Chunk, i: number, lastDay: number): number {
    const firstDay = c.owners[i] as number;
    let end = c.ends[i] as number;
    for (;;) {
      for (i++; i < c.n; i++) {
        if ((c.owners[i] as number) > lastDay) return this.#endInRange(end, firstDay, lastDay);
        end = c.ends[i] as number;
      }
      // Days own intervals in order, so the stretch can only continue at the next year's start.
      const next = this.index.chunkOfYear(c.year + 1);
      if (next === undefined || next.n === 0 || (next.owners[0] as number) > lastDay)
        return this.#endInRange(end, firstDay, lastDay);
      c = next;
      i = -1;
    }
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
        out[i] = this.add(s, Math.round(d));
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

function tooManyIntervals(from: number, to: number, last: [number, number]): SlaClockError {
  return new SlaClockError(
    "INVALID_ARGUMENT",
    `openIntervals: more than ${MAX_OPEN_INTERVALS} open stretches between ${formatInstant(from)} and ${formatInstant(to)}; ask for a shorter span, page by page: the ${MAX_OPEN_INTERVALS}th stretch ends at ${formatInstant(last[1])}, so continue from there`,
    { limit: MAX_OPEN_INTERVALS, from: formatInstant(from), to: formatInstant(to), next: formatInstant(last[1]) },
  );
}
