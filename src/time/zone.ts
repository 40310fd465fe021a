import { IANAZone } from "luxon";
import { DAY_MS, dayFromCivil, monthIndexOfDay } from "./civil";

/**
 * How often the offset is sampled when looking for a year's transitions. A scan of every zone in
 * the runtime's tz database from 1900 to 2200 at six-hour steps found no two transitions closer
 * than seven days (Brazil 2000, Gaza 2040), so a pair that cancels out cannot hide between two
 * samples six days apart. `test/zone-rules.test.ts` compares the result with luxon directly.
 */
const SAMPLE_STEP_MS = 6 * DAY_MS;
const SECOND_MS = 1000;
const FIRST_MONTH = 1898 * 12;
const MONTH_SLOTS = (2203 - 1898) * 12;

/** Start (epoch ms) of each UTC month slot, and one past the last: finds a month by arithmetic. */
const MONTH_STARTS = Float64Array.from({ length: MONTH_SLOTS + 1 }, (_, slot) => {
  const year = Math.floor((FIRST_MONTH + slot) / 12);
  return dayFromCivil(year, FIRST_MONTH + slot - year * 12 + 1, 1) * DAY_MS;
});
const AVERAGE_MONTH_MS = (MONTH_STARTS[MONTH_SLOTS]! - MONTH_STARTS[0]!) / MONTH_SLOTS;

/** The month slot of an instant (-1 outside the slots): an estimate, corrected by at most a step. */
function monthSlotOf(instant: number): number {
  const first = MONTH_STARTS[0] as number;
  if (!(instant >= first && instant < (MONTH_STARTS[MONTH_SLOTS] as number))) return -1;
  let slot = Math.min(MONTH_SLOTS - 1, Math.floor((instant - first) / AVERAGE_MONTH_MS));
  while (instant < (MONTH_STARTS[slot] as number)) slot--;
  while (instant >= (MONTH_STARTS[slot + 1] as number)) slot++;
  return slot;
}

/** The offset transitions of one UTC month: `offsets[i]` holds from `at[i - 1]` up to `at[i]`. */
interface MonthTransitions {
  readonly start: number;
  readonly end: number;
  readonly at: readonly number[];
  readonly offsets: readonly number[];
}

/**
 * Whether `name` is an IANA zone that the runtime knows (`Europe/Stockholm`, `UTC`, `Etc/GMT+5`).
 * @internal
 */
export function isKnownZone(name: string): boolean {
  // luxon asks Intl for a formatter of the zone on every call: a tenth of creating a calendar when a
  // service validates one per customer (issue 20). The names that were known are remembered
  // (bounded like the rules below); an unknown name is asked again, so nothing wrong is cached.
  if (sharedZones.has(name) || knownZoneNames.has(name)) return true;
  if (!IANAZone.isValidZone(name)) return false;
  if (knownZoneNames.size >= sharedZonesLimit) knownZoneNames.clear();
  knownZoneNames.add(name);
  return true;
}

/** Zone names that Intl knew, so that validating a spec does not ask again. */
const knownZoneNames = new Set<string>();

/** How many months outside 1898–2202 a zone keeps (only range checks ask for them). */
const OUTSIDE_MONTHS_LIMIT = 48;

/**
 * How many zones' rules the process keeps. There are about 600 IANA zone names, so in practice a
 * zone's rules are read once per process and shared by every calendar (and every
 * annotated instant, and every contract) in it; the bound only matters for a caller that cycles
 * through more names than that.
 */
export const DEFAULT_SHARED_ZONES = 1024;
let sharedZonesLimit = DEFAULT_SHARED_ZONES;
const sharedZones = new Map<string, ZoneRules>();

/**
 * Sets how many zones' rules the process keeps (at least 1); lowering it drops the oldest at once.
 * A calendar keeps its zone's rules however many are shared.
 * @internal
 */
export function setSharedZonesLimit(limit: number): void {
  sharedZonesLimit = Math.max(1, limit);
  while (sharedZones.size > sharedZonesLimit) sharedZones.delete(sharedZones.keys().next().value!);
}

/** The limit in force and how many zones' rules are kept now. @internal */
export function sharedZonesUsage(): { limit: number; size: number } {
  return { limit: sharedZonesLimit, size: sharedZones.size };
}

/**
 * The process-wide rules of a zone (the name must be known: see {@link isKnownZone}). Calendars of
 * the same zone share them, so the second calendar of a zone reads no offsets for the
 * months the first one has read. Sharing is safe: the rules are a pure function of the name, and
 * what they cache is derived from it alone.
 * @internal
 */
export function zoneRules(name: string): ZoneRules {
  let rules = sharedZones.get(name);
  if (rules === undefined) {
    if (sharedZones.size >= sharedZonesLimit) sharedZones.delete(sharedZones.keys().next().value!);
    rules = new ZoneRules(name);
    sharedZones.set(name, rules);
  }
  return rules;
}

/**
 * A zone's offset rules, read from `Intl` ({@link offsetReader}) once per UTC month and kept as
 * plain numbers so that queries are arithmetic. (Months rather than years: building a year of a
 * calendar touches the edges of its neighbouring years, and reading offsets is the expensive
 * part.) Conversions follow the library's DST rules: a wall time in a
 * spring-forward gap moves forward by the length of the gap; an ambiguous wall time (fall-back
 * overlap) takes the earlier offset, i.e. the earlier instant.
 *
 * The per-month cache is bounded by the supported range of years (1900–2200 plus a month either
 * side), a few thousand small arrays at most.
 * @internal
 */
export class ZoneRules {
  readonly name: string;
  readonly #read: (instant: number) => number;
  readonly #fixedOffset: number | undefined;
  /** Months of 1898–2202 by index from January 1898 (the range every query stays in). */
  readonly #months: (MonthTransitions | undefined)[] = new Array<MonthTransitions | undefined>(MONTH_SLOTS).fill(
    undefined,
  );
  /** Months outside that range, which only the range checks of callers ever touch. */
  readonly #outside = new Map<number, MonthTransitions>();
  #last: MonthTransitions | undefined;

  constructor(name: string) {
    this.name = name;
    this.#read = offsetReader(name);
    this.#fixedOffset = isFixed(name) ? this.#rawOffset(0) : undefined;
  }

  /** Offset from UTC in milliseconds at an instant (local = instant + offset). */
  offsetAt(instant: number): number {
    if (this.#fixedOffset !== undefined) return this.#fixedOffset;
    let month = this.#last;
    if (month === undefined || instant < month.start || instant >= month.end) {
      const slot = monthSlotOf(instant);
      month = this.#transitionsOfMonth(slot >= 0 ? FIRST_MONTH + slot : monthIndexOfDay(Math.floor(instant / DAY_MS)));
      this.#last = month;
    }
    const { at, offsets } = month;
    let i = 0;
    while (i < at.length && instant >= (at[i] as number)) i++;
    return offsets[i] as number;
  }

  /** Wall milliseconds (local date and time written as if UTC) of an instant. */
  instantToWall(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /**
   * The instant of a wall time. In a gap the wall time moves forward by the gap; in an overlap the
   * earlier instant wins.
   */
  wallToInstant(wall: number): number {
    if (this.#fixedOffset !== undefined) return wall - this.#fixedOffset;
    const before = this.offsetAt(wall - DAY_MS);
    const after = this.offsetAt(wall + DAY_MS);
    if (before === after) {
      const t = wall - before;
      if (this.offsetAt(t) === before) return t;
      // Two transitions within two days that cancel out; fall back to a direct probe.
      return wall - this.offsetAt(t);
    }
    const early = wall - before;
    const late = wall - after;
    const earlyValid = this.offsetAt(early) === before;
    const lateValid = this.offsetAt(late) === after;
    if (earlyValid && lateValid) return Math.min(early, late);
    if (earlyValid) return early;
    if (lateValid) return late;
    // Neither offset fits: the wall time is in a gap. Reading it with the offset in force before
    // the gap lands after the transition, i.e. moved forward by the gap's length.
    return wall - before;
  }

  #rawOffset(instant: number): number {
    return this.#read(instant);
  }

  #transitionsOfMonth(monthIndex: number): MonthTransitions {
    const slot = monthIndex - FIRST_MONTH;
    const inRange = slot >= 0 && slot < MONTH_SLOTS;
    const cached = inRange ? this.#months[slot] : this.#outside.get(monthIndex);
    if (cached) return cached;
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12 + 1;
    const start = dayFromCivil(year, month, 1) * DAY_MS;
    const end = dayFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) * DAY_MS;
    const at: number[] = [];
    const offsets: number[] = [this.#rawOffset(start)];
    let prevT = start;
    let prevOffset = offsets[0] as number;
    for (let t = start + SAMPLE_STEP_MS; ; t += SAMPLE_STEP_MS) {
      const probe = Math.min(t, end - SECOND_MS);
      const offset = this.#rawOffset(probe);
      if (offset !== prevOffset) this.#findTransitions(prevT, prevOffset, probe, offset, at, offsets);
      prevT = probe;
      prevOffset = offset;
      if (probe >= end - SECOND_MS) break;
    }
    const result: MonthTransitions = { start, end, at, offsets };
    if (inRange) this.#months[slot] = result;
    else {
      // Shared by every calendar of the zone for the life of the process: keep this one bounded.
      if (this.#outside.size >= OUTSIDE_MONTHS_LIMIT) this.#outside.clear();
      this.#outside.set(monthIndex, result);
    }
    return result;
  }

  /** Bisects (lo, hi] down to the second and records where the offset changes. */
  #findTransitions(lo: number, loOffset: number, hi: number, hiOffset: number, at: number[], offsets: number[]): void {
    while (hi - lo > SECOND_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS;
      const midOffset = this.#rawOffset(mid);
      if (midOffset === loOffset) {
        lo = mid;
      } else if (midOffset === hiOffset) {
        hi = mid;
      } else {
        // A third offset in between: two transitions inside the interval.
        this.#findTransitions(lo, loOffset, mid, midOffset, at, offsets);
        lo = mid;
        loOffset = midOffset;
      }
    }
    at.push(hi);
    offsets.push(hiOffset);
  }
}

/**
 * A function reading a zone's UTC offset (ms) at an instant from `Intl`, equal to luxon's
 * `IANAZone#offset` (rounded to the millisecond). It formats only the offset
 * (`timeZoneName: "longOffset"`: "GMT+01:00", "GMT-03:30", "GMT+00:53:28" for a local mean time,
 * "GMT" for zero) with one formatter per zone and reads the digits: about 1.7 µs against 13–20 µs
 * for luxon's read, which formats every date field with `formatToParts` and rebuilds the local time
 * from them (measured in one process on Node 20). The first use of a year reads about a hundred
 * offsets, a third of its time before (issue 14). Where
 * the runtime lacks `longOffset`, or writes an offset this does not read, luxon answers.
 * `test/zone-offset-reader.property.test.ts` compares the two.
 * @internal
 */
export function offsetReader(name: string): (instant: number) => number {
  const zone = IANAZone.create(name);
  const viaLuxon = (instant: number): number => Math.round(zone.offset(instant) * 60_000);
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone: name, timeZoneName: "longOffset" });
  } catch {
    return viaLuxon;
  }
  const read = (instant: number): number => {
    const offset = parseLongOffset(formatter.format(instant));
    return offset === undefined ? viaLuxon(instant) : offset;
  };
  // A runtime that accepts the option but writes something else (an old ICU) is caught here once.
  const probe = Date.UTC(2021, 0, 1);
  return parseLongOffset(formatter.format(probe)) === viaLuxon(probe) ? read : viaLuxon;
}

const DIGIT_0 = 48;
const MINUS = 45;
const MINUS_SIGN = 0x2212;
const PLUS = 43;

/** Two ASCII digits at `at` as a number, or NaN. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - DIGIT_0;
  const b = text.charCodeAt(at + 1) - DIGIT_0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

/**
 * The offset (ms) at the end of a `longOffset` formatted date ("…, GMT+05:45", "…, GMT-00:25:21",
 * "…, GMT"), or `undefined` when it is not written that way.
 * @internal
 */
export function parseLongOffset(text: string): number | undefined {
  const at = text.lastIndexOf("GMT");
  if (at < 0) return undefined;
  const rest = text.length - at - 3;
  if (rest === 0) return 0;
  if (rest !== 6 && rest !== 9) return undefined;
  const signCode = text.charCodeAt(at + 3);
  const sign = signCode === PLUS ? 1 : signCode === MINUS || signCode === MINUS_SIGN ? -1 : 0;
  const hours = twoDigits(text, at + 4);
  const minutes = twoDigits(text, at + 7);
  const seconds = rest === 9 ? twoDigits(text, at + 10) : 0;
  if (sign === 0 || text.charCodeAt(at + 6) !== 58 || (rest === 9 && text.charCodeAt(at + 9) !== 58)) return undefined;
  const ms = ((hours * 60 + minutes) * 60 + seconds) * 1000;
  // `+ 0`: "GMT-00:00" is no offset, not negative zero.
  return Number.isNaN(ms) ? undefined : sign * ms + 0;
}

function isFixed(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    upper === "UTC" ||
    upper === "ETC/UTC" ||
    upper === "GMT" ||
    upper === "ETC/GMT" ||
    /^ETC\/GMT[+-]\d{1,2}$/.test(upper)
  );
}
