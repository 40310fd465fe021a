/**
 * A UTC year of a customer calendar read through its base's chunk (./shared-index.ts), without a
 * chunk of its own: the calendar's open time in the year is the base's everywhere but inside a few
 * windows of own days, where the calendar's own intervals take the place of the base's.
 *
 * A window is a span of whole local days `[from, to)` around the calendar's own dates, with clean
 * midnights at both ends (./shared-index.ts `#windows`): no interval of the base or of the calendar
 * crosses its edges, so the calendar's running total of open time is the base's plus a correction
 * that changes only inside windows. After window `k` it is `through[k] - baseThrough[k]` (before
 * the first window, zero), and inside it the window's own intervals are walked (a day has a few).
 * Every question is then a binary search over the windows and one over the base's running totals,
 * so its cost hardly depends on how many own dates the year has; and the year holds only numbers,
 * never the base's chunk (which the chunk budget may drop and rebuild meanwhile).
 *
 * Before this, a search that stopped in such a year patched a copy of the base's chunk (about 16 KB
 * and 50 µs a year): with 10 000 customer calendars most of `evaluateAcross`'s time and memory.
 * @internal
 */
import { cumBefore, firstReaching, lastStartingBefore, locate, type Chunk } from "./interval-index";

/**
 * Window `k` is `[from, to)`, in epoch ms within the year (sorted, disjoint, non-empty), with the
 * calendar's open time in the year before `from` and before `to` (`before`, `through`), the base's
 * before `to` (`baseThrough`), and its own intervals as (start, end) pairs. All of it is one array
 * of numbers of the exact length ({@link OverlayYear.data}): a service's calendars keep tens of
 * thousands of these, which eight growable arrays each made ten times larger (about 1.5 KB a year
 * with one window, against under 200 bytes) and ten times as many objects for the collector to
 * copy.
 * @internal
 */
export interface OverlayYear {
  /** How many windows. */
  readonly windows: number;
  /** The calendar's open time in the whole year. */
  readonly total: number;
  /**
   * Window `k`'s marks at `5k` … `5k + 4`: from, to, before, through, baseThrough; then at `5W + k`
   * (k = 0 … W) the first own pair of window `k` (window `k`'s pairs are `first[k]` …
   * `first[k + 1] - 1`); then the own pairs, pair `p` at `6W + 1 + 2p`.
   */
  readonly data: readonly number[];
}

const FROM = 0;
const TO = 1;
const BEFORE = 2;
const THROUGH = 3;
const BASE_THROUGH = 4;
const STRIDE = 5;

/** Where the own pairs of `o` start in its data. */
const ownAt = (o: OverlayYear): number => (STRIDE + 1) * o.windows + 1;
/** The first own pair of window `k` (`k` up to the window count). */
const firstPair = (o: OverlayYear, k: number): number => o.data[STRIDE * o.windows + k] as number;

/** The rows of a year being made, before they are packed into its data (one list for the process). */
const marks: number[] = [];
const firsts: number[] = [];
const pairs: number[] = [];

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
  marks.length = 0;
  firsts.length = 0;
  pairs.length = 0;
  let correction = 0;
  for (const w of windows) {
    if (w.from >= w.to) continue;
    if (!respects(base, w.from, w.to, w.firstDay, w.lastDay)) return undefined;
    const a = cumBefore(base, w.from);
    const b = cumBefore(base, w.to);
    let sum = 0;
    firsts.push(pairs.length / 2);
    for (let k = 0; k < w.own.length; k += 2) {
      const s = w.own[k] as number;
      const e = w.own[k + 1] as number;
      if (s < w.from || e > w.to) return undefined;
      pairs.push(s, e);
      sum += e - s;
    }
    const before = a + correction;
    correction += sum - (b - a);
    marks.push(w.from, w.to, before, b + correction, b);
  }
  firsts.push(pairs.length / 2);
  const data = marks.concat(firsts, pairs);
  return { windows: marks.length / STRIDE, total: base.total + correction, data };
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
  const data = o.data;
  let lo = 0;
  let hi = o.windows;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((data[STRIDE * mid + FROM] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The calendar's open time in the year before `t` (an instant of the year). @internal */
export function overlayCumBefore(base: Chunk, o: OverlayYear, t: number): number {
  const k = windowAtOrBefore(o, t);
  if (k < 0) return cumBefore(base, t);
  const data = o.data;
  const at = STRIDE * k;
  if (t >= (data[at + TO] as number))
    return cumBefore(base, t) + (data[at + THROUGH] as number) - (data[at + BASE_THROUGH] as number);
  let sum = data[at + BEFORE] as number;
  const own = ownAt(o);
  for (let p = own + 2 * firstPair(o, k), end = own + 2 * firstPair(o, k + 1); p < end; p += 2) {
    const s = data[p] as number;
    if (s >= t) break;
    const e = data[p + 1] as number;
    sum += (e < t ? e : t) - s;
  }
  return sum;
}

/**
 * The first mark (the windows' `before` and `through`, interleaved: `2k` and `2k + 1`) that is at
 * least `target` (`strict`: more than it); twice the window count when none is.
 */
function firstMark(o: OverlayYear, target: number, strict: boolean): number {
  const data = o.data;
  let lo = 0;
  let hi = 2 * o.windows;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const mark = data[STRIDE * (mid >>> 1) + ((mid & 1) === 0 ? BEFORE : THROUGH)] as number;
    if (strict ? mark > target : mark >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The correction to the base's running total between window `k - 1` and window `k`. */
function correctionBefore(o: OverlayYear, k: number): number {
  if (k === 0) return 0;
  const at = STRIDE * (k - 1);
  return (o.data[at + THROUGH] as number) - (o.data[at + BASE_THROUGH] as number);
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
  const data = o.data;
  let sum = data[STRIDE * k + BEFORE] as number;
  const own = ownAt(o);
  let p = own + 2 * firstPair(o, k);
  for (const end = own + 2 * firstPair(o, k + 1) - 2; p < end; p += 2) {
    const length = (data[p + 1] as number) - (data[p] as number);
    if (latest ? sum + length > target : sum + length >= target) break;
    sum += length;
  }
  return (data[p] as number) + (target - sum);
}
