import { SlaClockError } from "../errors";
import { DAY_MS, MINUTE_MS, dayFromCivil } from "../time/civil";
import { MAX_YEAR, MIN_YEAR } from "../time/range";
import type { ZoneRules } from "../time/zone";
import { chunkBuffer, useStamp, YearArrayShelf } from "./chunk-budget";
import type { MinuteInterval } from "./spec";

/**
 * The open intervals of one UTC year as flat typed arrays: `[starts[i], ends[i])` in epoch ms,
 * sorted and disjoint (they may touch), `cum[i]` = open time before interval `i` within the chunk
 * (`cum[n]` is the year's total), `owners[i]` = the local day number whose hours produced the
 * interval, and `dayFirst[k]` = the first interval that ends after the chunk's k-th UTC midnight.
 * @internal
 */
export interface Chunk {
  readonly year: number;
  readonly start: number;
  readonly end: number;
  readonly n: number;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly cum: Float64Array;
  readonly owners: Int32Array;
  readonly dayFirst: Int32Array;
  readonly total: number;
  /** Use stamp (process-wide) of the last lookup, for the least-recently-used drops. */
  lastUse: number;
  /** Set once its owner has let it go: the process-wide budget stops counting it. */
  dropped: boolean;
}

/** How many years without a single open minute a search crosses before it gives up. */
export const SEARCH_LIMIT_YEARS = 10;
/** How many chunks (years) one calendar keeps; older ones are rebuilt on demand. */
const MAX_CHUNKS = 48;
const YEARS = MAX_YEAR - MIN_YEAR + 1;
const MEAN_YEAR_MS = 365.2425 * DAY_MS;
/** UTC start of each supported year, and of the year after the range (the same for every index). */
const YEAR_STARTS = Float64Array.from({ length: YEARS + 1 }, (_, k) => dayFromCivil(MIN_YEAR + k, 1, 1) * DAY_MS);
/** The same as day numbers (days since 1970-01-01), for {@link yearStartDay}. */
const YEAR_START_DAYS = Int32Array.from({ length: YEARS + 1 }, (_, k) => dayFromCivil(MIN_YEAR + k, 1, 1));

/** Resolves the open intervals of a local day, in minutes from its midnight. */
export type DayResolver = (day: number) => readonly MinuteInterval[];

/**
 * The open intervals of a UTC year `[start, end)` given directly as instants, sorted and disjoint
 * (they may touch), each with the local day that owns it: how a combined calendar feeds its index
 * from its members' indexes instead of from days' hours.
 */
export type YearSource = (
  year: number,
  start: number,
  end: number,
) => { starts: Float64Array; ends: Float64Array; owners: Int32Array; n: number };

/**
 * A lazily built, bounded index of a calendar's open intervals, one chunk per UTC year, with
 * running totals so that adding, subtracting and measuring business time are lookups rather than
 * day-by-day walks. Every search is bounded: {@link SEARCH_LIMIT_YEARS} empty years, or the end of
 * the supported range, end it with a typed error.
 * @internal
 */
export class IntervalIndex {
  readonly #zone: ZoneRules;
  readonly #resolve: DayResolver;
  /** The built chunks and the last one read, held by the process-wide budget too (./chunk-budget.ts). */
  readonly #shelf = new YearArrayShelf(MIN_YEAR, YEARS);
  readonly #totals = new Float64Array(YEARS).fill(Number.NaN);

  readonly #latestEndMinute: number;
  readonly #yearSource: YearSource | undefined;

  /**
   * @param latestEndMinute - the latest wall minute (from a day's midnight) at which any of the
   * calendar's intervals can end (1440 without overnight intervals): lets a chunk skip the days of
   * the neighbouring years that cannot reach into it, and so skip computing those years' holidays.
   * @param yearSource - when given, a chunk's intervals come from it and `resolve` is not used
   * (a combined calendar); a plain calendar leaves it out and its chunks are built from its days.
   */
  constructor(zone: ZoneRules, resolve: DayResolver, latestEndMinute: number, yearSource?: YearSource) {
    this.#zone = zone;
    this.#resolve = resolve;
    this.#latestEndMinute = latestEndMinute;
    this.#yearSource = yearSource;
  }

  /** The chunk holding an instant (which must be inside the supported range). */
  chunkAt(t: number): Chunk {
    const last = this.#shelf.last;
    if (last !== undefined && t >= last.start && t < last.end) return last;
    return this.chunkOfYear(yearOfInstant(t)) as Chunk;
  }

  /** The chunk of a UTC year, or `undefined` outside 1900–2200. */
  chunkOfYear(year: number): Chunk | undefined {
    if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
    const shelf = this.#shelf;
    let chunk = shelf.get(year);
    if (chunk === undefined) chunk = this.#build(year);
    chunk.lastUse = useStamp();
    shelf.last = chunk;
    return chunk;
  }

  /**
   * Open time of a whole UTC year, measured once and then remembered (a number per year). It is
   * measured without building the year's chunk: searches that cross many years (a duration that
   * cannot fit, a measure over centuries) only need the totals, and on a dense calendar a chunk
   * holds hundreds of thousands of intervals.
   */
  yearTotal(year: number): number {
    const known = this.#totals[year - MIN_YEAR] as number;
    if (!Number.isNaN(known)) return known;
    // A year source has no cheaper measure than its chunk.
    const total = this.#yearSource === undefined ? this.#measureYear(year) : (this.chunkOfYear(year) as Chunk).total;
    this.#totals[year - MIN_YEAR] = total;
    return total;
  }

  /**
   * Calls `visit(start, end, owner)` for each interval meeting `[from, to)`, clipped to it, in time
   * order, with the local day that owns it; stops when `visit` returns `false`. The index walks its
   * own chunks (an interval that crosses a UTC new year arrives as two touching pieces with the
   * same owner), so a caller never sees a chunk. `from` must lie in the supported range. Only the
   * explaining APIs use it: the arithmetic works on the running totals and never walks.
   */
  walk(from: number, to: number, visit: (start: number, end: number, owner: number) => boolean | void): void {
    walkChunks(this, from, to, visit);
  }

  /** How many chunks are built right now (for tests of the memory bound). */
  get liveChunks(): number {
    return this.#shelf.live;
  }

  /** Bytes held by the typed arrays of the built chunks (for the benchmark's memory figure). */
  get chunkBytes(): number {
    let bytes = this.#totals.byteLength;
    for (const c of this.#shelf.chunks) {
      bytes += c.starts.byteLength + c.ends.byteLength + c.cum.byteLength + c.owners.byteLength + c.dayFirst.byteLength;
    }
    return bytes;
  }

  #build(year: number): Chunk {
    const start = dayFromCivil(year, 1, 1) * DAY_MS;
    const end = dayFromCivil(year + 1, 1, 1) * DAY_MS;
    const { starts, ends, owners, n } =
      this.#yearSource === undefined ? this.#daysOfYear(start, end) : this.#yearSource(year, start, end);
    const chunk = chunkOfIntervals(year, starts, ends, owners, n);
    this.#totals[year - MIN_YEAR] = chunk.total;
    const shelf = this.#shelf;
    if (shelf.live >= MAX_CHUNKS) {
      const oldest = shelf.oldest();
      if (oldest !== undefined) shelf.drop(oldest);
    }
    shelf.add(chunk);
    return chunk;
  }

  /** The union of the intervals of the local days that reach into `[start, end)`, clipped to it. */
  #daysOfYear(start: number, end: number): { starts: Float64Array; ends: Float64Array; owners: Int32Array; n: number } {
    const zone = this.#zone;
    const raw = new RawIntervals();
    // Offsets stay within ±15 h and an interval may run one day past its own date, so local days
    // from two days before the year to one day after cover every interval that reaches into it.
    const firstDay = start / DAY_MS - 2;
    const lastDay = end / DAY_MS + 1;
    for (let day = firstDay; day <= lastDay; day++) {
      const edge = day < firstDay + 2 || day > lastDay - 2;
      if (edge && !this.#reaches(day, start, end)) continue;
      forEachDayInstant(zone, day, this.#resolve(day), (a, b) => raw.push(a, b, day, start, end));
    }
    return raw.union();
  }

  /**
   * The open time of a UTC year, equal to the total of the chunk {@link IntervalIndex.#build}
   * would make, at the cost of resolving each day once. A day far from offset changes and from
   * the year's edges, with no overnight interval of its own or from the day before, cannot overlap
   * any other day's intervals: its open time is the sum of its wall intervals (remembered per
   * hours list). The other days (DST, year edges, overnight) are turned into instants and measured
   * as a union, as the build does.
   */
  #measureYear(year: number): number {
    const start = dayFromCivil(year, 1, 1) * DAY_MS;
    const end = dayFromCivil(year + 1, 1, 1) * DAY_MS;
    const zone = this.#zone;
    const firstDay = start / DAY_MS - 2;
    const lastDay = end / DAY_MS + 1;
    // Offsets at each local midnight (read as an instant, as forEachDayInstant samples them) from
    // three days before the first day to four after the last.
    const offsets = new Float64Array(lastDay - firstDay + 8);
    for (let k = 0; k < offsets.length; k++) offsets[k] = zone.offsetAt((firstDay - 3 + k) * DAY_MS);
    let simple = 0;
    const rest = new RawIntervals();
    // The latest end minute of the previous day's intervals (Infinity when not known).
    let prevLatestEnd = Infinity;
    for (let day = firstDay; day <= lastDay; day++) {
      const edge = day < firstDay + 2 || day > lastDay - 2;
      if (edge && !this.#reaches(day, start, end)) {
        prevLatestEnd = Infinity;
        continue;
      }
      const intervals = this.#resolve(day);
      const shape = shapeOf(intervals);
      const k = day - firstDay + 3;
      const o = offsets[k] as number;
      let steady = true;
      for (let j = k - 3; j <= k + 4 && steady; j++) steady = offsets[j] === o;
      const from = day * DAY_MS - o;
      if (steady && shape.latestEnd <= 1440 && prevLatestEnd <= 1440 && from >= start && from + DAY_MS <= end) {
        simple += shape.minutes * MINUTE_MS;
      } else {
        forEachDayInstant(zone, day, intervals, (a, b) => rest.push(a, b, day, start, end));
      }
      prevLatestEnd = shape.latestEnd;
    }
    const { starts, ends, n } = rest.union();
    let union = 0;
    for (let i = 0; i < n; i++) union += (ends[i] as number) - (starts[i] as number);
    return simple + union;
  }

  /** Whether any interval of a local day could overlap [start, end). */
  #reaches(day: number, start: number, end: number): boolean {
    const midnight = day * DAY_MS;
    return (
      this.#zone.wallToInstant(midnight + this.#latestEndMinute * MINUTE_MS) > start &&
      this.#zone.wallToInstant(midnight) < end
    );
  }
}

/**
 * {@link IntervalIndex.walk} over any index that hands out chunks by instant and by year.
 * @internal
 */
export function walkChunks(
  index: { chunkAt(t: number): Chunk; chunkOfYear(year: number): Chunk | undefined },
  from: number,
  to: number,
  visit: (start: number, end: number, owner: number) => boolean | void,
): void {
  if (to <= from) return;
  let c: Chunk | undefined = index.chunkAt(from);
  let i = locate(c, from);
  while (c !== undefined) {
    const { starts, ends, owners, n } = c;
    for (; i < n; i++) {
      const s = starts[i] as number;
      if (s >= to) return;
      const e = ends[i] as number;
      if (visit(s > from ? s : from, e < to ? e : to, owners[i] as number) === false) return;
    }
    if (c.end >= to) return;
    c = index.chunkOfYear(c.year + 1);
    i = 0;
  }
}

/**
 * The day number (days since 1970-01-01) on which the UTC year `year` starts: `dayFromCivil(year,
 * 1, 1)`, read from a table inside the supported range (through the year after it). Its instant is
 * `yearStartDay(year) * DAY_MS`, worked out by the caller: a customer calendar's index asks at every
 * change of year between two queries, a few million times in a call over a million tickets, and a
 * day number is a small integer, which V8 returns as it is, where an instant (a double) returned
 * from a call that is not inlined is a new heap object each time (32 MB of garbage a call of
 * `evaluateAcross` over a million tickets).
 * @internal
 */
export function yearStartDay(year: number): number {
  const k = year - MIN_YEAR;
  return k >= 0 && k <= YEARS ? (YEAR_START_DAYS[k] as number) : dayFromCivil(year, 1, 1);
}

/**
 * The UTC year of an instant, clamped to the supported range (an array lookup: the mean year
 * length gives the year, stepped to the right one at most once).
 * @internal
 */
export function yearOfInstant(t: number): number {
  const starts = YEAR_STARTS;
  let k = Math.floor((t - (starts[0] as number)) / MEAN_YEAR_MS);
  if (k < 0) k = 0;
  else if (k > YEARS - 1) k = YEARS - 1;
  while (k > 0 && t < (starts[k] as number)) k--;
  while (k < YEARS - 1 && t >= (starts[k + 1] as number)) k++;
  return MIN_YEAR + k;
}

/**
 * Arrays for a chunk of `n` intervals in a UTC year, all cut from one buffer: a calendar's own
 * years are built often (and dropped by the budget), and each `ArrayBuffer` is external memory
 * that V8 allocates, tracks and collects one by one, so one buffer instead of five costs the
 * collector less and keeps four buffer objects fewer per chunk. The buffer may be a recycled one
 * ({@link chunkBuffer}): `cum[0]` is 0, and the caller writes every other element.
 * @internal
 */
export function chunkArrays(
  year: number,
  n: number,
): { starts: Float64Array; ends: Float64Array; cum: Float64Array; owners: Int32Array; dayFirst: Int32Array } {
  const days = ((YEAR_STARTS[year - MIN_YEAR + 1] as number) - (YEAR_STARTS[year - MIN_YEAR] as number)) / DAY_MS;
  // Possibly a recycled buffer (./chunk-budget.ts): the caller writes every element but cum[0].
  const buffer = chunkBuffer((3 * n + 1) * 8 + (n + days + 1) * 4);
  new Float64Array(buffer, 2 * n * 8, 1)[0] = 0;
  return {
    starts: new Float64Array(buffer, 0, n),
    ends: new Float64Array(buffer, n * 8, n),
    cum: new Float64Array(buffer, 2 * n * 8, n + 1),
    owners: new Int32Array(buffer, (3 * n + 1) * 8, n),
    dayFirst: new Int32Array(buffer, (3 * n + 1) * 8 + n * 4, days + 1),
  };
}

/**
 * A year's chunk from its sorted, disjoint intervals (the arrays are taken, not copied): the
 * running totals and the day table are computed here, into `into` when given (from
 * {@link chunkArrays}), else into arrays of their own.
 * @internal
 */
export function chunkOfIntervals(
  year: number,
  starts: Float64Array,
  ends: Float64Array,
  owners: Int32Array,
  n: number,
  into?: { cum: Float64Array; dayFirst: Int32Array },
): Chunk {
  const start = YEAR_STARTS[year - MIN_YEAR] as number;
  const end = YEAR_STARTS[year - MIN_YEAR + 1] as number;
  const cum = into?.cum ?? new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = (cum[i] as number) + ((ends[i] as number) - (starts[i] as number));
  const days = (end - start) / DAY_MS;
  const dayFirst = into?.dayFirst ?? new Int32Array(days + 1);
  let i = 0;
  for (let k = 0; k <= days; k++) {
    const midnight = start + k * DAY_MS;
    while (i < n && (ends[i] as number) <= midnight) i++;
    dayFirst[k] = i;
  }
  return {
    year,
    start,
    end,
    n,
    starts,
    ends,
    cum,
    owners,
    dayFirst,
    total: cum[n] as number,
    lastUse: 0,
    dropped: false,
  };
}

/**
 * Intervals of several days as instants, clipped to a year, in growable flat buffers: what a chunk
 * is made of before the union (and the days a customer calendar patches over its base's year:
 * ./shared-index.ts, which reuses one list).
 * @internal
 */
export class RawIntervals {
  #starts = new Float64Array(256);
  #ends = new Float64Array(256);
  #owners = new Int32Array(256);
  #n = 0;

  /** Adds `[a, b)` of local day `owner`, clipped to `[from, to)` (nothing when that is empty). */
  push(a: number, b: number, owner: number, from: number, to: number): void {
    if (a < from) a = from;
    if (b > to) b = to;
    if (a >= b) return;
    const n = this.#n;
    if (n === this.#starts.length) {
      const grow = <T extends Float64Array | Int32Array>(old: T, make: (size: number) => T): T => {
        const next = make(Math.max(256, old.length * 2));
        next.set(old);
        return next;
      };
      this.#starts = grow(this.#starts, (size) => new Float64Array(size));
      this.#ends = grow(this.#ends, (size) => new Float64Array(size));
      this.#owners = grow(this.#owners, (size) => new Int32Array(size));
    }
    this.#starts[n] = a;
    this.#ends[n] = b;
    this.#owners[n] = owner;
    this.#n = n + 1;
  }

  /** Empties the list and keeps its buffers, for the next union. */
  clear(): void {
    this.#n = 0;
  }

  /**
   * The union as sorted, disjoint intervals. Overnight intervals and DST shifts can make intervals
   * of neighbouring days overlap: the earlier day's interval is kept and the later one trimmed (an
   * emptied one dropped). Days come in order, so the list is usually sorted already and the sort is
   * skipped.
   */
  union(): { starts: Float64Array; ends: Float64Array; owners: Int32Array; n: number } {
    const n = this.#merge();
    return { starts: this.#starts.slice(0, n), ends: this.#ends.slice(0, n), owners: this.#owners.slice(0, n), n };
  }

  /** The union (see {@link RawIntervals.union}), appended to `out` as (start, end, owner) triples. */
  unionInto(out: number[]): void {
    const n = this.#merge();
    for (let k = 0; k < n; k++) out.push(this.#starts[k] as number, this.#ends[k] as number, this.#owners[k] as number);
  }

  /** Makes the list its union, in place; returns its length. */
  #merge(): number {
    const count = this.#n;
    if (!insertionSorted(this.#starts, this.#ends, this.#owners, count)) {
      const order = Array.from({ length: count }, (_, i) => i);
      const s = this.#starts;
      const e = this.#ends;
      const o = this.#owners;
      order.sort((i, j) => (s[i] as number) - (s[j] as number) || (o[i] as number) - (o[j] as number));
      this.#starts = Float64Array.from(order, (i) => s[i] as number);
      this.#ends = Float64Array.from(order, (i) => e[i] as number);
      this.#owners = Int32Array.from(order, (i) => o[i] as number);
    }
    const starts = this.#starts;
    const ends = this.#ends;
    const owners = this.#owners;
    let n = 0;
    let prevEnd = -Infinity;
    for (let k = 0; k < count; k++) {
      const a = Math.max(starts[k] as number, prevEnd);
      const b = ends[k] as number;
      if (a >= b) continue;
      starts[n] = a;
      ends[n] = b;
      owners[n] = owners[k] as number;
      n++;
      prevEnd = b;
    }
    this.#n = n;
    return n;
  }
}

/**
 * Sorts the first `count` intervals by start, then owner, in place by insertion, which is linear
 * when the list is nearly sorted: days come in order, and only a DST gap (whose wall times move
 * forward onto the next hour's) puts a few intervals out of place. Gives up (returns false) after
 * a budget of moves that only a list far from sorted needs; the caller then sorts it in full.
 */
function insertionSorted(starts: Float64Array, ends: Float64Array, owners: Int32Array, count: number): boolean {
  let budget = 4 * count + 1024;
  for (let k = 1; k < count; k++) {
    const a = starts[k] as number;
    const o = owners[k] as number;
    let j = k - 1;
    if ((starts[j] as number) < a || ((starts[j] as number) === a && (owners[j] as number) <= o)) continue;
    const b = ends[k] as number;
    while (j >= 0 && ((starts[j] as number) > a || ((starts[j] as number) === a && (owners[j] as number) > o))) {
      if (--budget < 0) break;
      starts[j + 1] = starts[j] as number;
      ends[j + 1] = ends[j] as number;
      owners[j + 1] = owners[j] as number;
      j--;
    }
    // Placed even when the budget ran out, so that the list stays a permutation of the input.
    starts[j + 1] = a;
    ends[j + 1] = b;
    owners[j + 1] = o;
    if (budget < 0) return false;
  }
  return true;
}

/** The wall minutes an hours list holds, and the latest minute at which one of them ends. */
interface Shape {
  readonly minutes: number;
  readonly latestEnd: number;
}

const NO_SHAPE: Shape = { minutes: 0, latestEnd: 0 };
/** Shapes by hours list: a calendar resolves most days to the same few lists (its weekly hours). */
const shapes = new WeakMap<readonly MinuteInterval[], Shape>();

function shapeOf(intervals: readonly MinuteInterval[]): Shape {
  if (intervals.length === 0) return NO_SHAPE;
  let shape = shapes.get(intervals);
  if (shape === undefined) {
    let minutes = 0;
    let latestEnd = 0;
    for (const iv of intervals) {
      if (iv.end > iv.start) minutes += iv.end - iv.start;
      latestEnd = Math.max(latestEnd, iv.end);
    }
    shape = { minutes, latestEnd };
    shapes.set(intervals, shape);
  }
  return shape;
}

/**
 * Calls `emit(open, close)` with the instants of each of a local day's intervals, in order, until
 * it returns `true`. A date
 * that the zone skipped entirely has none; an interval whose ends map to the same or reversed
 * instants (both inside a DST gap) is empty and skipped.
 * @internal
 */
export function forEachDayInstant(
  zone: ZoneRules,
  day: number,
  intervals: readonly MinuteInterval[],
  emit: (open: number, close: number) => boolean | void,
): void {
  if (intervals.length === 0) return;
  const base = day * DAY_MS;
  // Most days are nowhere near an offset change: then every wall time of the day (and of the next,
  // where an overnight interval ends) maps with one offset, and the general conversion is skipped.
  const before = zone.offsetAt(base - 2 * DAY_MS);
  if (before === zone.offsetAt(base + 3 * DAY_MS) && before === zone.offsetAt(base)) {
    for (const iv of intervals) {
      const a = base + iv.start * MINUTE_MS - before;
      const b = base + iv.end * MINUTE_MS - before;
      if (a < b && emit(a, b) === true) return;
    }
    return;
  }
  if (zone.wallToInstant(base + DAY_MS) <= zone.wallToInstant(base)) return;
  for (const iv of intervals) {
    const a = zone.wallToInstant(base + iv.start * MINUTE_MS);
    const b = zone.wallToInstant(base + iv.end * MINUTE_MS);
    if (a < b && emit(a, b) === true) return;
  }
}

/**
 * Index of the first interval of `c` that ends after `t` (`c.n` when none does).
 * @internal
 */
export function locate(c: Chunk, t: number): number {
  let i = c.dayFirst[Math.floor((t - c.start) / DAY_MS)] as number;
  const ends = c.ends;
  const n = c.n;
  while (i < n && (ends[i] as number) <= t) i++;
  return i;
}

/**
 * Open time in `c` before `t` (`t` inside the chunk).
 * @internal
 */
export function cumBefore(c: Chunk, t: number): number {
  const i = locate(c, t);
  if (i === c.n) return c.total;
  const s = c.starts[i] as number;
  return (c.cum[i] as number) + (t > s ? t - s : 0);
}

/**
 * First interval index `j` with `cum[j + 1] >= target` (0 < target ≤ total), searching from `lo`.
 * @internal
 */
export function firstReaching(c: Chunk, target: number, lo: number): number {
  return firstReachingIn(c.cum, target, lo, c.n - 1);
}

/**
 * {@link firstReaching} when the answer is known to lie at or after `lo` and is likely to lie a few
 * intervals after it: a deadline a few business hours or days after its start. It gallops from
 * `lo` (1, 2, 4… intervals on) and then bisects only the last step, a handful of reads where a
 * bisection of the whole year took nine, each a branch the processor mispredicts half the time.
 * @internal
 */
export function firstReachingNear(c: Chunk, target: number, lo: number): number {
  const cum = c.cum;
  const last = c.n - 1;
  let hi = lo;
  for (let step = 1; hi < last && (cum[hi + 1] as number) < target; step *= 2) {
    lo = hi + 1;
    hi = Math.min(last, hi + step);
  }
  return firstReachingIn(cum, target, lo, hi);
}

/** The first `j` in `[lo, hi]` with `cum[j + 1] >= target`, or `hi` when none before it has. */
function firstReachingIn(cum: Float64Array, target: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid + 1] as number) >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Last interval index `j` with `cum[j] <= target` (0 ≤ target < total).
 * @internal
 */
export function lastStartingBefore(c: Chunk, target: number): number {
  const cum = c.cum;
  let lo = 0;
  let hi = c.n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((cum[mid] as number) <= target) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** @internal */
export function noOpenTime(from: number, direction: "after" | "before"): SlaClockError {
  return new SlaClockError(
    "NO_OPEN_TIME",
    `the calendar has no open time within ${SEARCH_LIMIT_YEARS} years ${direction} ${new Date(from).toISOString()} (or before the supported range ends); check its weekly hours, holidays and overrides`,
    { from: new Date(from).toISOString() },
  );
}

/** @internal */
export function outOfRange(what: string): SlaClockError {
  return new SlaClockError("OUT_OF_RANGE", `${what} lies outside the supported range 1900-01-01 … 2200-12-31`);
}
