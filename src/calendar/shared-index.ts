/**
 * One interval index per base, shared by every calendar built on it (issue 20). The base of a
 * calendar is everything but its own dates: zone, weekly hours, holiday source, eve rule and
 * weekday rules. Customer calendars of a service mostly differ only in a few closed dates, so they
 * share the base's chunks and keep their own dates as an overlay:
 *
 * - a year that none of the calendar's own dates can reach is the base's chunk itself (shared);
 * - a year that one reaches is read through the base's chunk: additions, subtractions and measures
 *   (most of what evaluating tickets asks) add to the base's running total a correction that changes
 *   only inside windows of own days (./overlay-year.ts), so no chunk of its own is built;
 * - the other queries (is it open, the next opening, the open stretches, the walks of `trace`)
 *   read a chunk of the year's own, made from the base's by replacing the intervals of the affected
 *   dates (a copy of the arrays; only those dates are resolved);
 * - both need hours that do not run past midnight: each affected date's window of days, the date
 *   itself or, next to an offset change, the days up to midnights clear of it, is built again as
 *   one union, so no interval inside a window can overlap one outside it;
 * - otherwise (hours past midnight) the year is built in full from the calendar's own hours, as
 *   without sharing.
 *
 * Exactness does not depend on the overlay being small: a year with many own dates has more
 * windows (searched by bisection) or a larger chunk of its own, each exact. The affected dates are
 * the own dates and, for each open date, the day before (whether a day is an eve depends on its
 * next day being opened).
 */
import { DAY_MS } from "../time/civil";
import { MAX_YEAR, MIN_YEAR } from "../time/range";
import { zoneRules, type ZoneRules } from "../time/zone";
import { BoundedLru } from "../util/lru";
import { chunkByteLength, useStamp, YearListShelf } from "./chunk-budget";
import { resolveDay } from "./day-rules";
import { holidayProvider, type HolidayProvider } from "./holiday-source";
import {
  chunkArrays,
  chunkOfIntervals,
  cumBefore,
  firstReaching,
  firstReachingNear,
  forEachDayInstant,
  IntervalIndex,
  lastStartingBefore,
  locate,
  RawIntervals,
  walkChunks,
  yearOfInstant,
  yearStartDay,
  type Chunk,
  type DayResolver,
} from "./interval-index";
import { beforeRangeEnd, REACH, yearOfEnd, yearReaching, yearReachingBack } from "./index-walk";
import { overlayCumBefore, overlayEarliest, overlayLatest, overlayYear, type OverlayYear } from "./overlay-year";
import type { CompiledHolidays, CompiledSpec, MinuteInterval } from "./spec";

/** What the engine asks of an index: {@link IntervalIndex}'s queries. @internal */
export type ChunkIndex = Pick<
  IntervalIndex,
  "chunkAt" | "chunkOfYear" | "yearTotal" | "walk" | "liveChunks" | "chunkBytes"
>;

/** How many own chunks (years) one overlay keeps, as an {@link IntervalIndex} does. */
const MAX_OWN_CHUNKS = 48;
/** How many years' {@link OverlayYear}s one overlay keeps (a few hundred bytes each). */
const MAX_OVERLAY_YEARS = 48;
/** How many bases the process keeps for new calendars (a base in use lives on with its calendars). */
const SHARED_BASES_LIMIT = 1024;

/** A base: its index (of the base spec, no own dates) and the parts of the spec it was built from. */
interface Base {
  readonly zone: ZoneRules;
  readonly holidays: HolidayProvider | undefined;
  readonly index: IntervalIndex;
  /** The first calendar's weekly hours, holiday source and eve rule, equal to every later one's. */
  readonly spec: CompiledSpec;
}

const sharedBases = new BoundedLru<string, Base>(SHARED_BASES_LIMIT);

/** How many bases are kept for new calendars now (for tests and the benchmark). @internal */
export function sharedBasesCount(): number {
  return sharedBases.size;
}

const EMPTY = new Map<number, never>();
const NO_RULES: CompiledSpec["weekdayRules"] = [];

/**
 * The index of a calendar and the zone rules and holiday provider it shares: the base's index when
 * the calendar has no dates of its own, else an overlay on it. `spec` is the calendar's compiled
 * spec with the parts equal to its base's replaced by the base's (a customer calendar then keeps
 * only its own dates).
 * @internal
 */
export function indexFor(
  compiled: CompiledSpec,
  latestEndMinute: number,
): { spec: CompiledSpec; zone: ZoneRules; holidays: HolidayProvider | undefined; index: ChunkIndex } {
  const base = baseOf(compiled);
  const spec: CompiledSpec = {
    ...compiled,
    weekly: base.spec.weekly,
    holidays: base.spec.holidays,
    eve: base.spec.eve,
    weekdayRules: compiled.weekdayRules.length === 0 ? NO_RULES : compiled.weekdayRules,
    closedDates: compiled.closedDates.size === 0 ? EMPTY : compiled.closedDates,
    openDates: compiled.openDates.size === 0 ? EMPTY : compiled.openDates,
    overrides: compiled.overrides.size === 0 ? EMPTY : compiled.overrides,
  };
  const affected = affectedDays(spec);
  const shared = { spec, zone: base.zone, holidays: base.holidays };
  if (affected.length === 0) return { ...shared, index: base.index };
  const resolve: DayResolver = (day) => resolveDay(spec, base.holidays, day, false).intervals;
  return { ...shared, index: new OverlayIndex(base.index, base.zone, resolve, affected, latestEndMinute) };
}

function baseOf(spec: CompiledSpec): Base {
  const key = baseKey(spec);
  let base = sharedBases.get(key);
  if (base === undefined) {
    const zone = zoneRules(spec.zone);
    const holidays = spec.holidays && holidayProvider(spec.holidays);
    const baseSpec: CompiledSpec = {
      ...spec,
      closedDates: EMPTY,
      openDates: EMPTY,
      overrides: EMPTY,
      weekdayRules: spec.weekdayRules.map((r) => ({ ...r, name: undefined })),
    };
    const index = new IntervalIndex(
      zone,
      (day) => resolveDay(baseSpec, holidays, day, false).intervals,
      baseLatestEnd(spec),
    );
    base = { zone, holidays, index, spec: baseSpec };
    sharedBases.set(key, base);
  }
  return base;
}

const hoursKey = (hours: readonly MinuteInterval[] | undefined): string =>
  hours === undefined ? "-" : hours.map((h) => `${h.start}-${h.end}`).join(",");
const setKey = (set: ReadonlySet<unknown>): string => [...set].map(String).sort().join(",");

/** Everything of a compiled spec that the base's index depends on, as text (names left out). */
function baseKey(spec: CompiledSpec): string {
  return JSON.stringify([
    spec.zone,
    spec.weekly.map(hoursKey),
    holidaysKey(spec.holidays),
    spec.eve === undefined ? null : [spec.eve.closeAt ?? null, hoursKey(spec.eve.hours)],
    spec.weekdayRules.map((r) => [setKey(r.weekdays), r.closeAt]),
  ]);
}

/** The latest wall minute at which the base's hours (weekly and eve hours) can end. */
function baseLatestEnd(spec: CompiledSpec): number {
  let latest = 1440;
  for (const day of spec.weekly) for (const iv of day) latest = Math.max(latest, iv.end);
  for (const iv of spec.eve?.hours ?? []) latest = Math.max(latest, iv.end);
  return latest;
}

function holidaysKey(h: CompiledHolidays | undefined): unknown {
  if (h === undefined) return null;
  if (h.kind === "date-holidays")
    return [
      h.kind,
      h.country,
      h.state ?? "",
      h.region ?? "",
      setKey(h.closeTypes),
      setKey(h.eveTypes),
      h.substituteDays,
    ];
  const days = [...h.days].sort((a, b) => a[0] - b[0]).map(([day, list]) => [day, list.map((e) => [e.name, e.type])]);
  return [h.kind, days, setKey(h.closeTypes), setKey(h.eveTypes)];
}

/** The local days whose hours may differ from the base's, sorted. */
function affectedDays(spec: CompiledSpec): readonly number[] {
  const days = new Set<number>([...spec.closedDates.keys(), ...spec.overrides.keys()]);
  for (const day of spec.openDates.keys()) {
    days.add(day);
    days.add(day - 1);
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * The list {@link OverlayIndex}'s patches union their windows' days in, made on first use. One for
 * the process: a patch runs to its end without calling out (resolving a day reads hours and
 * holidays, never an index), so no two use it at once.
 */
let windowScratch: RawIntervals | undefined;

/** How many days a window reaches beyond its affected day before the year is built in full instead. */
const MAX_WINDOW_REACH = 10;

/** Whether local day `day` lies in one of the windows `[first, last]` (pairs, sorted). */
function inWindows(windows: readonly number[], day: number): boolean {
  for (let w = 0; w < windows.length; w += 2) {
    if (day < (windows[w] as number)) return false;
    if (day <= (windows[w + 1] as number)) return true;
  }
  return false;
}

/** The first index of a sorted array (within [lo, hi)) whose value is ≥ x. */
function lowerBound(a: readonly number[], x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A calendar's index as its base's plus its own dates (see the module comment).
 * @internal
 */
export class OverlayIndex implements ChunkIndex {
  readonly #base: IntervalIndex;
  readonly #zone: ZoneRules;
  readonly #resolve: DayResolver;
  readonly #affected: readonly number[];
  readonly #latestEndMinute: number;
  /** The chunks of its own (patched years) and the last one of them read. */
  readonly #own = new YearListShelf();
  /**
   * The span of the last year read from another index (the base's, or the calendar's full one) and
   * that index: the next read of the year asks it, whose own last chunk is the fast path. Its chunk
   * is never kept here: the budget lets a year go by clearing its owner's shelf, and a chunk held
   * by every calendar that read it last would outlive the budget.
   */
  #otherStart = Number.NaN;
  #otherEnd = Number.NaN;
  #other: IntervalIndex | undefined;
  /** The calendar's own full index, for years the overlay cannot patch exactly (made on demand). */
  #full: IntervalIndex | undefined;
  /**
   * How each year reached by an own date is read, once worked out: through its base's chunk
   * ({@link OverlayYear}), or `false` when it cannot be (its own chunk, patched or built, is read).
   * At most {@link MAX_OVERLAY_YEARS}, the oldest worked out dropped first: numbers only, so a
   * dropped year costs its windows' days again, never an answer.
   */
  readonly #years = new Map<number, OverlayYear | false>();
  /** How the chunk {@link OverlayIndex.#chunkAt} returned last is read: through this, or as it is. */
  #overlay: OverlayYear | undefined;
  /** The year read last, its span and how (`null`: no own date reaches it): the next read of it is a lookup. */
  #readYear = Number.NaN;
  #readStart = Number.NaN;
  #readEnd = Number.NaN;
  #readOverlay: OverlayYear | false | null = null;
  /**
   * The years any own date can reach lie in `[#reachFirst, #reachLast]` (a year either side of the
   * first and last affected day's): a year outside is the base's without a search of the affected
   * days. A measure from 2023 to 2033 asks each year's total, and that search was most of it.
   */
  readonly #reachFirst: number;
  readonly #reachLast: number;

  /** The shared base's index, whose chunks this overlay reads. */
  get base(): IntervalIndex {
    return this.#base;
  }

  constructor(
    base: IntervalIndex,
    zone: ZoneRules,
    resolve: DayResolver,
    affected: readonly number[],
    latestEndMinute: number,
  ) {
    this.#base = base;
    this.#zone = zone;
    this.#resolve = resolve;
    this.#affected = affected;
    this.#latestEndMinute = latestEndMinute;
    const n = affected.length;
    this.#reachFirst = n === 0 ? Number.POSITIVE_INFINITY : yearOfInstant((affected[0] as number) * DAY_MS) - 1;
    this.#reachLast = n === 0 ? Number.NEGATIVE_INFINITY : yearOfInstant((affected[n - 1] as number) * DAY_MS) + 1;
  }

  /** Whether the UTC year lies outside every own date's reach, told without a search. */
  #outOfReach(year: number): boolean {
    return year < this.#reachFirst || year > this.#reachLast;
  }

  /** Whether no own date reaches the UTC year: it is the base's (see {@link OverlayIndex.#firstReaching}). */
  #baseYear(year: number): boolean {
    return this.#outOfReach(year) || this.#firstReaching(year) === this.#endReaching(year);
  }

  chunkAt(t: number): Chunk {
    const last = this.#own.last;
    if (last !== undefined && t >= last.start && t < last.end) return last;
    if (t >= this.#otherStart && t < this.#otherEnd) return (this.#other as IntervalIndex).chunkAt(t);
    return this.chunkOfYear(yearOfInstant(t)) as Chunk;
  }

  chunkOfYear(year: number): Chunk | undefined {
    if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
    if (this.#outOfReach(year)) return this.#fromOther(this.#base, year);
    const lo = this.#firstReaching(year);
    const hi = this.#endReaching(year);
    if (lo === hi) return this.#fromOther(this.#base, year);
    let chunk = this.#own.get(year);
    if (chunk !== undefined) chunk.lastUse = useStamp();
    else chunk = this.#patch(year, lo, hi);
    if (chunk === undefined) return this.#fromOther(this.#fullIndex(), year);
    this.#own.last = chunk;
    return chunk;
  }

  /** The chunk of a year read from the base's index or the full one, remembered by its span only. */
  #fromOther(index: IntervalIndex, year: number): Chunk {
    const chunk = index.chunkOfYear(year) as Chunk;
    this.#other = index;
    this.#otherStart = chunk.start;
    this.#otherEnd = chunk.end;
    return chunk;
  }

  /**
   * A year's open time: the base's, or for a year reached by own dates its {@link OverlayYear}'s
   * total (the base's corrected by the windows' own intervals), or when it has none the own
   * chunk's, or the calendar's own full index's. Searches that only cross a year (a measure from
   * 2023 to 2033) never build its chunk.
   */
  yearTotal(year: number): number {
    const read = year === this.#readYear ? this.#readOverlay : undefined;
    if (read === null || (read === undefined && this.#baseYear(year))) return this.#base.yearTotal(year);
    const overlay = read ?? this.#overlayOf(year);
    if (overlay !== false) return overlay.total;
    const chunk = this.#own.get(year);
    return chunk !== undefined ? chunk.total : this.#fullIndex().yearTotal(year);
  }

  /**
   * Open time in `[a, b)`, negative when `b < a`: `openTimeBetween` of ./index-walk.ts, reading
   * the years of own dates through their base's chunks ({@link OverlayIndex.#chunkAt}) rather than
   * building chunks of their own.
   */
  between(a: number, b: number): number {
    if (a === b) return 0;
    if (b < a) return -this.between(b, a);
    const c = this.#chunkAt(a);
    const fromA = this.#cumBefore(c, a);
    if (b < c.end) return this.#cumBefore(c, b) - fromA;
    const whole = this.#total(c) - fromA;
    yearOfEnd(this, c.year, b);
    const between = REACH.left;
    return whole + between + this.#cumBefore(this.#chunkAt(b), b);
  }

  /** Earliest t ≥ start with `between(start, t) = d` (d may be negative): `advance` of ./index-walk.ts. */
  advance(start: number, d: number): number {
    if (d === 0) return start;
    if (d < 0) return this.retreat(start, -d);
    const c = this.#chunkAt(start);
    const target = this.#cumBefore(c, start) + d;
    const total = this.#total(c);
    if (target <= total) return beforeRangeEnd(this.#earliest(c, target, start));
    const year = yearReaching(this, c, target - total, start);
    const remaining = REACH.left;
    return beforeRangeEnd(this.#earliest(this.#chunkAt(yearStartDay(year) * DAY_MS), remaining));
  }

  /** Latest t ≤ end with `between(t, end) = d` (d may be negative): `retreat` of ./index-walk.ts. */
  retreat(end: number, d: number): number {
    if (d === 0) return end;
    if (d < 0) return this.advance(end, -d);
    const c = this.#chunkAt(end);
    const target = this.#cumBefore(c, end) - d;
    if (target >= 0) return this.#latest(c, target);
    const year = yearReachingBack(this, c, -target, end);
    const inYear = REACH.left;
    return this.#latest(this.#chunkAt(yearStartDay(year) * DAY_MS), inYear);
  }

  /**
   * The chunk to read the year of `t` from, and how ({@link OverlayIndex.#overlay}): for a year no
   * own date reaches, the base's chunk as it is; for one with windows, the base's chunk through its
   * {@link OverlayYear}; otherwise the year's own chunk. How a year is read is remembered for the
   * next call (numbers only); the chunk is asked for on every call, never kept, as the budget may
   * drop it between two.
   */
  #chunkAt(t: number): Chunk {
    if (!(t >= this.#readStart && t < this.#readEnd)) {
      const year = yearOfInstant(t);
      this.#readYear = year;
      this.#readStart = yearStartDay(year) * DAY_MS;
      this.#readEnd = yearStartDay(year + 1) * DAY_MS;
      this.#readOverlay = this.#baseYear(year) ? null : this.#overlayOf(year);
    }
    const how = this.#readOverlay;
    if (how === false) {
      this.#overlay = undefined;
      return this.chunkAt(t);
    }
    this.#overlay = how ?? undefined;
    return this.#base.chunkAt(t);
  }

  /** The open time before `t` of the year of chunk `c` (from {@link OverlayIndex.#chunkAt}). */
  #cumBefore(c: Chunk, t: number): number {
    const overlay = this.#overlay;
    return overlay === undefined ? cumBefore(c, t) : overlayCumBefore(c, overlay, t);
  }

  #total(c: Chunk): number {
    return this.#overlay?.total ?? c.total;
  }

  /**
   * The earliest instant of the year with `target` open time before it (0 < target ≤ total). With
   * `from`, an instant of the year known to lie before it (an addition's start), the base's chunk is
   * searched forward from `from`'s interval, where a deadline most often lies a few intervals on.
   */
  #earliest(c: Chunk, target: number, from?: number): number {
    const overlay = this.#overlay;
    if (overlay !== undefined) return overlayEarliest(c, overlay, target);
    const j = from === undefined ? firstReaching(c, target, 0) : firstReachingNear(c, target, locate(c, from));
    return (c.starts[j] as number) + (target - (c.cum[j] as number));
  }

  /** The latest instant of the year with `target` open time before it (0 ≤ target < total). */
  #latest(c: Chunk, target: number): number {
    const overlay = this.#overlay;
    if (overlay !== undefined) return overlayLatest(c, overlay, target);
    const j = lastStartingBefore(c, target);
    return (c.starts[j] as number) + (target - (c.cum[j] as number));
  }

  /**
   * The {@link OverlayYear} of a year that own dates reach, worked out on first use (`false` when
   * the year has no windows: hours past midnight, or a window that would grow too wide).
   */
  #overlayOf(year: number): OverlayYear | false {
    const years = this.#years;
    let overlay = years.get(year);
    if (overlay !== undefined) return overlay;
    const windows = this.#windows(this.#firstReaching(year), this.#endReaching(year));
    overlay = windows === undefined ? false : this.#overlayYear(year, windows);
    if (years.size >= MAX_OVERLAY_YEARS) years.delete(years.keys().next().value as number);
    years.set(year, overlay);
    return overlay;
  }

  /** A year's {@link OverlayYear}: each window as a span of instants with its own intervals. */
  #overlayYear(year: number, windows: readonly number[]): OverlayYear | false {
    const base = this.#base.chunkOfYear(year) as Chunk;
    const zone = this.#zone;
    const spans = [];
    for (let w = 0; w < windows.length; w += 2) {
      const firstDay = windows[w] as number;
      const lastDay = windows[w + 1] as number;
      // The window's own intervals as (start, end, day) triples, clipped to the year: keep the pairs.
      const triples = this.#windowIntervals([firstDay, lastDay], base.start, base.end);
      const own: number[] = [];
      for (let k = 0; k < triples.length; k += 3) own.push(triples[k] as number, triples[k + 1] as number);
      spans.push({
        from: Math.max(base.start, zone.wallToInstant(firstDay * DAY_MS)),
        to: Math.min(base.end, zone.wallToInstant((lastDay + 1) * DAY_MS)),
        firstDay,
        lastDay,
        own,
      });
    }
    return overlayYear(base, spans) ?? false;
  }

  walk(from: number, to: number, visit: (start: number, end: number, owner: number) => boolean | void): void {
    walkChunks(this, from, to, visit);
  }

  /** Own chunks built right now (the base's are counted by the base). */
  get liveChunks(): number {
    return this.#own.live + (this.#full?.liveChunks ?? 0);
  }

  get chunkBytes(): number {
    let bytes = this.#full?.chunkBytes ?? 0;
    for (const c of this.#own.chunks) bytes += chunkByteLength(c);
    return bytes;
  }

  /**
   * The affected days whose intervals can reach the UTC year are `affected[lo … hi)`: those a build
   * of the year resolves, from two days before it to one after (none when lo = hi).
   */
  #firstReaching(year: number): number {
    return lowerBound(this.#affected, yearStartDay(year) - 2);
  }

  #endReaching(year: number): number {
    return lowerBound(this.#affected, yearStartDay(year + 1) + 2);
  }

  /**
   * The days to build again for the affected days `affected[lo … hi)`: windows `[first, last]` of
   * whole local days (as pairs, sorted and disjoint), each around one or more affected days, whose
   * intervals in the calendar's own full build are exactly the union of the window's own days'
   * intervals, and whose replacement changes no other day's. `undefined` when there are none.
   *
   * Why that is exact: no hours of the calendar run past midnight, so each local day's intervals
   * lie within its own wall day; a window's edges are "clean" midnights (see
   * {@link OverlayIndex.#clean}), at which the days on both sides map with one offset, so the
   * intervals before the edge end no later than those after it start. No interval inside a window
   * then overlaps one outside it, in the base or in the own build, so the base's union trimmed
   * none of them against the window's days and the own build's union of the window is the union of
   * the window's days alone. A window is the affected day itself when both its midnights are
   * clean (the usual case), and grows a day at a time otherwise: offset changes are never closer
   * than seven days to the next (../time/zone.ts), so a clean midnight is a few days away.
   *
   * With the zones of today's tz database a day's intervals do not reach its neighbours' even next
   * to an offset change (that takes a gap that straddles midnight), so the widening is what the
   * argument needs rather than what a known zone does; the property tests put own dates next to
   * offset changes (and midnight ones, America/Santiago) and compare every chunk with the
   * calendar's unshared build. Before, such a year was built in full from the calendar's days
   * (about 800 per `evaluateAcross` call in the benchmark, each dropped by the budget and built
   * again on the next call).
   */
  #windows(lo: number, hi: number): number[] | undefined {
    if (this.#latestEndMinute > 1440) return undefined;
    const affected = this.#affected;
    const windows: number[] = [];
    for (let i = lo; i < hi; i++) {
      const day = affected[i] as number;
      let first = day;
      while (!this.#clean(first)) if (--first < day - MAX_WINDOW_REACH) return undefined;
      let last = day;
      while (!this.#clean(last + 1)) if (++last > day + MAX_WINDOW_REACH) return undefined;
      // Affected days are sorted, so windows come sorted by their first day: merge overlapping ones.
      const end = windows.length - 1;
      if (end > 0 && first <= (windows[end] as number)) windows[end] = Math.max(windows[end] as number, last);
      else windows.push(first, last);
    }
    return windows;
  }

  /**
   * Whether the midnight that starts local day `day` is clean: the offset is the same at the UTC
   * midnights from two days before it to two after. Local days `day - 1` and `day` lie inside that
   * span whatever the offset (±15 h), and an offset change, never closer than seven days to the
   * next, would show as two different samples; so both days map with that one offset.
   */
  #clean(day: number): boolean {
    const zone = this.#zone;
    const o = zone.offsetAt(day * DAY_MS);
    for (let k = -2; k <= 2; k++) if (k !== 0 && zone.offsetAt((day + k) * DAY_MS) !== o) return false;
    return true;
  }

  /**
   * The calendar's own intervals of the windows' days, clipped to the UTC year `[start, end)`, as
   * its own full build would have them: each window's days in one union, as (start, end, day)
   * triples. The list is one for the process ({@link windowScratch}): this runs for each own year
   * patched (16 000 a call in `evaluateAcross`'s benchmark), and a list's buffers are external
   * memory, which starts full collections of the caller's heap.
   */
  #windowIntervals(windows: readonly number[], start: number, end: number): number[] {
    const own: number[] = [];
    const raw = (windowScratch ??= new RawIntervals());
    for (let w = 0; w < windows.length; w += 2) {
      raw.clear();
      for (let day = windows[w] as number; day <= (windows[w + 1] as number); day++)
        forEachDayInstant(this.#zone, day, this.#resolve(day), (a, b) => raw.push(a, b, day, start, end));
      raw.unionInto(own);
    }
    return own;
  }

  /**
   * The year's chunk as the base's with the intervals of the windows' days replaced by the
   * calendar's own, when windows exist (see {@link OverlayIndex.#windows}); its arrays are cut from
   * one buffer of the exact size.
   */
  #patch(year: number, lo: number, hi: number): Chunk | undefined {
    const windows = this.#windows(lo, hi);
    if (windows === undefined) return undefined;
    const base = this.#base.chunkOfYear(year) as Chunk;
    // The windows' own intervals, clipped to the year: in time order, as the windows are.
    const own = this.#windowIntervals(windows, base.start, base.end);
    let kept = 0;
    for (let i = 0; i < base.n; i++) if (!inWindows(windows, base.owners[i] as number)) kept++;
    const size = kept + own.length / 3;
    const arrays = chunkArrays(year, size);
    const { starts, ends, owners } = arrays;
    let n = 0;
    let k = 0;
    const put = (a: number, b: number, owner: number): void => {
      starts[n] = a;
      ends[n] = b;
      owners[n] = owner;
      n++;
    };
    for (let i = 0; i < base.n; i++) {
      const owner = base.owners[i] as number;
      const s = base.starts[i] as number;
      while (
        k < own.length &&
        ((own[k] as number) < s || ((own[k] as number) === s && (own[k + 2] as number) < owner))
      ) {
        put(own[k] as number, own[k + 1] as number, own[k + 2] as number);
        k += 3;
      }
      if (inWindows(windows, owner)) continue;
      put(s, base.ends[i] as number, owner);
    }
    for (; k < own.length; k += 3) put(own[k] as number, own[k + 1] as number, own[k + 2] as number);
    const chunk = chunkOfIntervals(year, starts, ends, owners, n, arrays);
    chunk.lastUse = useStamp();
    const shelf = this.#own;
    if (shelf.live >= MAX_OWN_CHUNKS) {
      const oldest = shelf.oldest();
      if (oldest !== undefined) shelf.drop(oldest);
    }
    shelf.add(chunk);
    return chunk;
  }

  #fullIndex(): IntervalIndex {
    if (this.#full === undefined) this.#full = new IntervalIndex(this.#zone, this.#resolve, this.#latestEndMinute);
    return this.#full;
  }
}
