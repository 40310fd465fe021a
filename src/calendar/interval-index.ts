import { SlaClockError } from "../errors";
import { DAY_MS, MINUTE_MS, dayFromCivil } from "../time/civil";
import { MAX_YEAR, MIN_YEAR } from "../time/range";
import type { ZoneRules } from "../time/zone";
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
  lastUse: number;
}

/** How many years without a single open minute a search crosses before it gives up. */
export const SEARCH_LIMIT_YEARS = 10;
/** How many chunks (years) one calendar keeps; older ones are rebuilt on demand. */
const MAX_CHUNKS = 48;
const YEARS = MAX_YEAR - MIN_YEAR + 1;
const MEAN_YEAR_MS = 365.2425 * DAY_MS;

/** Resolves the open intervals of a local day, in minutes from its midnight. */
export type DayResolver = (day: number) => readonly MinuteInterval[];

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
  readonly #chunks: (Chunk | undefined)[] = new Array<Chunk | undefined>(YEARS).fill(undefined);
  readonly #totals = new Float64Array(YEARS).fill(Number.NaN);
  /** UTC start of each supported year, and of the year after the range. */
  readonly #yearStarts = Float64Array.from({ length: YEARS + 1 }, (_, k) => dayFromCivil(MIN_YEAR + k, 1, 1) * DAY_MS);
  #live = 0;
  #tick = 0;
  #last: Chunk | undefined;

  readonly #latestEndMinute: number;

  /**
   * @param latestEndMinute - the latest wall minute (from a day's midnight) at which any of the
   * calendar's intervals can end (1440 without overnight intervals): lets a chunk skip the days of
   * the neighbouring years that cannot reach into it, and so skip computing those years' holidays.
   */
  constructor(zone: ZoneRules, resolve: DayResolver, latestEndMinute: number) {
    this.#zone = zone;
    this.#resolve = resolve;
    this.#latestEndMinute = latestEndMinute;
  }

  /** The chunk holding an instant (which must be inside the supported range). */
  chunkAt(t: number): Chunk {
    const last = this.#last;
    if (last !== undefined && t >= last.start && t < last.end) return last;
    // Estimate the year from the mean year length, then step to the right one (at most once).
    const starts = this.#yearStarts;
    let k = Math.floor((t - (starts[0] as number)) / MEAN_YEAR_MS);
    if (k < 0) k = 0;
    else if (k > YEARS - 1) k = YEARS - 1;
    while (k > 0 && t < (starts[k] as number)) k--;
    while (k < YEARS - 1 && t >= (starts[k + 1] as number)) k++;
    return this.chunkOfYear(MIN_YEAR + k) as Chunk;
  }

  /** The chunk of a UTC year, or `undefined` outside 1900–2200. */
  chunkOfYear(year: number): Chunk | undefined {
    if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
    let chunk = this.#chunks[year - MIN_YEAR];
    if (chunk === undefined) chunk = this.#build(year);
    chunk.lastUse = ++this.#tick;
    this.#last = chunk;
    return chunk;
  }

  /** Open time of a whole UTC year, built once and then remembered (a number per year). */
  yearTotal(year: number): number {
    const known = this.#totals[year - MIN_YEAR] as number;
    if (!Number.isNaN(known)) return known;
    return (this.chunkOfYear(year) as Chunk).total;
  }

  /** How many chunks are built right now (for tests of the memory bound). */
  get liveChunks(): number {
    return this.#live;
  }

  /** Bytes held by the typed arrays of the built chunks (for the benchmark's memory figure). */
  get chunkBytes(): number {
    let bytes = this.#totals.byteLength;
    for (const c of this.#chunks) {
      if (c === undefined) continue;
      bytes += c.starts.byteLength + c.ends.byteLength + c.cum.byteLength + c.owners.byteLength + c.dayFirst.byteLength;
    }
    return bytes;
  }

  #build(year: number): Chunk {
    const start = dayFromCivil(year, 1, 1) * DAY_MS;
    const end = dayFromCivil(year + 1, 1, 1) * DAY_MS;
    const zone = this.#zone;
    const rawStarts: number[] = [];
    const rawEnds: number[] = [];
    const rawOwners: number[] = [];
    // Offsets stay within ±15 h and an interval may run one day past its own date, so local days
    // from two days before the year to one day after cover every interval that reaches into it.
    const firstDay = start / DAY_MS - 2;
    const lastDay = end / DAY_MS + 1;
    for (let day = firstDay; day <= lastDay; day++) {
      const edge = day < firstDay + 2 || day > lastDay - 2;
      if (edge && !this.#reaches(day, start, end)) continue;
      forEachDayInstant(zone, day, this.#resolve(day), (a, b) => {
        if (a < start) a = start;
        if (b > end) b = end;
        if (a < b) {
          rawStarts.push(a);
          rawEnds.push(b);
          rawOwners.push(day);
        }
      });
    }
    // Overnight intervals and DST shifts can make intervals of neighbouring days overlap: keep the
    // earlier day's interval and trim the later one, so the index is the union of open time. Days
    // come in order, so the list is usually sorted already and the sort is skipped.
    const order = rawStarts.map((_, i) => i);
    let sorted = true;
    for (let k = 1; k < rawStarts.length && sorted; k++)
      sorted = (rawStarts[k - 1] as number) <= (rawStarts[k] as number);
    if (!sorted) {
      order.sort(
        (i, j) =>
          (rawStarts[i] as number) - (rawStarts[j] as number) || (rawOwners[i] as number) - (rawOwners[j] as number),
      );
    }
    const starts: number[] = [];
    const ends: number[] = [];
    const owners: number[] = [];
    let prevEnd = -Infinity;
    for (const i of order) {
      const a = Math.max(rawStarts[i] as number, prevEnd);
      const b = rawEnds[i] as number;
      if (a >= b) continue;
      starts.push(a);
      ends.push(b);
      owners.push(rawOwners[i] as number);
      prevEnd = b;
    }
    const n = starts.length;
    const cum = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) cum[i + 1] = (cum[i] as number) + ((ends[i] as number) - (starts[i] as number));
    const days = (end - start) / DAY_MS;
    const dayFirst = new Int32Array(days + 1);
    let i = 0;
    for (let k = 0; k <= days; k++) {
      const midnight = start + k * DAY_MS;
      while (i < n && (ends[i] as number) <= midnight) i++;
      dayFirst[k] = i;
    }
    const chunk: Chunk = {
      year,
      start,
      end,
      n,
      starts: Float64Array.from(starts),
      ends: Float64Array.from(ends),
      cum,
      owners: Int32Array.from(owners),
      dayFirst,
      total: cum[n] as number,
      lastUse: 0,
    };
    this.#totals[year - MIN_YEAR] = chunk.total;
    if (this.#live >= MAX_CHUNKS) this.#evict();
    this.#chunks[year - MIN_YEAR] = chunk;
    this.#live++;
    return chunk;
  }

  /** Whether any interval of a local day could overlap [start, end). */
  #reaches(day: number, start: number, end: number): boolean {
    const midnight = day * DAY_MS;
    return (
      this.#zone.wallToInstant(midnight + this.#latestEndMinute * MINUTE_MS) > start &&
      this.#zone.wallToInstant(midnight) < end
    );
  }

  #evict(): void {
    let oldest = -1;
    let oldestUse = Infinity;
    for (let y = 0; y < YEARS; y++) {
      const c = this.#chunks[y];
      if (c !== undefined && c.lastUse < oldestUse) {
        oldestUse = c.lastUse;
        oldest = y;
      }
    }
    if (oldest >= 0) {
      if (this.#chunks[oldest] === this.#last) this.#last = undefined;
      this.#chunks[oldest] = undefined;
      this.#live--;
    }
  }
}

/**
 * Calls `emit(open, close)` with the instants of each of a local day's intervals, in order. A date
 * that the zone skipped entirely has none; an interval whose ends map to the same or reversed
 * instants (both inside a DST gap) is empty and skipped.
 * @internal
 */
export function forEachDayInstant(
  zone: ZoneRules,
  day: number,
  intervals: readonly MinuteInterval[],
  emit: (open: number, close: number) => void,
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
      if (a < b) emit(a, b);
    }
    return;
  }
  if (zone.wallToInstant(base + DAY_MS) <= zone.wallToInstant(base)) return;
  for (const iv of intervals) {
    const a = zone.wallToInstant(base + iv.start * MINUTE_MS);
    const b = zone.wallToInstant(base + iv.end * MINUTE_MS);
    if (a < b) emit(a, b);
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
  const cum = c.cum;
  let hi = c.n - 1;
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
