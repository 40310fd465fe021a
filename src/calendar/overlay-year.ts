/**
 * A UTC year of a customer calendar read through its base's chunk (./shared-index.ts), without a
 * chunk of its own: the calendar's open time in the year is the base's everywhere but inside a few
 * windows of own days, where the calendar's own intervals take the place of the base's.
 *
 * A window is a span of whole local days `[from, to)` around the calendar's own dates, with clean
 * midnights at both ends (./shared-index.ts `#windows`): no interval of the base or of the calendar
 * crosses its edges, so the calendar's running total of open time is the base's plus a correction
 * that changes only inside windows. Before window `k` it is `before[k] - baseBefore[k]`, after it
 * `through[k] - baseThrough[k]`, and inside it the window's own intervals are walked (a day has a
 * few). Every question is then a binary search over the windows and one over the base's running
 * totals, so its cost hardly depends on how many own dates the year has; and the year holds only
 * numbers, never the base's chunk (which the chunk budget may drop and rebuild meanwhile).
 *
 * Before this, a search that stopped in such a year patched a copy of the base's chunk (about 16 KB
 * and 50 µs a year): with 10 000 customer calendars most of `evaluateAcross`'s time and memory.
 * @internal
 */
import { cumBefore, firstReaching, lastStartingBefore, locate, type Chunk } from "./interval-index";

/** @internal */
export interface OverlayYear {
  /** Window `k` is `[from[k], to[k])`, in epoch ms within the year; sorted, disjoint, non-empty. */
  readonly from: readonly number[];
  readonly to: readonly number[];
  /** The calendar's open time in the year before `from[k]` and before `to[k]`. */
  readonly before: readonly number[];
  readonly through: readonly number[];
  /** The base's open time in the year before `from[k]` and before `to[k]`. */
  readonly baseBefore: readonly number[];
  readonly baseThrough: readonly number[];
  /** The windows' own intervals as (start, end) pairs; window `k`'s are pairs `first[k]` … `first[k + 1] - 1`. */
  readonly own: readonly number[];
  readonly first: readonly number[];
  /** The calendar's open time in the whole year. */
  readonly total: number;
}

/**
 * The year of a calendar whose own intervals in the windows `[from[k], to[k])` are `own[k]` (pairs
 * of instants, sorted, within the window and the year), over the base's chunk of that year;
 * `undefined` when the base's intervals do not respect the windows (one crosses an edge, or a
 * window's day owns one outside it), which the windows' construction rules out: the caller then
 * builds the year's chunk instead.
 * @internal
 */
export function overlayYear(
  base: Chunk,
  windows: readonly { from: number; to: number; firstDay: number; lastDay: number; own: readonly number[] }[],
): OverlayYear | undefined {
  const from: number[] = [];
  const to: number[] = [];
  const before: number[] = [];
  const through: number[] = [];
  const baseBefore: number[] = [];
  const baseThrough: number[] = [];
  const own: number[] = [];
  const first: number[] = [];
  let correction = 0;
  for (const w of windows) {
    if (w.from >= w.to) continue;
    if (!respects(base, w.from, w.to, w.firstDay, w.lastDay)) return undefined;
    const a = cumBefore(base, w.from);
    const b = cumBefore(base, w.to);
    let sum = 0;
    first.push(own.length / 2);
    for (let k = 0; k < w.own.length; k += 2) {
      const s = w.own[k] as number;
      const e = w.own[k + 1] as number;
      if (s < w.from || e > w.to) return undefined;
      own.push(s, e);
      sum += e - s;
    }
    from.push(w.from);
    to.push(w.to);
    baseBefore.push(a);
    baseThrough.push(b);
    before.push(a + correction);
    correction += sum - (b - a);
    through.push(b + correction);
  }
  first.push(own.length / 2);
  return { from, to, before, through, baseBefore, baseThrough, own, first, total: base.total + correction };
}

/**
 * Whether the base's intervals meeting `[from, to)` lie inside it and belong to the window's days
 * `[firstDay, lastDay]`, and the intervals just outside it to other days (days own intervals in
 * time order, so those two neighbours decide).
 */
function respects(base: Chunk, from: number, to: number, firstDay: number, lastDay: number): boolean {
  const { starts, ends, owners, n } = base;
  let i = locate(base, from);
  if (i > 0 && (owners[i - 1] as number) >= firstDay) return false;
  for (; i < n && (starts[i] as number) < to; i++) {
    const owner = owners[i] as number;
    if ((starts[i] as number) < from || (ends[i] as number) > to || owner < firstDay || owner > lastDay) return false;
  }
  return i === n || (owners[i] as number) > lastDay;
}

/** The last window `k` with `from[k] <= t` (-1 when none). */
function windowAtOrBefore(o: OverlayYear, t: number): number {
  const from = o.from;
  let lo = 0;
  let hi = from.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((from[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The calendar's open time in the year before `t` (an instant of the year). @internal */
export function overlayCumBefore(base: Chunk, o: OverlayYear, t: number): number {
  const k = windowAtOrBefore(o, t);
  if (k < 0) return cumBefore(base, t);
  if (t >= (o.to[k] as number)) return cumBefore(base, t) + (o.through[k] as number) - (o.baseThrough[k] as number);
  let sum = o.before[k] as number;
  const own = o.own;
  for (let p = 2 * (o.first[k] as number), end = 2 * (o.first[k + 1] as number); p < end; p += 2) {
    const s = own[p] as number;
    if (s >= t) break;
    const e = own[p + 1] as number;
    sum += (e < t ? e : t) - s;
  }
  return sum;
}

/**
 * The first mark (the windows' `before` and `through`, interleaved: `2k` and `2k + 1`) that is at
 * least `target` (`strict`: more than it); twice the window count when none is.
 */
function firstMark(o: OverlayYear, target: number, strict: boolean): number {
  let lo = 0;
  let hi = 2 * o.from.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const mark = ((mid & 1) === 0 ? o.before[mid >>> 1] : o.through[mid >>> 1]) as number;
    if (strict ? mark > target : mark >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The correction to the base's running total between window `k - 1` and window `k`. */
function correctionBefore(o: OverlayYear, k: number): number {
  return k === 0 ? 0 : (o.through[k - 1] as number) - (o.baseThrough[k - 1] as number);
}

/**
 * The earliest instant of the year at which the calendar's open time in the year reaches `target`
 * (0 < target ≤ total): where an addition that ends in this year stops.
 * @internal
 */
export function overlayEarliest(base: Chunk, o: OverlayYear, target: number): number {
  return instantAt(base, o, target, false);
}

/**
 * The latest instant of the year up to which the calendar's open time in the year is `target`
 * (0 ≤ target < total): where a subtraction that ends in this year stops.
 * @internal
 */
export function overlayLatest(base: Chunk, o: OverlayYear, target: number): number {
  return instantAt(base, o, target, true);
}

/**
 * The instant of the year with `target` open time before it: the earliest one, or with `latest` the
 * last one (past a closed span rather than before it). Between two windows the calendar's total is
 * the base's plus a constant, so the base's search answers; inside a window its own intervals are
 * walked.
 */
function instantAt(base: Chunk, o: OverlayYear, target: number, latest: boolean): number {
  const m = firstMark(o, target, latest);
  if ((m & 1) === 0) {
    const inBase = target - correctionBefore(o, m >>> 1);
    const j = latest ? lastStartingBefore(base, inBase) : firstReaching(base, inBase, 0);
    return (base.starts[j] as number) + (inBase - (base.cum[j] as number));
  }
  const k = m >>> 1;
  let sum = o.before[k] as number;
  const own = o.own;
  let p = 2 * (o.first[k] as number);
  for (const end = 2 * (o.first[k + 1] as number) - 2; p < end; p += 2) {
    const length = (own[p + 1] as number) - (own[p] as number);
    if (latest ? sum + length > target : sum + length >= target) break;
    sum += length;
  }
  return (own[p] as number) + (target - sum);
}
