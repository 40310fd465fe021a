/**
 * The open intervals of a combined calendar (`anyOf` / `allOf`) for one UTC year, made from its
 * members' own interval indexes: every index chunks time by the same UTC years, so a member's chunk
 * of a year covers exactly the combined chunk's span, and the union or intersection of those
 * sorted lists is the combined open time, exact to the millisecond whatever the members' zones.
 * A member's index may be a base shared with other calendars or an overlay on one
 * (./shared-index.ts): each hands out the same chunks by year. The result is cut at the combined
 * zone's local midnights, so that each piece is owned by the local date it lies on (what
 * `endOfBusinessDay`, traces and `describeDay` read).
 */
import { DAY_MS } from "../time/civil";
import type { ZoneRules } from "../time/zone";
import type { Chunk } from "./interval-index";
import type { ChunkIndex } from "./shared-index";

/** Sorted, disjoint intervals as two parallel lists. */
interface Intervals {
  starts: number[];
  ends: number[];
}

/** The combined open intervals of `year`, as an `IntervalIndex` year source wants them. @internal */
export function combinedYear(
  kind: "anyOf" | "allOf",
  members: readonly ChunkIndex[],
  zone: ZoneRules,
  year: number,
): { starts: Float64Array; ends: Float64Array; owners: Int32Array; n: number } {
  // A year total is cheap (no chunk is built): an empty year is known without reading any chunk.
  const totals = members.map((m) => m.yearTotal(year));
  const empty = kind === "anyOf" ? totals.every((t) => t === 0) : totals.some((t) => t === 0);
  if (empty) return { starts: new Float64Array(0), ends: new Float64Array(0), owners: new Int32Array(0), n: 0 };
  const lists = members.map((m) => merged(m.chunkOfYear(year) as Chunk));
  const combined = kind === "anyOf" ? union(lists) : lists.reduce(intersection);
  return byLocalDate(combined, zone);
}

/** A chunk's intervals with touching ones joined (an overnight interval meeting the next day's). */
function merged(c: Chunk): Intervals {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < c.n; i++) {
    const s = c.starts[i] as number;
    const e = c.ends[i] as number;
    if (ends.length > 0 && ends[ends.length - 1] === s) ends[ends.length - 1] = e;
    else {
      starts.push(s);
      ends.push(e);
    }
  }
  return { starts, ends };
}

/** The union of sorted, disjoint lists, with overlapping and touching intervals joined. */
function union(lists: readonly Intervals[]): Intervals {
  const all: [number, number][] = [];
  for (const l of lists)
    for (let i = 0; i < l.starts.length; i++) all.push([l.starts[i] as number, l.ends[i] as number]);
  all.sort((x, y) => x[0] - y[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [s, e] of all) {
    const last = ends.length - 1;
    if (last >= 0 && s <= (ends[last] as number)) {
      if (e > (ends[last] as number)) ends[last] = e;
    } else {
      starts.push(s);
      ends.push(e);
    }
  }
  return { starts, ends };
}

/** The intersection of two sorted, disjoint lists (a two-pointer sweep). */
function intersection(a: Intervals, b: Intervals): Intervals {
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.starts.length && j < b.starts.length) {
    const s = Math.max(a.starts[i] as number, b.starts[j] as number);
    const ae = a.ends[i] as number;
    const be = b.ends[j] as number;
    const e = Math.min(ae, be);
    if (s < e) {
      starts.push(s);
      ends.push(e);
    }
    if (ae <= be) i++;
    else j++;
  }
  return { starts, ends };
}

/**
 * The intervals cut at the zone's local midnights, each piece owned by its local day number. A
 * date the zone skipped has no midnight of its own and owns nothing.
 */
function byLocalDate(
  list: Intervals,
  zone: ZoneRules,
): { starts: Float64Array; ends: Float64Array; owners: Int32Array; n: number } {
  const starts: number[] = [];
  const ends: number[] = [];
  const owners: number[] = [];
  for (let i = 0; i < list.starts.length; i++) {
    let a = list.starts[i] as number;
    const b = list.ends[i] as number;
    let day = Math.floor(zone.instantToWall(a) / DAY_MS);
    while (a < b) {
      const nextMidnight = zone.wallToInstant((day + 1) * DAY_MS);
      const end = nextMidnight < b ? nextMidnight : b;
      if (end > a) {
        starts.push(a);
        ends.push(end);
        owners.push(day);
        a = end;
      }
      day++;
    }
  }
  return {
    starts: Float64Array.from(starts),
    ends: Float64Array.from(ends),
    owners: Int32Array.from(owners),
    n: starts.length,
  };
}
