/**
 * The walks over an interval index: where the open time is, and how much of it lies between two
 * instants. Every query of business time is one of these walks over the index's chunks (a UTC year
 * each: open intervals in epoch ms with running totals), so the index owns them and the calendar
 * engine only turns a question into one call (issue 17: the engine used to walk the raw arrays
 * itself). The functions take any {@link ChunkIndex}: a calendar's own index, a shared base or an
 * overlay on one. Years without open time are crossed by their totals, without building them.
 * @internal
 */
import { SlaClockError } from "../errors";
import { DAY_MS } from "../time/civil";
import { formatInstant } from "../time/instant";
import { END_INSTANT, MAX_YEAR, MIN_INSTANT, MIN_YEAR } from "../time/range";
import {
  SEARCH_LIMIT_YEARS,
  cumBefore,
  firstReaching,
  firstReachingNear,
  lastStartingBefore,
  locate,
  noOpenTime,
  outOfRange,
  yearStartDay,
  type Chunk,
} from "./interval-index";
import type { ChunkIndex } from "./shared-index";

/** Longest stretch a search for a closing instant crosses before it gives up. @internal */
export const CLOSE_SEARCH_LIMIT_MS = SEARCH_LIMIT_YEARS * 366 * DAY_MS;

/**
 * The most open stretches `openIntervals` returns at once (a year of a calendar with about 270
 * stretches a day): a request over centuries of a dense calendar would otherwise allocate millions
 * of objects. Longer spans are read page by page.
 * @internal
 */
export const MAX_OPEN_INTERVALS = 100_000;

/** A position in the index: interval `i` of chunk `c`. @internal */
export interface Cursor {
  c: Chunk;
  i: number;
}

/**
 * The cursor every walk fills and its caller reads at once (filled by cursorAtOrAfter before any
 * read). One for the process rather than one per calendar: a calendar's own cursor would keep the
 * last chunk it read alive after the chunk budget dropped it.
 */
const SCRATCH: Cursor = { c: undefined as unknown as Chunk, i: 0 };

export function isOpenAt(index: ChunkIndex, t: number): boolean {
  const c = index.chunkAt(t);
  const i = locate(c, t);
  return i < c.n && (c.starts[i] as number) <= t;
}

/**
 * The interval that contains `t` or is the first after it. Returns a scratch cursor owned by the
 * engine (valid until the next call): these lookups run per ticket in bulk evaluation.
 */
export function cursorAtOrAfter(index: ChunkIndex, t: number): Cursor {
  let c = index.chunkAt(t);
  let i = locate(c, t);
  let empty = 0;
  while (i === c.n) {
    const next = index.chunkOfYear(c.year + 1);
    // Ten empty years searched is NO_OPEN_TIME, even when the range ends right after them; short
    // of that, an opening past the range end may exist, but cannot be reported.
    if (++empty > SEARCH_LIMIT_YEARS) throw noOpenTime(t, "after");
    if (next === undefined) throw outOfRange(`the next opening after ${formatInstant(t)}`);
    c = next;
    i = 0;
  }
  const cur = SCRATCH;
  cur.c = c;
  cur.i = i;
  return cur;
}

/** Earliest instant ≥ t at which the calendar is open. */
export function nextOpening(index: ChunkIndex, t: number): number {
  const { c, i } = cursorAtOrAfter(index, t);
  const s = c.starts[i] as number;
  return s > t ? s : t;
}

/**
 * The first closing instant after t: the end of the open stretch containing t, or of the next one.
 * A stretch that runs through whole years (a calendar open around the clock) crosses them by their
 * totals, without building them.
 */
export function nextClosing(index: ChunkIndex, t: number): number {
  const cur = cursorAtOrAfter(index, t);
  let c = cur.c;
  let i = cur.i;
  let end = c.ends[i] as number;
  for (;;) {
    while (i + 1 < c.n && (c.starts[i + 1] as number) === end) end = c.ends[++i] as number;
    if (i + 1 < c.n || end < c.end || end - t > CLOSE_SEARCH_LIMIT_MS) break;
    // The stretch reaches the end of the year: it goes on through every year that is open throughout.
    let year = c.year + 1;
    while (year <= MAX_YEAR && end - t <= CLOSE_SEARCH_LIMIT_MS) {
      const yearEnd = yearStartDay(year + 1) * DAY_MS;
      if (index.yearTotal(year) !== yearEnd - end) break;
      end = yearEnd;
      year++;
    }
    if (year > MAX_YEAR || end - t > CLOSE_SEARCH_LIMIT_MS) break;
    const next = index.chunkOfYear(year) as Chunk;
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
function cursorBefore(index: ChunkIndex, t: number): Cursor {
  let c = index.chunkAt(t);
  let i = locate(c, t);
  if (!(i < c.n && (c.starts[i] as number) < t)) i--;
  if (i < 0) {
    for (let year = c.year - 1, empty = 1; ; year--, empty++) {
      // As in cursorAtOrAfter: ten empty years first, then an opening before the range start,
      // which may exist but cannot be reported.
      if (empty > SEARCH_LIMIT_YEARS) throw noOpenTime(t, "before");
      if (year < MIN_YEAR) throw outOfRange(`the last open time before ${formatInstant(t)}`);
      if (index.yearTotal(year) === 0) continue;
      c = index.chunkOfYear(year) as Chunk;
      i = c.n - 1;
      break;
    }
  }
  const cur = SCRATCH;
  cur.c = c;
  cur.i = i;
  return cur;
}

/**
 * The latest instant ≤ t up to which the calendar was open: t itself when open just before t,
 * else the end of the last stretch before t. The mirror of nextOpen.
 */
export function previousClosing(index: ChunkIndex, t: number): number {
  const { c, i } = cursorBefore(index, t);
  const e = c.ends[i] as number;
  return e < t ? e : t;
}

/**
 * The opening of the open stretch that holds the instant just before t, or of the last stretch
 * before t: always before t. The mirror of nextClose: touching intervals are one stretch, and a
 * stretch that runs back through whole years is crossed by their totals.
 */
export function previousOpening(index: ChunkIndex, t: number): number {
  const cur = cursorBefore(index, t);
  let c = cur.c;
  let i = cur.i;
  let start = c.starts[i] as number;
  for (;;) {
    while (i > 0 && (c.ends[i - 1] as number) === start) start = c.starts[--i] as number;
    if (i > 0 || start > c.start || t - start > CLOSE_SEARCH_LIMIT_MS) break;
    // The stretch reaches back to the start of the year: it goes on through every year open throughout.
    let year = c.year - 1;
    while (year >= MIN_YEAR && t - start <= CLOSE_SEARCH_LIMIT_MS) {
      const yearStart = yearStartDay(year) * DAY_MS;
      if (index.yearTotal(year) !== start - yearStart) break;
      start = yearStart;
      year--;
    }
    if (year < MIN_YEAR || t - start > CLOSE_SEARCH_LIMIT_MS) break;
    const prev = index.chunkOfYear(year) as Chunk;
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
 * The maximal open stretches meeting [from, to), clipped to it, one at a time: only the chunk
 * being read is held (an evicted chunk stays valid while the walk holds it), and years without
 * open time are skipped by their totals.
 */
export function* iterateStretches(
  index: ChunkIndex,
  from: number,
  to: number,
): Generator<[number, number], void, undefined> {
  if (to <= from) return;
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
        if (pending) {
          yield [pendingStart, pendingEnd];
          // The application ran meanwhile: a chunk dropped since may have had its buffer recycled
          // (./chunk-budget.ts). The year built again holds the same intervals, so `i` still fits.
          if (c.dropped) c = index.chunkOfYear(c.year) as Chunk;
        }
        pending = true;
        pendingStart = a;
        pendingEnd = b;
      }
    }
    if (i < c.n || c.end >= to) break;
    let year: number = c.year + 1;
    while (year <= MAX_YEAR && index.yearTotal(year) === 0) year++;
    c = yearStartDay(year) * DAY_MS < to ? index.chunkOfYear(year) : undefined;
    i = 0;
  }
  if (pending) yield [pendingStart, pendingEnd];
}

/** Earliest t ≥ start with businessTimeBetween(start, t) = d (d may be negative: subtracts). */
export function advance(index: ChunkIndex, start: number, d: number): number {
  if (d === 0) return start;
  if (d < 0) return retreat(index, start, -d);
  let c = index.chunkAt(start);
  const i = locate(c, start);
  const target = i === c.n ? c.total + d : (c.cum[i] as number) + Math.max(0, start - (c.starts[i] as number)) + d;
  if (target <= c.total) {
    const j = firstReachingNear(c, target, i);
    return beforeRangeEnd((c.starts[j] as number) + (target - (c.cum[j] as number)));
  }
  const year = yearReaching(index, c, target - c.total, start);
  c = index.chunkOfYear(year) as Chunk;
  const remaining = REACH.left;
  const j = firstReaching(c, remaining, 0);
  return beforeRangeEnd((c.starts[j] as number) + (remaining - (c.cum[j] as number)));
}

/**
 * What {@link yearReaching}, {@link yearReachingBack} and {@link yearOfEnd} leave besides the year
 * (one for the process: read at once, before the next walk).
 * @internal
 */
export const REACH = { left: 0 };

/**
 * The first year after chunk `c`'s whose open time holds `remaining` (> 0), crossing the years
 * between by their totals; `REACH.left` is then the open time to use up in it. An addition from
 * `start` that ends past its own year goes on there (./shared-index.ts's overlay too).
 * @internal
 */
export function yearReaching(index: ChunkIndex, c: Chunk, remaining: number, start: number): number {
  // Open time can never exceed the real time left in the range: a hopeless duration fails at once.
  if (remaining > END_INSTANT - c.end) throw outOfRange("the result of adding business time");
  let empty = 0;
  for (let year = c.year + 1; ; year++) {
    if (year > MAX_YEAR) throw outOfRange("the result of adding business time");
    const total = index.yearTotal(year);
    if (total >= remaining) {
      REACH.left = remaining;
      return year;
    }
    remaining -= total;
    empty = total === 0 ? empty + 1 : 0;
    if (empty >= SEARCH_LIMIT_YEARS) throw noOpenTime(start, "after");
  }
}

/**
 * The mirror of {@link yearReaching} for a subtraction from `end`: the last year before chunk `c`'s
 * holding `remaining`; `REACH.left` is then the open time of that year before the answer.
 * @internal
 */
export function yearReachingBack(index: ChunkIndex, c: Chunk, remaining: number, end: number): number {
  if (remaining > c.start - MIN_INSTANT) throw outOfRange("the result of subtracting business time");
  let empty = 0;
  for (let year = c.year - 1; ; year--) {
    if (year < MIN_YEAR) throw outOfRange("the result of subtracting business time");
    const total = index.yearTotal(year);
    if (total >= remaining) {
      REACH.left = total - remaining;
      return year;
    }
    remaining -= total;
    empty = total === 0 ? empty + 1 : 0;
    if (empty >= SEARCH_LIMIT_YEARS) throw noOpenTime(end, "before");
  }
}

/**
 * The year of instant `b` (after year `fromYear`), crossing the whole years between by their
 * totals: `REACH.left` is then their open time. A measure from a year to a later one adds it.
 * @internal
 */
export function yearOfEnd(index: ChunkIndex, fromYear: number, b: number): number {
  let sum = 0;
  for (let year = fromYear + 1; ; year++) {
    if (b < yearStartDay(year + 1) * DAY_MS) {
      REACH.left = sum;
      return year;
    }
    sum += index.yearTotal(year);
  }
}

/** Latest t ≤ end with businessTimeBetween(t, end) = d (d may be negative: adds). */
export function retreat(index: ChunkIndex, end: number, d: number): number {
  if (d === 0) return end;
  if (d < 0) return advance(index, end, -d);
  let c = index.chunkAt(end);
  const target = cumBefore(c, end) - d;
  if (target >= 0) {
    const j = lastStartingBefore(c, target);
    return (c.starts[j] as number) + (target - (c.cum[j] as number));
  }
  const year = yearReachingBack(index, c, -target, end);
  c = index.chunkOfYear(year) as Chunk;
  const inChunk = REACH.left;
  const j = lastStartingBefore(c, inChunk);
  return (c.starts[j] as number) + (inChunk - (c.cum[j] as number));
}

/**
 * A result of adding business time: the last year's chunk ends at the range end, so the duration
 * can be used up exactly there, at the first instant past the range.
 * @internal
 */
export function beforeRangeEnd(t: number): number {
  if (t >= END_INSTANT) throw outOfRange("the result of adding business time");
  return t;
}

/** Open time in [a, b), negative when b < a. */
export function openTimeBetween(index: ChunkIndex, a: number, b: number): number {
  if (a === b) return 0;
  if (b < a) return -openTimeBetween(index, b, a);
  const ca = index.chunkAt(a);
  if (b < ca.end) return cumBefore(ca, b) - cumBefore(ca, a);
  const year = yearOfEnd(index, ca.year, b);
  return ca.total - cumBefore(ca, a) + REACH.left + cumBefore(index.chunkOfYear(year) as Chunk, b);
}

/**
 * The maximal open stretches meeting [from, to), clipped to it. More than
 * {@link MAX_OPEN_INTERVALS} fail with `INVALID_ARGUMENT` before they are all collected.
 */
export function stretches(index: ChunkIndex, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  if (to <= from) return out;
  let c = index.chunkAt(from);
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
    const next = index.chunkOfYear(c.year + 1);
    if (next === undefined) return out;
    c = next;
    i = 0;
  }
}

/**
 * The end of the last interval from (c, i) on whose owner day is at most `lastDay` (the caller
 * checks that those days do not reach past the range, which needs their hours).
 */
export function lastEndOwnedUpTo(index: ChunkIndex, c: Chunk, i: number, lastDay: number): number {
  let end = c.ends[i] as number;
  for (;;) {
    for (i++; i < c.n; i++) {
      if ((c.owners[i] as number) > lastDay) return end;
      end = c.ends[i] as number;
    }
    // Days own intervals in order, so the stretch can only continue at the next year's start.
    const next = index.chunkOfYear(c.year + 1);
    if (next === undefined || next.n === 0 || (next.owners[0] as number) > lastDay) return end;
    c = next;
    i = -1;
  }
}

function tooManyIntervals(from: number, to: number, last: [number, number]): SlaClockError {
  return new SlaClockError(
    "INVALID_ARGUMENT",
    `openIntervals: more than ${MAX_OPEN_INTERVALS} open stretches between ${formatInstant(from)} and ${formatInstant(to)}; ask for a shorter span, page by page: the ${MAX_OPEN_INTERVALS}th stretch ends at ${formatInstant(last[1])}, so continue from there`,
    { limit: MAX_OPEN_INTERVALS, from: formatInstant(from), to: formatInstant(to), next: formatInstant(last[1]) },
  );
}
