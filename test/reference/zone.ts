/**
 * Reference zone arithmetic for the property tests: offsets straight from luxon, and the wall time →
 * instant rule of docs/semantics.md implemented from scratch (luxon's own choice for a wall time is
 * never used: it takes the later instant of an ambiguous wall time).
 *
 * "Wall milliseconds" are a local date and time written as if it were UTC
 * (`Date.UTC(y, m - 1, d, h, min)`); an instant is epoch milliseconds.
 *
 * Shares no code with src/.
 */
import { IANAZone } from "luxon";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Day number (days since 1970-01-01) of a `YYYY-MM-DD` string. */
export function dayOf(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
}

/** `YYYY-MM-DD` of a day number. */
export function dateOf(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
export function isoWeekdayOf(day: number): number {
  const utc = new Date(day * DAY).getUTCDay();
  return utc === 0 ? 7 : utc;
}

export class RefZone {
  readonly name: string;
  readonly #zone: IANAZone;
  /** Per UTC day: the offset when it is the same at the day's first and last millisecond. */
  readonly #dayOffset = new Map<number, number | null>();

  constructor(name: string) {
    this.name = name;
    this.#zone = IANAZone.create(name);
    if (!this.#zone.isValid) throw new Error(`reference: unknown zone ${name}`);
  }

  /** luxon's offset (wall clock minus UTC) at an instant, in milliseconds. */
  rawOffset(t: number): number {
    return Math.round(this.#zone.offset(t) * MINUTE);
  }

  /**
   * The offset at an instant. Cached per UTC day when the offset is the same at both ends of the
   * day (no zone changes its offset twice within one day and back again).
   */
  offset(t: number): number {
    const day = Math.floor(t / DAY);
    let known = this.#dayOffset.get(day);
    if (known === undefined) {
      const first = this.rawOffset(day * DAY);
      known = first === this.rawOffset(day * DAY + DAY - 1) ? first : null;
      this.#dayOffset.set(day, known);
    }
    return known ?? this.rawOffset(t);
  }

  /** Wall milliseconds of an instant. */
  wall(t: number): number {
    return t + this.offset(t);
  }

  /** Local day number of an instant. */
  day(t: number): number {
    return Math.floor(this.wall(t) / DAY);
  }

  /**
   * The instant of a wall time, by the rule of docs/semantics.md:
   * - a wall time shown by exactly one instant maps to it;
   * - a wall time shown by several instants (a fall-back overlap) maps to the earliest;
   * - a wall time shown by none (a spring-forward gap) is read with the offset in force just before
   *   the gap, i.e. it moves forward by the gap's length.
   * Assumes at most one offset change within a day of the wall time (true of every zone).
   */
  instant(wall: number): number {
    // Every instant that could show this wall time lies within 15 hours of it (as if UTC), so the
    // offsets in force a day either side are the only candidates.
    const candidates = new Set([this.offset(wall - DAY), this.offset(wall), this.offset(wall + DAY)]);
    const shown = [...candidates].map((o) => wall - o).filter((t) => this.wall(t) === wall);
    if (shown.length > 0) return Math.min(...shown);

    // A gap: find the transition T, the first instant whose wall reading passes `wall`.
    const offsets = [...candidates];
    let lo = wall - Math.max(...offsets) - 1; // reads before `wall`
    let hi = wall - Math.min(...offsets) + 1; // reads after `wall`
    if (!(this.wall(lo) < wall && this.wall(hi) > wall)) throw new Error(`reference: no gap around ${wall}`);
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.wall(mid) > wall) hi = mid;
      else lo = mid;
    }
    const before = this.offset(hi - 1);
    const result = wall - before;
    if (result < hi || this.offset(result) <= before) throw new Error(`reference: gap rule failed at ${wall}`);
    return result;
  }

  /** The offset changes in [from, to): instants at which the offset differs from the millisecond before. */
  transitions(from: number, to: number): number[] {
    const out: number[] = [];
    const step = 6 * HOUR;
    let prev = this.rawOffset(from);
    for (let t = from + step; t - step < to; t += step) {
      const o = this.rawOffset(t);
      if (o === prev) continue;
      let lo = t - step;
      let hi = t;
      while (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (this.rawOffset(mid) === prev) lo = mid;
        else hi = mid;
      }
      if (hi >= from && hi < to) out.push(hi);
      prev = o;
    }
    return out;
  }
}

const zones = new Map<string, RefZone>();

/** One shared RefZone per zone name (their caches are pure functions of the zone). */
export function refZone(name: string): RefZone {
  let z = zones.get(name);
  if (z === undefined) {
    z = new RefZone(name);
    zones.set(name, z);
  }
  return z;
}
